// /api/catalog/runs: start a full catalog sync (or a dry-run plan) and follow it.
import { Hono } from 'hono';
import type { Pool } from '../db/pool.ts';
import { withClaims } from '../db/withClaims.ts';
import { requireAdmin, type AuthEnv } from './auth.ts';
import { mapDbErrors } from './dbError.ts';
import { HttpError } from './httpError.ts';
import { isUuid, pathId } from './params.ts';
import { readJson } from './readJson.ts';

interface StartedRun {
  run_id: string;
  job_id: number;
}

function isDbError(error: unknown): error is Error & { code: string; hint?: string } {
  return error instanceof Error && 'code' in error && typeof error.code === 'string';
}

export function catalogRoutes(deps: { pool: Pool }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.use('*', requireAdmin);

  app.post('/runs', async (c) => {
    const body = await readJson(c);
    const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const dryRun = fields.dry_run;
    if (typeof dryRun !== 'boolean') {
      throw new HttpError(400, 'validation_failed', 'dry_run must be true (plan only) or false (apply)', { dry_run: 'must be true or false' });
    }
    const planId = fields.plan_id;
    if (planId !== undefined && (dryRun || typeof planId !== 'string' || !isUuid(planId))) {
      const rule = dryRun ? 'is only for an apply (dry_run false): leave it out of a dry run' : 'must be the id (uuid) of the plan to apply';
      throw new HttpError(400, 'validation_failed', `plan_id ${rule}`, { plan_id: rule });
    }
    const started = await withClaims(deps.pool, c.get('claims'), (client) =>
      mapDbErrors(async () => {
        try {
          const { rows } =
            planId === undefined
              ? await client.query<{ r: StartedRun }>('select public.start_catalog_run($1) as r', [dryRun])
              : await client.query<{ r: StartedRun }>('select public.apply_catalog_plan($1) as r', [planId]);
          return rows[0].r;
        } catch (error) {
          // Applied already, still computing, or not a plan: the plan's state refuses it.
          if (isDbError(error) && error.code === '55000') throw new HttpError(409, 'conflict', error.message, { plan_id: error.hint ?? error.message }, { cause: error });
          throw error;
        }
      }),
    );
    return c.json(started, 202);
  });

  app.get('/runs/:id', async (c) => {
    const id = pathId(c.req.param('id'), 'catalog run');
    const run = await withClaims(deps.pool, c.get('claims'), async (client) =>
      (
        await client.query(
          `select r.id, r.dry_run, r.status, r.total, r.done, r.failed, r.calls, r.plan, r.outcomes, r.error, r.created_at, r.started_at,
                  r.apply_started_at, r.finished_at, r.applies_plan, (select a.id from public.catalog_runs a where a.applies_plan = r.id) as applied_by
             from public.catalog_runs r where r.id = $1`,
          [id],
        )
      ).rows[0],
    );
    if (!run) throw new HttpError(404, 'not_found', `no catalog run has the id ${id}`);
    return c.json(run);
  });
  return app;
}
