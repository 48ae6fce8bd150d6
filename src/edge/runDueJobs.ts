// Runs the queue's due jobs in this process, one at a time, until none is left or the time budget is
// spent: graphile-worker's runTaskListOnce, shut down gracefully at the deadline (the job in hand
// finishes; the next one stays queued). For runtimes that cannot keep a worker running (Supabase
// Edge Functions: 150 s wall clock on the free plan, 2 s of CPU per request).
import { runTaskListOnce, type JobHelpers, type TaskList } from 'graphile-worker';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { graphileLogger } from '../sync/graphileLogger.ts';

export interface RunDueJobsOptions {
  pool: Pool;
  taskList: TaskList;
  /** Stop taking jobs after this long (ms); the job running then completes. */
  budgetMs: number;
  log: Logger;
}

export interface RunDueJobsResult {
  completed: number;
  failed: number;
  /** The budget ran out before the queue was empty. */
  stoppedEarly: boolean;
  ms: number;
  tasks: Record<string, { completed: number; failed: number }>;
}

export async function runDueJobs(options: RunDueJobsOptions): Promise<RunDueJobsResult> {
  const started = performance.now();
  const result: RunDueJobsResult = { completed: 0, failed: 0, stoppedEarly: false, ms: 0, tasks: {} };
  // Count outcomes by wrapping each task: what graphile-worker does with a throw (retry later) is unchanged.
  const counted: TaskList = Object.fromEntries(
    Object.entries(options.taskList).map(([name, task]) => [
      name,
      async (payload: unknown, helpers: JobHelpers) => {
        if (!task) throw new Error(`no task function for ${name}`);
        const tally = (result.tasks[name] ??= { completed: 0, failed: 0 });
        try {
          await task(payload, helpers);
          tally.completed++;
          result.completed++;
        } catch (error) {
          tally.failed++;
          result.failed++;
          throw error;
        }
      },
    ]),
  );
  const logger = graphileLogger(options.log, { infoAs: 'debug' });
  const client = await options.pool.connect();
  try {
    const workerPool = runTaskListOnce({ noHandleSignals: true, logger }, counted, client);
    const timer = setTimeout(() => {
      result.stoppedEarly = true;
      void workerPool.gracefulShutdown('time budget spent');
    }, options.budgetMs);
    try {
      await workerPool.promise;
    } finally {
      clearTimeout(timer);
    }
  } finally {
    client.release();
  }
  result.ms = Math.round(performance.now() - started);
  return result;
}
