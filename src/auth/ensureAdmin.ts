// First start of the embedded login: when no admin exists, create one from ADMIN_EMAIL /
// ADMIN_PASSWORD, or with a random password that the caller prints once.
import type { Config } from '../config.ts';
import type { Pool } from '../db/pool.ts';
import { withTransaction } from '../db/pool.ts';
import { canonicalEmail } from './canonicalEmail.ts';
import { generatePassword } from './generatePassword.ts';
import { hashPassword } from './hashPassword.ts';

export const DEFAULT_ADMIN_EMAIL = 'admin@spacesync.local';
const ENSURE_ADMIN_LOCK = 7_391_204_119;

/** null when an admin already exists; else the new admin, with `password` when it was generated. */
export async function ensureAdmin(
  pool: Pool,
  config: Pick<Config, 'adminEmail' | 'adminPassword'>,
): Promise<{ email: string; password?: string } | null> {
  return withTransaction(pool, async (client) => {
    // Two processes starting at once create one admin.
    await client.query('select pg_advisory_xact_lock($1)', [ENSURE_ADMIN_LOCK]);
    const { rowCount } = await client.query(`select 1 from public.users where role = 'admin' limit 1`);
    if (rowCount) return null;
    const email = canonicalEmail(config.adminEmail ?? DEFAULT_ADMIN_EMAIL);
    const password = config.adminPassword ?? generatePassword();
    const hash = await hashPassword(password);
    await client.query(
      `insert into public.users (email, password_hash, role) values ($1, $2, 'admin')
       on conflict (email) do update set role = 'admin', password_hash = excluded.password_hash`,
      [email, hash],
    );
    return config.adminPassword ? { email } : { email, password };
  });
}
