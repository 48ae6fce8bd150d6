// Every space (deleted ones included: their products get archived) with all its price rows, for a
// catalog run: only the columns the plan reads, and the fingerprint of each space's stored Stripe
// state instead of the snapshot itself (10,000 snapshots are tens of MB). Two queries, grouped here,
// read from one snapshot (a REPEATABLE READ transaction): a space's version always goes with its
// prices of that version.
import type { CatalogSpace, PriceContent, StripeSnapshot } from '../catalog/index.ts';
import type { Queryable } from './appLog.ts';
import type { Pool } from '../db/pool.ts';
import { SYNC_FINGERPRINT_SQL } from './loadSpace.ts';

export type CatalogSpaceRow = CatalogSpace & { fingerprint: string };
export type { Queryable };

export async function loadCatalogSpaces(pool: Pool): Promise<CatalogSpaceRow[]> {
  const db = await pool.connect();
  let spaces, prices;
  try {
    await db.query('begin isolation level repeatable read read only');
    spaces = await db.query(
      `select s.id, s.name, s.description, s.kind, s.capacity, s.location, s.images, s.active, s.metadata, s.deleted_at,
              s.version, s.stripe_product_id, ${SYNC_FINGERPRINT_SQL} as fingerprint
         from public.spaces s order by s.created_at, s.id`,
    );
    prices = await db.query(
      `select id, space_id, pricing_type, unit_amount, currency, recurring_interval, recurring_interval_count, tax_behavior,
              currency_options, nickname, is_default, position, active, lookup_key, created_at, deleted_at
         from public.space_prices order by space_id, position, created_at, id`,
    );
    await db.query('commit');
  } catch (error) {
    await db.query('rollback').catch(() => {});
    db.release(error as Error);
    throw error;
  }
  db.release();
  const bySpace = new Map<string, PriceContent[]>();
  for (const p of prices.rows as Array<PriceContent & { space_id: string }>) {
    const list = bySpace.get(p.space_id);
    if (list) list.push(p);
    else bySpace.set(p.space_id, [p]);
  }
  return spaces.rows.map((row: CatalogSpace['space'] & { fingerprint: string }) => {
    const { fingerprint, ...space } = row;
    return { space, prices: bySpace.get(space.id) ?? [], fingerprint };
  });
}

/** The stored snapshots of the given spaces (those whose product the listing did not show). */
export async function loadSnapshots(db: Queryable, spaceIds: readonly string[]): Promise<Map<string, StripeSnapshot | null>> {
  const out = new Map<string, StripeSnapshot | null>();
  if (spaceIds.length === 0) return out;
  const { rows } = await db.query(`select id, stripe_snapshot from public.spaces where id = any($1::uuid[])`, [spaceIds]);
  for (const r of rows) out.set(r.id, r.stripe_snapshot);
  return out;
}
