// Stores webhook events and enqueues their processing, group-commit style: while a batch is being
// written, arriving events wait and go together in the next one. Each batch is ONE statement (the
// rows and their jobs commit together or not at all) with ONE job-queue NOTIFY, whose commit-time
// lock is what limits one-event-per-transaction ingestion. At low load every event is its own batch,
// so nothing waits. When Postgres refuses one event's data, the batch is halved until that event is
// alone: it alone is refused (UnstorableEventError), its neighbours are stored.
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
  /** The raw JSON body: one JSON value (it is spliced into a JSON array as is). */
  payload: string;
}

// The payloads go as ONE JSON array ($7, built by joining the raw bodies: no per-character escaping of
// an array literal in JS), zipped with the other columns by ROWS FROM.
const STORE_AND_ENQUEUE = `
  with input as (
    select * from rows from (unnest($1::text[]), unnest($2::text[]), unnest($3::text[]), unnest($4::float8[]),
                             unnest($5::timestamptz[]), unnest($6::boolean[]), jsonb_array_elements($7::jsonb))
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

/** An event Postgres refused to store (bad data in that event alone): the sender's fault, a 400. */
export class UnstorableEventError extends Error {
  override name = 'UnstorableEventError';
}

/** SQLSTATE classes of data Postgres refuses: 22 (data exception), 54 (program limit, e.g. nesting). */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('54'));
}

export interface StripeEventStore {
  /** true = stored now (and its job enqueued); false = already stored (a duplicate delivery). */
  store(row: StripeEventRow): Promise<boolean>;
}

export interface StripeEventStoreOptions {
  /** Events per statement at most (default 500). */
  maxBatch?: number;
  /** Statements running at once (default 2). */
  maxInFlight?: number;
  /**
   * Events that must be waiting before a statement starts beside one already running (default 32).
   * A statement's fixed cost (the job queue's function, its NOTIFY) outweighs its per-event cost
   * several times over, so a second statement only pays when it carries a large batch.
   */
  parallelBatch?: number;
  /**
   * Run the statement as a named prepared statement (planned once per connection). Only where the
   * connection is a real session or a pooler that keeps prepared statements (PgBouncer 1.21+ with
   * max_prepared_statements, Supavisor); off by default.
   */
  prepared?: boolean;
}

export function createStripeEventStore(pool: Pool, options: StripeEventStoreOptions = {}): StripeEventStore {
  const maxBatch = options.maxBatch ?? 500;
  const maxInFlight = options.maxInFlight ?? 2;
  const parallelBatch = options.parallelBatch ?? 32;
  const name = options.prepared ? 'spacesync_store_stripe_events' : undefined;
  let waiting: Waiting[] = [];
  let inFlight = 0;

  const flush = () => {
    while (waiting.length > 0 && (inFlight === 0 || (inFlight < maxInFlight && waiting.length >= parallelBatch))) {
      const batch = waiting.length <= maxBatch ? waiting : waiting.slice(0, maxBatch);
      waiting = waiting.length <= maxBatch ? [] : waiting.slice(maxBatch);
      inFlight++;
      void write(group(batch)).finally(() => {
        inFlight--;
        flush();
      });
    }
  };

  /** The deliveries of a batch by event id: the first stores, later copies are its duplicates. */
  const group = (batch: Waiting[]): Map<string, Waiting[]> => {
    const byId = new Map<string, Waiting[]>();
    for (const w of batch) {
      const copies = byId.get(w.row.id);
      if (copies) copies.push(w);
      else byId.set(w.row.id, [w]);
    }
    return byId;
  };

  const write = async (byId: Map<string, Waiting[]>): Promise<void> => {
    const rows: StripeEventRow[] = [];
    for (const copies of byId.values()) rows.push(copies[0].row);
    try {
      const values = [
        rows.map((r) => r.id),
        rows.map((r) => r.type),
        rows.map((r) => r.objectId),
        rows.map((r) => r.created),
        rows.map((r) => r.objectUpdated),
        rows.map((r) => r.livemode),
        `[${rows.map((r) => r.payload).join(',')}]`,
      ];
      const { rows: stored } = await pool.query<{ id: string }>(name ? { name, text: STORE_AND_ENQUEUE, values } : { text: STORE_AND_ENQUEUE, values });
      const ids = new Set(stored.map((r) => r.id));
      for (const [id, copies] of byId) {
        copies[0].resolve(ids.has(id));
        for (let i = 1; i < copies.length; i++) copies[i].resolve(false);
      }
    } catch (error) {
      if (!isDataError(error)) {
        for (const copies of byId.values()) for (const w of copies) w.reject(error);
        return;
      }
      if (byId.size === 1) {
        const message = error instanceof Error ? error.message : String(error);
        const refused = new UnstorableEventError(`Postgres refused the event: ${message}`, { cause: error });
        for (const copies of byId.values()) for (const w of copies) w.reject(refused);
        return;
      }
      // One event's data failed the whole statement: halve until it is alone, so its neighbours store.
      const entries = [...byId];
      const half = Math.ceil(entries.length / 2);
      await write(new Map(entries.slice(0, half)));
      await write(new Map(entries.slice(half)));
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
