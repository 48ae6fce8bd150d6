// Bearer token verification: HS256 with JWT_SECRET (Supabase's JWT secret works as is) or an
// asymmetric key from a JWKS (Supabase's /auth/v1/.well-known/jwks.json, or any JWKS_URL).
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { API_ROLES, type Claims } from './claims.ts';

export interface TokenVerifierOptions {
  jwtSecret?: string;
  jwksUrl?: string;
}

/** The token is missing its signature, badly signed, expired or otherwise unacceptable. */
export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

export type TokenVerifier = (token: string) => Promise<Claims>;

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const secret = options.jwtSecret ? new TextEncoder().encode(options.jwtSecret) : undefined;
  const jwks = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000 }) : undefined;
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
      if (error instanceof InvalidTokenError) throw error;
      const code = typeof error === 'object' && error && 'code' in error ? String(error.code) : '';
      const reason = code === 'ERR_JWT_EXPIRED' ? 'the token has expired: sign in again' : 'the token signature or claims are invalid';
      throw new InvalidTokenError(reason, { cause: error });
    }
    const claims = payload as Claims;
    const role = claims.role ?? 'authenticated';
    if (!(API_ROLES as readonly string[]).includes(role)) throw new InvalidTokenError(`the token role "${String(role)}" is not one of ${API_ROLES.join(', ')}`);
    return { ...claims, role };
  };
}
