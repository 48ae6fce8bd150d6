// Revocation of the embedded login's tokens: such a token carries its user's `token_version`, which
// Postgres bumps when the user's role, email or password changes; a deleted user has no row. One
// primary-key lookup per request that carries such a token; other tokens (Supabase Auth, JWKS, API
// keys) are not ours to revoke and pass.
import type { Pool } from '../db/pool.ts';
import type { Claims } from './claims.ts';
import { TOKEN_VERSION_CLAIM } from './issueToken.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createTokenIsCurrent(pool: Pool): (claims: Claims) => Promise<boolean> {
  return async (claims) => {
    const version = claims[TOKEN_VERSION_CLAIM];
    if (version === undefined) return true;
    if (typeof version !== 'number' || !Number.isInteger(version) || typeof claims.sub !== 'string' || !UUID.test(claims.sub)) return false;
    const { rows } = await pool.query<{ token_version: number; role: string }>(
      'select token_version, role from public.users where id = $1',
      [claims.sub],
    );
    const user = rows[0];
    if (!user || user.token_version !== version) return false;
    // The role in the token is the one the row had at that version; checked again all the same.
    return (claims.app_metadata?.role === 'admin') === (user.role === 'admin');
  };
}
