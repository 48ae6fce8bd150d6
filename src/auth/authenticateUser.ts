// Embedded login: canonical email + password → the user, or null. Same work for an unknown email and
// a wrong password, so timing does not tell which emails exist.
import type { Pool } from '../db/pool.ts';
import { dummyPasswordHash, verifyPassword } from './hashPassword.ts';
import type { TokenUser } from './issueToken.ts';

/** `email` is already canonical (canonicalEmail): it is compared exactly with the stored one. */
export async function authenticateUser(pool: Pool, email: string, password: string): Promise<TokenUser | null> {
  const { rows } = await pool.query<TokenUser & { password_hash: string }>(
    `select id, email, role, token_version as "tokenVersion", password_hash from public.users where email = $1`,
    [email],
  );
  const user = rows[0];
  const ok = await verifyPassword(password, user ? user.password_hash : await dummyPasswordHash());
  return user && ok ? { id: user.id, email: user.email, role: user.role, tokenVersion: user.tokenVersion } : null;
}
