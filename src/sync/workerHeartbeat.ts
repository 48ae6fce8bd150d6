// A worker process's heartbeat: every `intervalMs` it records itself alive (spacesync_worker_beat,
// migration 000041), hands back its own jobs that it no longer runs, and sweeps what dead processes
// left: the jobs of workers silent for `deadAfterMs` go back to the queue at once (not after
// graphile-worker's 4 hours), spaces left `syncing` go back to `pending` with a job, catalog runs of a
// dead process end `interrupted`. A failed beat (database restarting) is logged and tried again.
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../log.ts';

export interface RecoveryReport {
  dead_workers: string[];
  superseded_jobs: number;
  unlocked_jobs: number;
  spaces_reset: number;
  runs_interrupted: number;
  own_jobs_returned?: number;
}

export interface HeartbeatOptions {
  pool: Pool;
  /** graphile-worker's pool id (jobs.locked_by), null until the runner has made its pool. */
  workerId: () => string | null;
  /** Ids of the jobs this process is running now. */
  activeJobs: () => Iterable<string>;
  log: Logger;
  intervalMs?: number;
  deadAfterMs?: number;
  /** A job locked by an id that never beat (a one-off runner) is taken back after this long. */
  foreignAfterMs?: number;
  pid?: number | null;
  host?: string | null;
}

export interface Heartbeat {
  /** One beat now (tests, and the first beat at start). */
  beat(): Promise<RecoveryReport | null>;
  stop(): Promise<void>;
}

export const HEARTBEAT_INTERVAL_MS = 2_000;
export const DEAD_AFTER_MS = 10_000;
export const FOREIGN_AFTER_MS = 300_000;

export function startHeartbeat(options: HeartbeatOptions): Heartbeat {
  const interval = options.intervalMs ?? HEARTBEAT_INTERVAL_MS;
  const deadAfterS = (options.deadAfterMs ?? DEAD_AFTER_MS) / 1000;
  const foreignAfterS = (options.foreignAfterMs ?? FOREIGN_AFTER_MS) / 1000;
  const log = options.log.child({ component: 'heartbeat' });
  let stopped = false;
  let running: Promise<RecoveryReport | null> = Promise.resolve(null);
  let failing = false;

  const once = async (): Promise<RecoveryReport | null> => {
    const id = options.workerId();
    if (id === null) return null;
    try {
      const { rows } = await options.pool.query(`select public.spacesync_worker_beat($1, $2, $3, $4::bigint[], $5, $6) as report`, [
        id,
        options.pid ?? null,
        options.host ?? null,
        [...options.activeJobs()],
        deadAfterS,
        foreignAfterS,
      ]);
      const report = rows[0].report as RecoveryReport;
      if (failing) log.info('heartbeat restored');
      failing = false;
      const recovered = report.unlocked_jobs + report.superseded_jobs + report.spaces_reset + report.runs_interrupted + (report.own_jobs_returned ?? 0);
      if (recovered > 0 || report.dead_workers.length > 0) log.warn({ recovery: report }, 'recovered what stopped processes left');
      return report;
    } catch (error) {
      if (!failing) log.warn({ err: error }, 'heartbeat failed (database unreachable?); retrying');
      failing = true;
      return null;
    }
  };
  const beat = () => (running = running.then(once, once));
  const timer = setInterval(() => {
    if (!stopped) void beat();
  }, interval);
  (timer as { unref?: () => void }).unref?.();
  return {
    beat,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await running;
      const id = options.workerId();
      if (id !== null) await options.pool.query(`select public.spacesync_worker_leave($1)`, [id]).catch((error: unknown) => log.warn({ err: error }, 'could not unregister the worker'));
    },
  };
}
