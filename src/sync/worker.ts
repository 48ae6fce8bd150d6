// The sync worker: graphile-worker running spacesync's tasks on the shared pool. Any number of
// worker processes may run at once (jobs are taken with SKIP LOCKED; syncs of one space are
// serialised by spaceLock). Wake-up is LISTEN/NOTIFY, with graphile-worker's default polling as a
// fallback.
import { EventEmitter } from 'node:events';
import { run, type Runner, type TaskList, type WorkerEvents } from 'graphile-worker';
import { graphileLogger } from './graphileLogger.ts';
import type Stripe from 'stripe';
import type { Config } from '../config.ts';
import type { Pool } from '../db/pool.ts';
import { silentLogger, type Logger } from '../log.ts';
import type { RateLimiter } from '../stripe/rateLimiter.ts';
import { createStripeGateway, type StripeGateway } from '../stripe/stripeGateway.ts';
import { createProcessStripeEvent } from './events/processStripeEvent.ts';
import { createSyncCatalogTask, SYNC_CATALOG_TASK } from './syncCatalogTask.ts';
import { createStripeBudget } from './stripeBudget.ts';
import { createSyncSpaceTask, SYNC_SPACE_TASK } from './syncSpaceTask.ts';
import { startHeartbeat, type Heartbeat } from './workerHeartbeat.ts';
import { ensureStripeAccount, type StripeMode } from './stripeAccount.ts';

export const PROCESS_STRIPE_EVENT_TASK = 'process_stripe_event';

export interface StartWorkerOptions {
  pool: Pool;
  stripe: Stripe;
  config: Pick<Config, 'stripeRateLimit' | 'workerConcurrency' | 'driftPolicy'>;
  log?: Logger;
  /** The limiter to use; otherwise the Stripe budget shared through Postgres at config.stripeRateLimit. */
  limiter?: RateLimiter;
  /** A gateway to use as is (tests, the CLI); made from stripe + limiter otherwise. */
  gateway?: StripeGateway;
  /** graphile-worker's poll interval (ms); LISTEN/NOTIFY wakes it up sooner. */
  pollInterval?: number;
  /** Heartbeat and crash recovery timings (workerHeartbeat.ts defaults: 2 s, 10 s, 5 min). */
  heartbeat?: { intervalMs?: number; deadAfterMs?: number; foreignAfterMs?: number };
  /**
   * Name the key's Stripe account before taking jobs, switching the stored ids when it is another
   * account or mode (stripeAccount.ts). The CLI always does; tests on one emulator may skip it.
   */
  stripeAccount?: { mode: StripeMode };
  /** Who this process is, for the workers table (pid, host name). */
  identity?: { pid?: number; host?: string };
}

export interface RunningWorker {
  runner: Runner;
  gateway: StripeGateway;
  /** graphile-worker's pool id: jobs.locked_by of this worker's jobs. */
  workerId: string | null;
  heartbeat: Heartbeat;
  stop(): Promise<void>;
}

export function syncTaskList(deps: { pool: Pool; gateway: StripeGateway; config: StartWorkerOptions['config']; log: Logger }): TaskList {
  return {
    [SYNC_SPACE_TASK]: createSyncSpaceTask({ pool: deps.pool, gateway: deps.gateway, log: deps.log }),
    [SYNC_CATALOG_TASK]: createSyncCatalogTask({ pool: deps.pool, gateway: deps.gateway, log: deps.log }),
    [PROCESS_STRIPE_EVENT_TASK]: createProcessStripeEvent({ gateway: deps.gateway, driftPolicy: deps.config.driftPolicy, log: deps.log }),
  };
}

export async function startWorker(options: StartWorkerOptions): Promise<RunningWorker> {
  const log = (options.log ?? silentLogger).child({ component: 'worker' });
  // A budget made here is closed with the worker; one passed in belongs to the caller.
  const ownBudget =
    options.gateway || options.limiter
      ? null
      : createStripeBudget(options.pool, {
          ratePerSecond: options.config.stripeRateLimit,
          onLeaseError: (error) => log.warn({ err: error }, 'could not lease Stripe request slots from the shared budget'),
        });
  const gateway =
    options.gateway ??
    createStripeGateway({ stripe: options.stripe, limiter: options.limiter ?? (ownBudget as RateLimiter) });
  if (options.stripeAccount) await ensureStripeAccount(options.pool, gateway, options.stripeAccount.mode, log);
  // The pool id and the running jobs, for the heartbeat (graphile-worker's public events).
  const events: WorkerEvents = new EventEmitter() as WorkerEvents;
  let workerId: string | null = null;
  const active = new Set<string>();
  events.on('pool:create', ({ workerPool }) => (workerId = workerPool.id));
  events.on('job:start', ({ job }) => active.add(String(job.id)));
  events.on('job:complete', ({ job }) => active.delete(String(job.id)));
  const runner = await run({
    pgPool: options.pool,
    events,
    concurrency: options.config.workerConcurrency,
    noHandleSignals: true,
    crontab: '', // no cron items: spacesync's jobs are all enqueued by the database
    ...(options.pollInterval !== undefined ? { pollInterval: options.pollInterval } : {}),
    logger: graphileLogger(log),
    taskList: syncTaskList({ pool: options.pool, gateway, config: options.config, log }),
  });
  const heartbeat = startHeartbeat({
    pool: options.pool,
    workerId: () => workerId,
    activeJobs: () => active,
    log,
    ...options.heartbeat,
    pid: options.identity?.pid ?? null,
    host: options.identity?.host ?? null,
  });
  await heartbeat.beat(); // registered, and what dead workers left is back in the queue
  log.info({ concurrency: options.config.workerConcurrency, rate: gateway.limiter.ratePerSecond, workerId }, 'sync worker started');
  let stopping: Promise<void> | null = null;
  return {
    runner,
    gateway,
    get workerId() {
      return workerId;
    },
    heartbeat,
    stop() {
      stopping ??= runner
        .stop()
        .then(() => heartbeat.stop())
        .then(() => ownBudget?.close())
        .then(() => log.info('sync worker stopped'));
      return stopping;
    },
  };
}
