// Bearer token verification: HS256 with JWT_SECRET (Supabase's JWT secret works as is) or an
// asymmetric key from a JWKS (Supabase's /auth/v1/.well-known/jwks.json, or any JWKS_URL), then the
// claim rules of checkClaims.ts, then (for a token of the embedded login) whether its user still is
// what the token says.
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { claimsProblem, withDefaultRole } from './checkClaims.ts';
import type { Claims } from './claims.ts';

export interface TokenVerifierOptions {
  jwtSecret?: string;
  jwksUrl?: string;
  /** Required `iss` of user tokens (JWT_ISSUER). */
  issuer?: string;
  /** Longest lifetime of a user token (JWT_MAX_LIFETIME); default one week. */
  maxLifetimeSeconds?: number;
  /** False when the token's user was demoted, changed or deleted since it was issued (see tokenIsCurrent). */
  isCurrent?: (claims: Claims) => Promise<boolean>;
}

/** The token is missing its signature, badly signed, expired or otherwise unacceptable. */
export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

export type TokenVerifier = (token: string) => Promise<Claims>;

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
export const DEFAULT_MAX_LIFETIME_SECONDS = 7 * 24 * 3600;

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const secret = options.jwtSecret ? new TextEncoder().encode(options.jwtSecret) : undefined;
  const jwks = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000 }) : undefined;
  const rules = { issuer: options.issuer, maxLifetimeSeconds: options.maxLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS };
  return async (token) => {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch (error) {
      throw new InvalidTokenError('the bearer token is not a JWT', { cause: error });
    }
    let payload: JWTPayload;
    try {
      if (alg === 'HS256') {
        if (!secret) throw new InvalidTokenError('HS256 tokens are not accepted: JWT_SECRET is not configured');
        ({ payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], requiredClaims: ['exp'] }));
      } else if (alg && ASYMMETRIC.includes(alg)) {
        if (!jwks) throw new InvalidTokenError(`${alg} tokens are not accepted: neither JWKS_URL nor SUPABASE_URL is configured`);
        ({ payload } = await jwtVerify(token, jwks, { algorithms: ASYMMETRIC, requiredClaims: ['exp'] }));
      } else {
        throw new InvalidTokenError(`tokens signed with ${alg ?? 'no algorithm'} are not accepted`);
      }
    } catch (error) {
      // Whatever failed (a bad signature, or a payload the parser chokes on), the token is refused.
      if (error instanceof InvalidTokenError) throw error;
      const code = typeof error === 'object' && error && 'code' in error ? String(error.code) : '';
      const reason = code === 'ERR_JWT_EXPIRED' ? 'the token has expired: sign in again' : 'the token signature or claims are invalid';
      throw new InvalidTokenError(reason, { cause: error });
    }
    const problem = claimsProblem(payload as Record<string, unknown>, rules, Math.floor(Date.now() / 1000));
    if (problem) throw new InvalidTokenError(problem);
    const claims = withDefaultRole(payload as Claims);
    if (options.isCurrent && !(await options.isCurrent(claims))) {
      throw new InvalidTokenError('the token’s user has changed (role, email or password) or no longer exists: sign in again');
    }
    return claims;
  };
}
