// /api/catalog/runs: start a full catalog sync (or a dry-run plan) and follow it.
import { Hono } from 'hono';
import type { Pool } from '../db/pool.ts';
import { withClaims } from '../db/withClaims.ts';
import { requireAdmin, type AuthEnv } from './auth.ts';
import { HttpError } from './httpError.ts';
import { pathId } from './params.ts';
import { readJson } from './readJson.ts';
import { parsePlanId, startCatalogRun } from './startCatalogRun.ts';

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
    const planId = parsePlanId(fields.plan_id, dryRun);
    const started = await startCatalogRun(deps.pool, c.get('claims'), { dryRun, planId });
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
