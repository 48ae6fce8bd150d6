// Runs queries for a user exactly as Supabase's PostgREST does: one transaction, `set local role` to
// the token's role and `request.jwt.claims` set to the token's claims, so row level security applies.
import type pg from 'pg';
import { withTransaction } from './pool.ts';

export interface Claims {
  sub?: string;
  role?: string;
  email?: string;
  app_metadata?: { role?: string; [k: string]: unknown };
  [k: string]: unknown;
}

const API_ROLES = new Set(['anon', 'authenticated', 'service_role']);

export async function withClaims<T>(pool: pg.Pool, claims: Claims | null, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const role = claims?.role ?? 'anon';
  if (!API_ROLES.has(role)) throw new Error(`token role "${role}" is not one of anon, authenticated, service_role`);
  return withTransaction(pool, async (client) => {
    // The role name is one of three fixed identifiers, checked above.
    await client.query(`set local role ${role}`);
    await client.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claims ?? { role: 'anon' })]);
    return fn(client);
  });
}
