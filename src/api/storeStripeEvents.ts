// Stores webhook events and enqueues their processing, group-commit style: while a batch is being
// written, arriving events wait and go together in the next one. Each batch is ONE statement (the
// rows and their jobs commit together or not at all) with ONE job-queue NOTIFY, whose commit-time
// lock is what limits one-event-per-transaction ingestion. At low load every event is its own batch,
// so nothing waits.
import type { Pool } from '../db/pool.ts';

export interface StripeEventRow {
  id: string;
  type: string;
  objectId: string | null;
  /** Event `created`, Unix seconds. */
  created: number;
  /** The object's `updated`, ISO, when it has one. */
  objectUpdated: string | null;
  livemode: boolean;
  /** The raw JSON body. */
  payload: string;
}

const STORE_AND_ENQUEUE = `
  with input as (
    select * from unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::timestamptz[], $6::boolean[], $7::jsonb[])
      as t(id, type, object_id, created, object_updated, livemode, payload)
  ),
  stored as (
    insert into public.stripe_events (id, type, object_id, event_created, object_updated, livemode, payload)
    select id, type, object_id, to_timestamp(created), object_updated, livemode, payload from input
    on conflict (id) do nothing
    returning id
  ),
  jobs as (
    select count(*) as n from graphile_worker.add_jobs(array(
      select ('process_stripe_event', json_build_object('event_id', stored.id), null, null, 25,
              'process_stripe_event:' || stored.id, null, null)::graphile_worker.job_spec
        from stored))
  )
  select stored.id, (select n from jobs) as enqueued from stored`;

interface Waiting {
  row: StripeEventRow;
  resolve: (stored: boolean) => void;
  reject: (error: unknown) => void;
}

export interface StripeEventStore {
  /** true = stored now (and its job enqueued); false = already stored (a duplicate delivery). */
  store(row: StripeEventRow): Promise<boolean>;
}

export function createStripeEventStore(pool: Pool, options: { maxBatch?: number; maxInFlight?: number } = {}): StripeEventStore {
  const maxBatch = options.maxBatch ?? 500;
  const maxInFlight = options.maxInFlight ?? 2;
  let waiting: Waiting[] = [];
  let inFlight = 0;

  const flush = () => {
    while (waiting.length > 0 && inFlight < maxInFlight) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(batch.length);
      inFlight++;
      void write(batch).finally(() => {
        inFlight--;
        flush();
      });
    }
  };

  const write = async (batch: Waiting[]) => {
    // One delivery of an id per batch; later copies in the same batch are duplicates of the first.
    const first = new Map<string, Waiting>();
    for (const w of batch) if (!first.has(w.row.id)) first.set(w.row.id, w);
    const rows = [...first.values()].map((w) => w.row);
    try {
      const { rows: stored } = await pool.query<{ id: string }>(STORE_AND_ENQUEUE, [
        rows.map((r) => r.id),
        rows.map((r) => r.type),
        rows.map((r) => r.objectId),
        rows.map((r) => r.created),
        rows.map((r) => r.objectUpdated),
        rows.map((r) => r.livemode),
        rows.map((r) => r.payload),
      ]);
      const ids = new Set(stored.map((r) => r.id));
      for (const w of batch) w.resolve(first.get(w.row.id) === w && ids.has(w.row.id));
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  };

  return {
    store(row) {
      return new Promise<boolean>((resolve, reject) => {
        waiting.push({ row, resolve, reject });
        flush();
      });
    },
  };
}
