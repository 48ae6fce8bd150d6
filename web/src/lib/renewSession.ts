// Renewing a Supabase Auth session: POST /api/auth/refresh on the API (which calls Supabase Auth with
// the project's key), one tab at a time. Refresh tokens rotate, so two tabs must not both spend the
// same one: renewals run under a Web Lock shared by the tabs of this origin, and the tab that gets the
// lock second finds the session the first stored and adopts it (refreshSchedule.ts `renewStep`).
// Within a tab, concurrent callers (the timer, a 401, the stream) share one renewal.
import { apiOrigin } from './apiBase.ts';
import { timesOfToken, userOfToken } from './authRedirect.ts';
import { renewStep } from './refreshSchedule.ts';
import { adoptStoredSession, readStoredSession, replaceSession, signOut } from './session.ts';

export type RenewResult =
  /** A fresh access token is in the session (renewed here or by another tab). */
  | { kind: 'renewed' }
  /** Supabase Auth refused the refresh token: signed out, the login page says why. */
  | { kind: 'ended' }
  /** Another tab signed out. */
  | { kind: 'signed-out' }
  /** The session has no refresh token (the embedded login's). */
  | { kind: 'cannot' }
  /** Not now (network, Supabase Auth down or throttling): the session stays, try again later. */
  | { kind: 'failed'; message: string; retryAfterMs?: number };

const LOCK_NAME = 'spacesync.session.renew';
let inFlight: Promise<RenewResult> | null = null;

async function withTabLock<T>(fn: () => Promise<T>): Promise<T> {
  // Web Locks exist in every browser the UI supports, in secure contexts (https, localhost).
  const locks = typeof navigator !== 'undefined' && 'locks' in navigator ? navigator.locks : undefined;
  return locks ? await locks.request(LOCK_NAME, fn) : fn();
}

/** Renews the session. `rejected`: the access token the API just refused (401), or null when it is due. */
export function renewSession(rejected: string | null = null): Promise<RenewResult> {
  inFlight ??= withTabLock(() => renewUnderLock(rejected)).finally(() => {
    inFlight = null;
  });
  return inFlight;
}

interface RefreshAnswer {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
  expires_at?: unknown;
  error?: { code?: unknown; message?: unknown };
}

async function renewUnderLock(rejected: string | null): Promise<RenewResult> {
  const stored = readStoredSession();
  const step = renewStep(stored, rejected, Date.now());
  if (step.kind === 'signed-out') {
    adoptStoredSession();
    return { kind: 'signed-out' };
  }
  if (step.kind === 'adopt') {
    adoptStoredSession();
    return { kind: 'renewed' };
  }
  if (step.kind === 'cannot') return { kind: 'cannot' };
  let res: Response;
  try {
    res = await fetch(`${apiOrigin()}/api/auth/refresh`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh_token: step.refreshToken }),
      cache: 'no-store',
    });
  } catch (cause) {
    return { kind: 'failed', message: cause instanceof Error ? cause.message : String(cause) };
  }
  const answer = (await res.json().catch(() => null)) as RefreshAnswer | null;
  if (res.ok && typeof answer?.access_token === 'string' && typeof answer.refresh_token === 'string') {
    const token = answer.access_token;
    const user = userOfToken(token) ?? stored?.user;
    if (user) {
      replaceSession({ token, user, refreshToken: answer.refresh_token, times: timesOfToken(token, { expiresIn: answer.expires_in, expiresAt: answer.expires_at }, Date.now()) });
      return { kind: 'renewed' };
    }
  }
  const message = typeof answer?.error?.message === 'string' ? answer.error.message : `${res.status} ${res.statusText}`.trim();
  if (res.status === 401 && answer?.error?.code === 'session_ended') {
    signOut(message.replace(/: sign in again$/, ''));
    return { kind: 'ended' };
  }
  const retryAfter = Number(res.headers.get('Retry-After'));
  return { kind: 'failed', message, retryAfterMs: res.status === 429 && retryAfter > 0 ? retryAfter * 1000 : undefined };
}
