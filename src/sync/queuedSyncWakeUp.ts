// A sync that follows another within its settle window is queued to run when the window closes
// (spacesync_enqueue_sync). graphile-worker is woken by LISTEN/NOTIFY when a job is added, not when
// a job added earlier becomes due: it would only find it at its next poll. So after each sync the
// task looks for that next job of the space and, if there is one, sends the workers' wake-up
// notification at its time.
import type { Pool } from '../db/pool.ts';

export async function wakeWorkersForQueuedSync(pool: Pool, spaceId: string, onError?: (error: unknown) => void): Promise<number | null> {
  const { rows } = await pool.query<{ ms: number }>(
    `select extract(epoch from (run_at - clock_timestamp())) * 1000 as ms
       from graphile_worker._private_jobs where key = $1 and locked_at is null`,
    [`sync_space:${spaceId}`],
  );
  const ms = rows[0]?.ms;
  if (ms === undefined || ms <= 0) return null; // none, or due now: the add_job notification woke them
  const timer = setTimeout(() => {
    pool.query(`select pg_notify('jobs:insert', '{"count":1}')`).catch((error: unknown) => onError?.(error));
  }, Math.ceil(ms) + 1);
  timer.unref?.();
  return ms;
}
