// Signing in with Supabase Auth: Supabase's sign-in links (magic link, invite, OAuth, in the implicit
// flow) come back to the page with the session in the URL fragment,
//   #access_token=<JWT>&expires_at=…&expires_in=3600&refresh_token=…&token_type=bearer&type=magiclink
// or with why it failed (#error=access_denied&error_code=otp_expired&error_description=…).
// Pure: reads a fragment, tells what it holds; signInFromRedirect.ts keeps the session and clears the fragment.
import { jwtClaims } from './jwtClaims.ts';
import { sessionTimes, type SessionTimes } from './refreshSchedule.ts';
import type { SessionUser } from './session.ts';

export type AuthRedirect =
  | { kind: 'session'; token: string; user: SessionUser; refreshToken: string | null; times: SessionTimes | null }
  | { kind: 'error'; message: string }
  | null;

/** The claims the UI shows before /auth/me answers (the API verifies the token, the UI does not). */
export function userOfToken(token: string): SessionUser | null {
  const claims = jwtClaims(token);
  if (!claims || typeof claims.sub !== 'string') return null;
  const appMetadata = claims.app_metadata as { role?: unknown } | undefined;
  return { id: claims.sub, email: typeof claims.email === 'string' ? claims.email : '', role: appMetadata?.role === 'admin' ? 'admin' : 'user' };
}

const numberOf = (value: string | null | undefined | unknown): number | null => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
};

/** When a token Supabase Auth issued expires, from what came with it (expires_in, expires_at) or its own claims. */
export function timesOfToken(token: string, fields: { expiresIn?: unknown; expiresAt?: unknown }, now: number): SessionTimes | null {
  const claims = jwtClaims(token);
  return sessionTimes({ expiresIn: numberOf(fields.expiresIn), expiresAt: numberOf(fields.expiresAt), exp: numberOf(claims?.exp), iat: numberOf(claims?.iat) }, now);
}

export function parseAuthRedirect(hash: string, now = Date.now()): AuthRedirect {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const error = params.get('error_description') ?? params.get('error');
  if (error) return { kind: 'error', message: error };
  const token = params.get('access_token');
  if (!token) return null;
  const user = userOfToken(token);
  if (!user) return { kind: 'error', message: 'the link’s access_token is not a JWT' };
  const times = timesOfToken(token, { expiresIn: params.get('expires_in'), expiresAt: params.get('expires_at') }, now);
  return { kind: 'session', token, user, refreshToken: params.get('refresh_token') || null, times };
}
