// Bearer authentication middleware: verifies the token (if any) and puts the claims on the context.
// `requireUser` / `requireAdmin` guard routes; the database's RLS still applies to every query.
import type { MiddlewareHandler } from 'hono';
import { isAdminClaims, type Claims } from '../auth/claims.ts';
import { InvalidTokenError, type TokenVerifier } from '../auth/verifyToken.ts';
import { HttpError } from './httpError.ts';

export type AuthEnv = { Variables: { claims: Claims | null } };

export function authenticate(verify: TokenVerifier): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (!header) {
      c.set('claims', null);
      return next();
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new HttpError(401, 'unauthorized', 'the Authorization header must be "Bearer <token>"');
    try {
      c.set('claims', await verify(match[1]));
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new HttpError(401, 'unauthorized', error.message, undefined, { cause: error });
      throw error;
    }
    return next();
  };
}

export const requireUser: MiddlewareHandler<AuthEnv> = async (c, next) => {
  const claims = c.get('claims');
  if (!claims || claims.role === 'anon') throw new HttpError(401, 'unauthorized', 'sign in first: this route needs a bearer token');
  return next();
};

export const requireAdmin: MiddlewareHandler<AuthEnv> = async (c, next) => {
  const claims = c.get('claims');
  if (!claims || claims.role === 'anon') throw new HttpError(401, 'unauthorized', 'sign in first: this route needs an admin’s bearer token');
  if (!isAdminClaims(claims)) throw new HttpError(403, 'forbidden', 'only an admin may do this: ask an admin to grant you the admin role');
  return next();
};
