// The signed-in user's token, kept in localStorage so a reload stays signed in. Components read it
// through useSession (useSyncExternalStore); the API client clears it on a 401.
import { useSyncExternalStore } from 'react';

const TOKEN_KEY = 'spacesync.token';
const USER_KEY = 'spacesync.user';

export interface SessionUser {
  id: string;
  email: string;
  role: string;
}

export interface Session {
  token: string;
  user: SessionUser | null;
}

const listeners = new Set<() => void>();
let current: Session | null = read();

function read(): Session | null {
  try {
    const token = localStorage.getItem(TOKEN_KEY);
    if (!token) return null;
    const raw = localStorage.getItem(USER_KEY);
    return { token, user: raw ? (JSON.parse(raw) as SessionUser) : null };
  } catch {
    return null; // storage disabled or a corrupt entry: signed out
  }
}

function emit(): void {
  for (const l of listeners) l();
}

export function getSession(): Session | null {
  return current;
}

export function getToken(): string | null {
  return current?.token ?? null;
}

export function signIn(token: string, user: SessionUser): void {
  current = { token, user };
  localStorage.setItem(TOKEN_KEY, token);
  localStorage.setItem(USER_KEY, JSON.stringify(user));
  emit();
}

export function signOut(): void {
  if (current === null) return;
  current = null;
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(USER_KEY);
  emit();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => {
    if (e.key === TOKEN_KEY || e.key === null) {
      current = read();
      listener();
    }
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, getSession);
}
