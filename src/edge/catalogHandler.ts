// create-stripe-catalog: an admin plans or applies a full catalog sync (src/sync/syncCatalog.ts).
//
//   POST {"mode": "plan"}                  → 200 {run_id, status: "planned", plan}: a dry run, nothing sent
//   POST {"mode": "apply"}                 → 200, application/x-ndjson: one {"type":"progress",…} line per
//                                            change of the run, then {"type":"done","run":{…}}
//   POST {"mode": "apply", "plan_id": id}  → the same, applying the computed plan `id`, once: its entries
//                                            changed since are stale, not applied
//   POST {"mode": "apply", "wait": false}  → 202 {run_id, job_id}: queued for the worker / drain-queue
//   GET  ?run_id=<uuid>                    → the run (status, totals, progress, plan, applies_plan, applied_by)
//
// The body of POST /api/catalog/runs works too: {"dry_run": true | false, "plan_id"?: id}. A plan_id is
// applied through apply_catalog_plan(plan_id), as the API does (src/api/startCatalogRun.ts): a plan
// already applied, not computed yet, or not a plan is a 409 saying which, an unknown id a 404, a
// malformed one (or one with a dry run) a 400.
//
// A run starts as the API starts one (start_catalog_run or apply_catalog_plan, as the caller: the
// database checks the admin too). This function then takes the run's job off the queue and runs it itself; when a worker took
// it first, the function follows the run's row instead. Either way the answer is the same run.
import type { Hono } from 'hono';
import { requireAdmin, type AuthEnv } from '../api/auth.ts';
import { HttpError } from '../api/httpError.ts';
import { isUuid } from '../api/params.ts';
import { readJson } from '../api/readJson.ts';
import { parsePlanId, startCatalogRun, type StartedCatalogRun } from '../api/startCatalogRun.ts';
import { syncCatalog } from '../sync/syncCatalog.ts';
import { recordCatalogRunFailure } from '../sync/recordCatalogRunFailure.ts';
import { createEdgeApp, type FetchHandler } from './edgeApp.ts';
import type { EdgeDeps } from './edgeDeps.ts';

const RUN_COLUMNS = `r.id as run_id, r.dry_run, r.status, r.total, r.done, r.failed, r.stale, r.calls, r.error, r.created_at, r.started_at, r.apply_started_at, r.finished_at,
  r.applies_plan, (select a.id from public.catalog_runs a where a.applies_plan = r.id) as applied_by`;
const FINISHED = new Set(['planned', 'done', 'failed']);

/** How often a followed run is read, and how long the function follows one before answering "still running". */
export const FOLLOW_INTERVAL_MS = 500;
export const FOLLOW_LIMIT_MS = 120_000;

interface Run {
  run_id: string;
  status: string;
  plan?: unknown;
  [k: string]: unknown;
}

async function readRun(deps: EdgeDeps, runId: string, withPlan: boolean): Promise<Run | undefined> {
  const { rows } = await deps.pool.query<Run>(`select ${RUN_COLUMNS}${withPlan ? ', r.plan' : ''} from public.catalog_runs r where r.id = $1`, [runId]);
  return rows[0];
}

/** Takes the run's job off the queue unless a worker holds it: true when this function is to run it. */
async function claimJob(deps: EdgeDeps, jobId: number): Promise<boolean> {
  const { rowCount } = await deps.pool.query('select id from graphile_worker.complete_jobs(array[$1]::bigint[])', [jobId]);
  return Boolean(rowCount);
}

