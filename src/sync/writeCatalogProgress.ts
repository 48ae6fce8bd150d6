// A catalog run's progress as it applies: its counters on the run row, and the entries finished since
// the last write as rows of catalog_run_outcomes, in one statement. The row's size does not grow
// with the run (migration 000105), so the thousandth write costs what the first did.
import type { Pool } from '../db/pool.ts';

/**
 * An entry's result; an entry without one is pending. `stale`: not applied, its change is no longer
 * the one reviewed (the message says to compute a new plan).
 */
export type EntryOutcome = { status: 'done' } | { status: 'failed' | 'stale'; error: string };

export interface CatalogRunCounters {
  done: number;
  failed: number;
  /** Entries not applied because their change is no longer the one reviewed (left as is when absent). */
  stale?: number;
  calls: number;
}

export async function writeCatalogProgress(pool: Pool, runId: string, counters: CatalogRunCounters, outcomes: ReadonlyMap<string, EntryOutcome>): Promise<void> {
  const keys = [...outcomes.keys()];
  const values = [...outcomes.values()];
  await pool.query(
    `with written as (
       insert into public.catalog_run_outcomes (run_id, entry_key, status, error)
         select $1, o.entry_key, o.status, o.error from unnest($5::text[], $6::text[], $7::text[]) o(entry_key, status, error)
         on conflict (run_id, entry_key) do update set status = excluded.status, error = excluded.error, seq = default, recorded_at = now()
     )
     update public.catalog_runs set done = $2, failed = $3, calls = $4, stale = coalesce($8::integer, stale) where id = $1`,
    [runId, counters.done, counters.failed, counters.calls, keys, values.map((o) => o.status), values.map((o) => (o.status === 'done' ? null : o.error)), counters.stale ?? null],
  );
}

/** Forgets a run's outcomes: it plans and applies afresh. */
export async function clearCatalogOutcomes(pool: Pool, runId: string): Promise<void> {
  await pool.query(`delete from public.catalog_run_outcomes where run_id = $1`, [runId]);
}

/**
 * Forgets a run's outcomes but those of entries it applied already, whose keys it returns: the apply
 * of a reviewed plan, resumed, keeps what it did (those changes are no longer in a fresh plan).
 */
export async function keepDoneOutcomes(pool: Pool, runId: string): Promise<Set<string>> {
  const { rows } = await pool.query<{ entry_key: string }>(
    `with gone as (delete from public.catalog_run_outcomes where run_id = $1 and status <> 'done')
     select entry_key from public.catalog_run_outcomes where run_id = $1 and status = 'done'`,
    [runId],
  );
  return new Set(rows.map((r) => r.entry_key));
}
