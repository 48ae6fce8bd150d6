// The signed-in session, kept in localStorage so a reload stays signed in and every tab shares it:
// the access token (`spacesync.token`), who it is for (`spacesync.user`) and, for a Supabase Auth
// session, its refresh token and expiry (`spacesync.session`, tied to the access token it came with).
// The refresh token is stored exactly where the access token is, and goes with it on sign-out.
// Components read the session through useSession (useSyncExternalStore); another tab's sign-in,
// renewal or sign-out reaches this one through storage events.
import { useSyncExternalStore } from 'react';
import type { SessionTimes } from './refreshSchedule.ts';

const TOKEN_KEY = 'spacesync.token';
const USER_KEY = 'spacesync.user';
const RENEWAL_KEY = 'spacesync.session';
/** Why the last session ended (a refused renewal), for the login page of every tab. */
const ENDED_KEY = 'spacesync.session-ended';

export interface SessionUser {
  id: string;
  email: string;
  role: string;
}

export interface Session {
  token: string;
  user: SessionUser | null;
  /** Supabase Auth's refresh token; null for the embedded login (its token is not renewed). */
  refreshToken: string | null;
  times: SessionTimes | null;
}

export interface NewSession {
  token: string;
  user: SessionUser;
  refreshToken?: string | null;
  times?: SessionTimes | null;
}

interface Renewal {
  access_token: string;
  refresh_token: string | null;
  expires_at: number | null;
  lifetime: number | null;
}

const listeners = new Set<() => void>();

/** The session as storage holds it now (another tab may have changed it since this one last looked). */
export function readStoredSession(): Session | null {
  try {
    const token = localStorage.getItem(TOKEN_KEY);
    if (!token) return null;
    const rawUser = localStorage.getItem(USER_KEY);
    const rawRenewal = localStorage.getItem(RENEWAL_KEY);
    const renewal = rawRenewal ? (JSON.parse(rawRenewal) as Renewal) : null;
    const mine = renewal?.access_token === token ? renewal : null;
    return {
      token,
      user: rawUser ? (JSON.parse(rawUser) as SessionUser) : null,
      refreshToken: mine?.refresh_token ?? null,
      times: mine && typeof mine.expires_at === 'number' && typeof mine.lifetime === 'number' ? { expiresAt: mine.expires_at, lifetime: mine.lifetime } : null,
    };
  } catch {
    return null; // storage disabled or a corrupt entry: signed out
  }
}

let current: Session | null = readStoredSession();

function emit(): void {
  for (const l of listeners) l();
}

function write(session: NewSession): void {
  const renewal: Renewal = { access_token: session.token, refresh_token: session.refreshToken ?? null, expires_at: session.times?.expiresAt ?? null, lifetime: session.times?.lifetime ?? null };
  // The token last: other tabs read the whole session when it changes.
  localStorage.setItem(RENEWAL_KEY, JSON.stringify(renewal));
  localStorage.setItem(USER_KEY, JSON.stringify(session.user));
  localStorage.setItem(TOKEN_KEY, session.token);
}

export function getSession(): Session | null {
  return current;
}

export function getToken(): string | null {
  return current?.token ?? null;
}

export function signIn(session: NewSession): void {
  current = { token: session.token, user: session.user, refreshToken: session.refreshToken ?? null, times: session.times ?? null };
  localStorage.removeItem(ENDED_KEY);
  write(session);
  emit();
}

/** The session as renewed (by this tab, or another one's found in storage). */
export function replaceSession(session: NewSession): void {
  current = { token: session.token, user: session.user, refreshToken: session.refreshToken ?? null, times: session.times ?? null };
  write(session);
  emit();
}

/** Takes the session storage holds (another tab renewed it or signed out). */
export function adoptStoredSession(): Session | null {
  current = readStoredSession();
  emit();
  return current;
}

/**
 * Forgets the session, its refresh token included, in every tab. `endedBecause`: the session ended
 * on its own (a refused renewal) and the login page says why; a sign-out the admin asked for says nothing.
 */
export function signOut(endedBecause?: string): void {
  try {
    if (endedBecause) localStorage.setItem(ENDED_KEY, endedBecause);
    else localStorage.removeItem(ENDED_KEY);
    localStorage.removeItem(RENEWAL_KEY);
    localStorage.removeItem(USER_KEY);
    localStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage disabled: the session lived in memory only
  }
  if (current === null) {
    emit(); // the login page may have a reason to show now
    return;
  }
  current = null;
  emit();
}

/** Why the last session ended by itself, if it did (shown on the login page until the next sign-in). */
export function sessionEndedReason(): string | null {
  try {
    return localStorage.getItem(ENDED_KEY);
  } catch {
    return null;
  }
}

/** Called whenever the session changes, in this tab or (through storage) another one. */
export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (e: StorageEvent) => {
    if (e.key === TOKEN_KEY || e.key === null) {
      current = readStoredSession();
      emit();
    } else if (e.key === ENDED_KEY) {
      emit();
    }
  });
}

export function useSession(): Session | null {
  return useSyncExternalStore(onSessionChange, getSession);
}