/** Runs the run here (claimed) or follows its row (a worker has it), reporting each change of progress. */
async function execute(deps: EdgeDeps, started: StartedCatalogRun, dryRun: boolean, onProgress: (run: Run) => void): Promise<Run> {
  const runId = started.run_id;
  if (await claimJob(deps, started.job_id)) {
    try {
      await syncCatalog(
        { pool: deps.pool, gateway: deps.gateway, log: deps.log },
        {
          runId,
          dryRun,
          // Few connections per isolate: apply two spaces at a time.
          concurrency: 2,
          onProgress: (p) => onProgress({ run_id: runId, status: 'applying', total: p.total, done: p.done, failed: p.failed, stale: p.stale, calls: p.calls }),
        },
      );
    } catch (error) {
      await recordCatalogRunFailure(deps.pool, runId, error);
      deps.log.error({ err: error, runId }, 'catalog run failed');
    }
  } else {
    let last = '';
    const deadline = Date.now() + FOLLOW_LIMIT_MS;
    for (;;) {
      const run = await readRun(deps, runId, false);
      if (!run || FINISHED.has(run.status) || Date.now() > deadline) break;
      const key = JSON.stringify(run);
      if (key !== last) onProgress(run);
      last = key;
      await new Promise((r) => setTimeout(r, FOLLOW_INTERVAL_MS));
    }
  }
  const run = await readRun(deps, runId, true);
  if (!run) throw new HttpError(404, 'not_found', `the catalog run ${runId} disappeared`);
  return run;
}

interface CatalogRequest {
  dryRun: boolean;
  planId: string | undefined;
  wait: boolean;
}

/** {mode, wait?, plan_id?}, or the API's {dry_run, plan_id?}. */
function parseBody(body: unknown): CatalogRequest {
  const b = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (b.mode === undefined && b.dry_run !== undefined) {
    if (typeof b.dry_run !== 'boolean') throw new HttpError(400, 'validation_failed', 'dry_run must be true (plan only) or false (apply)', { dry_run: 'must be true or false' });
  } else if (b.mode !== 'plan' && b.mode !== 'apply') {
    throw new HttpError(400, 'validation_failed', 'mode must be "plan" (a dry run) or "apply"', { mode: 'must be plan or apply' });
  } else if (b.dry_run !== undefined && b.dry_run !== (b.mode === 'plan')) {
    throw new HttpError(400, 'validation_failed', `dry_run ${String(b.dry_run)} contradicts mode "${b.mode}": send one of them`, { dry_run: 'leave it out, or match mode' });
  }
  const dryRun = b.mode === undefined ? b.dry_run === true : b.mode === 'plan';
  if (b.wait !== undefined && typeof b.wait !== 'boolean') throw new HttpError(400, 'validation_failed', 'wait must be true or false', { wait: 'must be a boolean' });
  return { dryRun, planId: parsePlanId(b.plan_id, dryRun), wait: b.wait !== false };
}

export function catalogApp(deps: EdgeDeps): Hono<AuthEnv> {
  const app = createEdgeApp(deps);
  app.use('*', requireAdmin);

  app.get('*', async (c) => {
    const runId = c.req.query('run_id');
    if (!isUuid(runId)) throw new HttpError(400, 'validation_failed', 'run_id must be the uuid of a catalog run', { run_id: 'must be a uuid' });
    const run = await readRun(deps, runId, true);
    if (!run) throw new HttpError(404, 'not_found', `no catalog run has the id ${runId}`);
    return c.json(run);
  });

  app.post('*', async (c) => {
    const { dryRun, planId, wait } = parseBody(await readJson(c));
    const started = await startCatalogRun(deps.pool, c.get('claims'), { dryRun, planId });
    if (!wait && !dryRun) return c.json({ ...started, queued: true }, 202);
    if (dryRun) {
      const run = await execute(deps, started, true, () => {});
      return c.json(run, run.status === 'failed' ? 502 : 200);
    }
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const line = (value: unknown) => controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
        line({ type: 'started', ...started });
        try {
          const run = await execute(deps, started, false, (progress) => line({ type: 'progress', ...progress }));
          line({ type: 'done', run });
        } catch (error) {
          deps.log.error({ err: error }, 'catalog apply failed');
          line({ type: 'error', message: error instanceof Error ? error.message : String(error) });
        }
        controller.close();
      },
    });
    return new Response(stream, { status: 200, headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' } });
  });
  return app;
}

export function createCatalogHandler(deps: EdgeDeps): FetchHandler {
  const app = catalogApp(deps);
  return async (request) => app.fetch(request);
}
