// When a session is renewed, and what a tab does when it comes to renew it. Pure: times are passed in.
// A session is renewed a quarter of its lifetime before it expires, at most a minute before (an hour's
// token: 59 minutes in; a 4 s token: 3 s in), so the access token the API sees is never the expired
// one while the tab runs. Expiry is counted on this machine's clock from `expires_in`, so a clock that
// is off does not matter.

/** The most a renewal is brought forward. */
export const MAX_MARGIN_MS = 60_000;

export interface SessionTimes {
  /** When the access token expires, in ms on this machine's clock. */
  expiresAt: number;
  /** Its lifetime as issued (expires_in), in ms. */
  lifetime: number;
}

/** Expiry from what Supabase Auth sent: expires_in (seconds) counted from `now`, else expires_at (epoch seconds), else the token's `exp`. */
export function sessionTimes(fields: { expiresIn?: number | null; expiresAt?: number | null; exp?: number | null; iat?: number | null }, now: number): SessionTimes | null {
  const positive = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0;
  if (positive(fields.expiresIn)) return { expiresAt: now + fields.expiresIn * 1000, lifetime: fields.expiresIn * 1000 };
  const at = positive(fields.expiresAt) ? fields.expiresAt : positive(fields.exp) ? fields.exp : null;
  if (at === null) return null;
  const lifetime = positive(fields.iat) && at > fields.iat ? (at - fields.iat) * 1000 : Math.max(0, at * 1000 - now);
  return { expiresAt: at * 1000, lifetime };
}

/** How long before expiry the session is renewed. */
export function refreshMargin(lifetime: number): number {
  return Math.min(MAX_MARGIN_MS, Math.max(0, lifetime / 4));
}

/** Milliseconds from `now` until the session should be renewed (0: now). */
export function refreshDelay(times: SessionTimes, now: number): number {
  return Math.max(0, times.expiresAt - refreshMargin(times.lifetime) - now);
}

/** After a renewal that failed for now (network, Supabase Auth down): 5 s, 10 s, 20 s… at most a minute. */
export function retryDelay(attempt: number): number {
  return Math.min(MAX_MARGIN_MS, 5_000 * 2 ** Math.max(0, attempt));
}

export interface StoredSessionView {
  token: string;
  refreshToken: string | null;
  times: SessionTimes | null;
}

export type RenewStep =
  /** Nobody is signed in any more (another tab signed out). */
  | { kind: 'signed-out' }
  /** Another tab already renewed: take the stored session. */
  | { kind: 'adopt' }
  /** This tab renews, with the stored refresh token. */
  | { kind: 'refresh'; refreshToken: string }
  /** Nothing to renew with (a session without a refresh token, the embedded login's). */
  | { kind: 'cannot' };

/**
 * Decided under the cross-tab lock, on what storage holds now. `rejected`: the access token the API
 * just refused (a 401), or null for a scheduled renewal. Refresh tokens rotate, so the tab that
 * finds a newer session than the one it meant to renew adopts it instead of spending a refresh token
 * another tab already spent.
 */
export function renewStep(stored: StoredSessionView | null, rejected: string | null, now: number): RenewStep {
  if (!stored) return { kind: 'signed-out' };
  const newer = rejected !== null ? stored.token !== rejected : stored.times !== null && refreshDelay(stored.times, now) > 0;
  if (newer) return { kind: 'adopt' };
  return stored.refreshToken ? { kind: 'refresh', refreshToken: stored.refreshToken } : { kind: 'cannot' };
}
