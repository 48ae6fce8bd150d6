// /api/catalog/runs: start a full catalog sync (or a dry-run plan) and follow it.
import { Hono } from 'hono';
import type { Pool } from '../db/pool.ts';
import { withClaims } from '../db/withClaims.ts';
import { requireAdmin, type AuthEnv } from './auth.ts';
import { mapDbErrors } from './dbError.ts';
import { HttpError } from './httpError.ts';
import { pathId } from './params.ts';
import { readJson } from './readJson.ts';

export function catalogRoutes(deps: { pool: Pool }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.use('*', requireAdmin);

  app.post('/runs', async (c) => {
    const body = await readJson(c);
    const dryRun = typeof body === 'object' && body !== null && 'dry_run' in body ? body.dry_run : undefined;
    if (typeof dryRun !== 'boolean') {
      throw new HttpError(400, 'validation_failed', 'dry_run must be true (plan only) or false (apply)', { dry_run: 'must be true or false' });
    }
    const started = await withClaims(deps.pool, c.get('claims'), (client) =>
      mapDbErrors(async () => (await client.query<{ r: { run_id: string; job_id: number } }>('select public.start_catalog_run($1) as r', [dryRun])).rows[0].r),
    );
    return c.json(started, 202);
  });

  app.get('/runs/:id', async (c) => {
    const id = pathId(c.req.param('id'), 'catalog run');
    const run = await withClaims(deps.pool, c.get('claims'), async (client) =>
      (
        await client.query(
          `select id, dry_run, status, total, done, failed, calls, plan, error, created_at, started_at, finished_at
             from public.catalog_runs where id = $1`,
          [id],
        )
      ).rows[0],
    );
    if (!run) throw new HttpError(404, 'not_found', `no catalog run has the id ${id}`);
    return c.json(run);
  });
  return app;
}
