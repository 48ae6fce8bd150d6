// The rules a verified token's claims must follow beyond its signature and `exp`. Pure: `now` is
// passed in. User tokens (role authenticated, what Supabase Auth and the embedded login issue) carry
// aud "authenticated", the configured issuer, an `iat` not in the future and a bounded lifetime.
// Supabase's anon and service_role API keys are long-lived and carry no audience by design: they
// may omit `aud` (if present it must be "authenticated") and are not bounded in lifetime.
import { findJsonProblem } from '../catalog/storableText.ts';
import { API_ROLES, type Claims } from './claims.ts';

export const TOKEN_AUDIENCE = 'authenticated';
/** How far a token's `iat` may be ahead of our clock (clock skew between servers). */
export const CLOCK_TOLERANCE_SECONDS = 30;
/** Claims nested deeper than this are refused (Supabase’s own are at most 3 levels deep; user_metadata is the user’s). */
export const MAX_CLAIMS_DEPTH = 16;

export interface ClaimRules {
  issuer?: string;
  maxLifetimeSeconds: number;
}

/** Why these claims are refused (a sentence for the 401), or null when they are acceptable. */
export function claimsProblem(payload: Record<string, unknown>, rules: ClaimRules, nowSeconds: number): string | null {
  const shape = findJsonProblem(payload, MAX_CLAIMS_DEPTH);
  if (shape) return `the token claim ${shape.path || '(payload)'} ${shape.message.replace(/:.*$/, '')}`;
  const role = payload.role ?? 'authenticated';
  if (typeof role !== 'string' || !(API_ROLES as readonly string[]).includes(role)) {
    return `the token role "${String(role).slice(0, 40)}" is not one of ${API_ROLES.join(', ')}`;
  }
  const aud = payload.aud;
  const audiences = aud === undefined ? [] : Array.isArray(aud) ? aud : [aud];
  if (role === 'authenticated' ? !audiences.includes(TOKEN_AUDIENCE) : aud !== undefined && !audiences.includes(TOKEN_AUDIENCE)) {
    return `the token's audience (aud) must be "${TOKEN_AUDIENCE}"`;
  }
  const { iat, exp } = payload;
  if (iat !== undefined && (typeof iat !== 'number' || !Number.isFinite(iat))) return 'the token claim iat must be a number of seconds';
  if (typeof iat === 'number' && iat > nowSeconds + CLOCK_TOLERANCE_SECONDS) return 'the token was issued in the future (iat): check the clocks';
  if (role !== 'authenticated') return null;
  if (rules.issuer !== undefined && payload.iss !== rules.issuer) return `the token's issuer (iss) must be "${rules.issuer}"`;
  if (typeof iat !== 'number') return 'the token has no issue time (iat)';
  if (typeof exp !== 'number') return 'the token has no expiry (exp)';
  if (exp - iat > rules.maxLifetimeSeconds || exp - nowSeconds > rules.maxLifetimeSeconds) {
    return `the token lives longer than ${rules.maxLifetimeSeconds} seconds (JWT_MAX_LIFETIME): sign in again`;
  }
  return null;
}

export function withDefaultRole(claims: Claims): Claims {
  return { ...claims, role: claims.role ?? 'authenticated' };
}
