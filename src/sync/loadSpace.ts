// Reads a space for its sync, marking it `syncing` with the attempt number in the same statement:
// the row, all its price rows (deleted ones too: their Stripe prices get archived) and the pending
// create left behind by an interrupted sync, if any. One round trip.
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

export async function loadSpace(db: Queryable, spaceId: string, attempt: number): Promise<LoadedSpace | null> {
  const { rows } = await db.query(
    `with s as (
       update public.spaces set sync_status = 'syncing', sync_attempt = $2 where id = $1 returning *
     )
     select to_jsonb(s) as space, ${SYNC_FINGERPRINT_SQL} as fingerprint,
            (select coalesce(jsonb_agg(to_jsonb(p) order by p.position, p.created_at, p.id), '[]'::jsonb)
               from public.space_prices p where p.space_id = $1) as prices,
            (select to_jsonb(i) || jsonb_build_object('age_s', extract(epoch from now() - i.created_at))
               from public.space_sync_intents i where i.space_id = $1) as intent
       from s`,
    [spaceId, attempt],
  );
  const row = rows[0] as { space: SpaceRecord; fingerprint: string; prices: PriceRecord[]; intent: SyncIntent | null } | undefined;
  if (!row) return null;
  return { space: row.space, fingerprint: row.fingerprint, prices: row.prices, intent: row.intent };
}
