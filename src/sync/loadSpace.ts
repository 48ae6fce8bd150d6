// Reads a space for its sync, marking it `syncing` with the attempt number: the row, all its price
// rows (deleted ones too: their Stripe prices get archived) and the pending create left behind by an
// interrupted sync, if any. One round trip, two statements in one transaction, so that the row and
// its prices are one consistent state:
//   1. the UPDATE locks the row and returns its newest version N;
//   2. the SELECT, under a snapshot taken after that, reads the prices.
// Every price change bumps the space's version in its own transaction (tg_space_prices__bump_space),
// so it either committed before (1) and is seen by (2), or waits for the row lock and becomes N+1.
// A single statement would not do: its subqueries read the snapshot taken before the UPDATE waited
// for a concurrent edit, so version N could be planned without a price N has.
import type { Operation, PriceRecord, SpaceRecord } from '../catalog/index.ts';
import type { StripeCall } from '../catalog/index.ts';
import type { Queryable } from './appLog.ts';

export interface SyncIntent {
  operation: Operation['kind'];
  idempotency_key: string;
  op: Operation;
  call: StripeCall;
  version: number;
  /** Age in seconds. */
  age_s: number;
}

/**
 * Identifies the stored Stripe state of a space (`s` is the spaces row): any sync step that wrote
 * something changes it. Computed by Postgres so a catalog run need not load 10,000 snapshots.
 */
export const SYNC_FINGERPRINT_SQL = `md5(coalesce(s.stripe_product_id, '') || '|' || coalesce(s.stripe_snapshot::text, ''))`;

export interface LoadedSpace {
  space: SpaceRecord;
  /** SYNC_FINGERPRINT_SQL of the row as loaded. */
  fingerprint: string;
  prices: PriceRecord[];
  intent: SyncIntent | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function loadSpace(db: Queryable, spaceId: string, attempt: number): Promise<LoadedSpace | null> {
  // Two statements in one query string run as one transaction; that takes the simple protocol, which
  // has no parameters: the two values are checked and inlined.
  if (!UUID.test(spaceId)) throw new Error(`"${spaceId}" is not a space id (a uuid)`);
  if (!Number.isInteger(attempt) || attempt < 0) throw new Error(`attempt must be a whole number (got ${attempt})`);
  const id = `'${spaceId.toLowerCase()}'::uuid`;
  const results = (await db.query(
    `update public.spaces s set sync_status = 'syncing', sync_attempt = ${attempt} where s.id = ${id}
       returning to_jsonb(s) as space, ${SYNC_FINGERPRINT_SQL} as fingerprint;
     select (select coalesce(jsonb_agg(to_jsonb(p) order by p.position, p.created_at, p.id), '[]'::jsonb)
               from public.space_prices p where p.space_id = ${id}) as prices,
            (select to_jsonb(i) || jsonb_build_object('age_s', extract(epoch from now() - i.created_at))
               from public.space_sync_intents i where i.space_id = ${id}) as intent`,
  )) as unknown as Array<{ rows: Array<Record<string, unknown>> }>;
  const head = results[0]?.rows[0] as { space: SpaceRecord; fingerprint: string } | undefined;
  if (!head) return null;
  const rest = results[1].rows[0] as { prices: PriceRecord[]; intent: SyncIntent | null };
  return { space: head.space, fingerprint: head.fingerprint, prices: rest.prices, intent: rest.intent };
}
