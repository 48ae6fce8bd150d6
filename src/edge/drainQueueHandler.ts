// POST drain-queue {budget_ms?}: runs the due jobs of the queue (syncs, catalog runs, Stripe events)
// here, within the time budget, for a Supabase project without a long-running worker: pg_cron calls
// it every minute (docs/INSTALL.md). Callers: pg_cron with DRAIN_QUEUE_SECRET as its bearer token, or
// an admin's token.
import type { Hono } from 'hono';
import type { AuthEnv } from '../api/auth.ts';
import { isAdminClaims } from '../auth/claims.ts';
import { InvalidTokenError } from '../auth/verifyToken.ts';
import { HttpError } from '../api/httpError.ts';
import { readJson } from '../api/readJson.ts';
import { syncTaskList } from '../sync/worker.ts';
import { createEdgeApp, type FetchHandler } from './edgeApp.ts';
import type { EdgeDeps } from './edgeDeps.ts';
import { runDueJobs } from './runDueJobs.ts';
import { timingSafeEqualText } from './timingSafeEqualText.ts';

/** Default and largest budget: well inside the free plan's 150 s wall clock (the job in hand finishes after it). */
export const DRAIN_DEFAULT_BUDGET_MS = 60_000;
export const DRAIN_MAX_BUDGET_MS = 120_000;

export function drainQueueApp(deps: EdgeDeps & { drainSecret?: string }): Hono<AuthEnv> {
  const app = createEdgeApp({ log: deps.log });
  app.post('*', async (c, next) => {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (!bearer) throw new HttpError(401, 'unauthorized', 'send DRAIN_QUEUE_SECRET or an admin’s token as "Authorization: Bearer <token>"');
    if (deps.drainSecret && (await timingSafeEqualText(bearer, deps.drainSecret))) return next();
    let claims;
    try {
      claims = await deps.verifyToken(bearer);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new HttpError(401, 'unauthorized', `${error.message} (nor is it DRAIN_QUEUE_SECRET)`, undefined, { cause: error });
      throw error;
    }
    if (!isAdminClaims(claims)) throw new HttpError(403, 'forbidden', 'only an admin (or pg_cron with DRAIN_QUEUE_SECRET) may drain the queue');
    return next();
  });
  app.post('*', async (c) => {
    const body = await readJson(c);
    const raw = typeof body === 'object' && body !== null && 'budget_ms' in body ? body.budget_ms : undefined;
    if (raw !== undefined && (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1000 || raw > DRAIN_MAX_BUDGET_MS)) {
      throw new HttpError(400, 'validation_failed', `budget_ms must be a whole number of milliseconds from 1000 to ${DRAIN_MAX_BUDGET_MS}`, { budget_ms: 'out of range' });
    }
    const taskList = syncTaskList({ pool: deps.pool, gateway: deps.gateway, config: deps.config, log: deps.log });
    const result = await runDueJobs({ pool: deps.pool, taskList, budgetMs: raw ?? DRAIN_DEFAULT_BUDGET_MS, log: deps.log });
    deps.log.info({ ...result }, `drained ${result.completed} job(s), ${result.failed} failed${result.stoppedEarly ? ', budget spent' : ''}`);
    return c.json(result);
  });
  return app;
}

export function createDrainQueueHandler(deps: EdgeDeps & { drainSecret?: string }): FetchHandler {
  const app = drainQueueApp(deps);
  return async (request) => app.fetch(request);
}
