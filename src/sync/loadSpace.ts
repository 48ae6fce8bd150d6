// What a sync reads of its space (startSync.ts): the row, all its price rows (deleted ones too: their
// Stripe prices get archived) and the pending create left behind by an interrupted sync, if any.
import type { Operation, PriceRecord, SpaceRecord } from '../catalog/index.ts';
import type { StripeCall } from '../catalog/index.ts';

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
 * spacesync_start_sync (migration 000081) computes the same.
 */
export const SYNC_FINGERPRINT_SQL = `md5(coalesce(s.stripe_product_id, '') || '|' || coalesce(s.stripe_snapshot::text, ''))`;

export interface LoadedSpace {
  space: SpaceRecord;
  /** SYNC_FINGERPRINT_SQL of the row as loaded. */
  fingerprint: string;
  prices: PriceRecord[];
  intent: SyncIntent | null;
}
