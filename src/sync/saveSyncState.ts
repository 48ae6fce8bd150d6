// The sync's writes, each one statement (so one round trip, atomic without an explicit transaction):
// a step's Stripe ids + snapshot + log rows the moment Stripe answered, the write-ahead record of a
// create, and the final status. Only sync-state columns (and space_prices.stripe_price_id) are
// written, which never enqueue another sync.
import type { Operation, StripeCall, StripeSnapshot } from '../catalog/index.ts';
import { appLogInsertSql, appLogJson, type AppLogRow, type Queryable } from './appLog.ts';

function priceIds(snapshot: StripeSnapshot | null): string {
  const ids: Record<string, string> = {};
  if (snapshot) for (const [rowId, price] of Object.entries(snapshot.prices)) ids[rowId] = price.priceId;
  return JSON.stringify(ids);
}

/**
 * After each Stripe call: stripe_product_id, stripe_snapshot, the rows' stripe_price_id, the step's
 * log rows, and (after a create) removal of its write-ahead record.
 */
export async function saveStep(
  db: Queryable,
  step: { spaceId: string; snapshot: StripeSnapshot | null; logs: readonly AppLogRow[]; clearIntent: boolean },
): Promise<void> {
  await db.query(
    // Price rows are locked before the space row, the order an admin's price edit takes them in (its
    // trigger then bumps the space): the other order could deadlock with it. `s` reads `p`, so `p`
    // runs first.
    `with p as (
       update public.space_prices p set stripe_price_id = x.value
         from jsonb_each_text($4::jsonb) x
        where p.id = x.key::uuid and p.space_id = $1 and p.stripe_price_id is distinct from x.value
          and not exists (select 1 from public.space_prices o where o.stripe_price_id = x.value and o.id <> p.id)
       returning p.id
     ), s as (
       update public.spaces set stripe_snapshot = $2::jsonb, stripe_product_id = $3
        where id = $1 and (select count(*) from p) >= 0
       returning id
     ), i as (
       delete from public.space_sync_intents where space_id = $1 and $5::boolean returning space_id
     ), l as (
       ${appLogInsertSql('$6')} returning id
     )
     select (select count(*) from s) as spaces, (select count(*) from p) as prices,
            (select count(*) from i) as intents, (select count(*) from l) as logs`,
    [step.spaceId, step.snapshot === null ? null : JSON.stringify(step.snapshot), step.snapshot?.productId ?? null, priceIds(step.snapshot), step.clearIntent, appLogJson(step.logs)],
  );
}

/** Before a create is sent: what is about to be sent, with its key (see migration 000020). */
export async function saveIntent(
  db: Queryable,
  intent: { spaceId: string; op: Operation; call: StripeCall; idempotencyKey: string; version: number },
): Promise<void> {
  await db.query(
    `insert into public.space_sync_intents (space_id, operation, idempotency_key, op, call, version)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (space_id) do update set operation = excluded.operation, idempotency_key = excluded.idempotency_key,
       op = excluded.op, call = excluded.call, version = excluded.version, created_at = now()`,
    [intent.spaceId, intent.op.kind, intent.idempotencyKey, JSON.stringify(intent.op), JSON.stringify(intent.call), intent.version],
  );
}

export async function clearIntent(db: Queryable, spaceId: string): Promise<void> {
  await db.query(`delete from public.space_sync_intents where space_id = $1`, [spaceId]);
}

export interface FinishResult {
  /** The space still has the version that was synced (so it is now `synced`). */
  current: boolean;
}

/**
 * End of a successful sync: `synced` only when `version` is still the one synced (otherwise an edit
 * came in meanwhile: the row stays `pending` and its job is already queued). A sync against live
 * Stripe objects also clears the recorded drift.
 */
export async function finishSync(
  db: Queryable,
  done: { spaceId: string; version: number; clearDrift: boolean; logs: readonly AppLogRow[] },
): Promise<FinishResult> {
  const { rows } = await db.query(
    `with s as (
       update public.spaces
          set sync_status = case when version = $2 then 'synced' else 'pending' end,
              synced_version = greatest(coalesce(synced_version, 0), $2),
              last_synced_at = now(),
              last_error = null,
              drift = case when $3::boolean and version = $2 then null else drift end
        where id = $1
        returning version = $2 as current
     ), l as (
       ${appLogInsertSql('$4')} returning id
     )
     select (select current from s) as current, (select count(*) from l) as logs`,
    [done.spaceId, done.version, done.clearDrift, appLogJson(done.logs)],
  );
  return { current: rows[0]?.current === true };
}

/**
 * A failed sync: `error` with the message when the space still has the synced version (an edit made
 * meanwhile leaves it `pending`: its own sync is queued).
 */
export async function failSync(
  db: Queryable,
  failed: { spaceId: string; version: number; message: string; logs: readonly AppLogRow[] },
): Promise<void> {
  await db.query(
    `with s as (
       update public.spaces
          set sync_status = case when version = $2 then 'error' else 'pending' end,
              last_error = left($3, 4000)
        where id = $1
        returning id
     ), l as (
       ${appLogInsertSql('$4')} returning id
     )
     select (select count(*) from s) as spaces, (select count(*) from l) as logs`,
    [failed.spaceId, failed.version, failed.message, appLogJson(failed.logs)],
  );
}
