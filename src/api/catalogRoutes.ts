// /api/catalog/runs: start a full catalog sync (or a dry-run plan) and follow it.
import { Hono } from 'hono';
import type { Pool } from '../db/pool.ts';
import { withClaims } from '../db/withClaims.ts';
import { requireAdmin, type AuthEnv } from './auth.ts';
import { HttpError } from './httpError.ts';
import { boolParam, intParam, pathId } from './params.ts';
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

  // ?outcomes=false leaves the entries' outcomes out (a reader that follows them through /outcomes).
  app.get('/runs/:id', async (c) => {
    const id = pathId(c.req.param('id'), 'catalog run');
    const withOutcomes = c.req.query('outcomes') === undefined || boolParam(c.req.query('outcomes'), 'outcomes');
    const run = await withClaims(deps.pool, c.get('claims'), async (client) =>
      (
        await client.query(
          `select r.id, r.dry_run, r.status, r.total, r.done, r.failed, r.stale, r.calls, r.plan, ${withOutcomes ? `${OUTCOMES_OBJECT} as outcomes,` : ''} r.error, r.created_at, r.started_at,
                  r.apply_started_at, r.finished_at, r.applies_plan, (select a.id from public.catalog_runs a where a.applies_plan = r.id) as applied_by
             from public.catalog_runs r where r.id = $1`,
          [id],
        )
      ).rows[0],
    );
    if (!run) throw new HttpError(404, 'not_found', `no catalog run has the id ${id}`);
    return c.json(run);
  });

  // The outcomes written after `after` (a seq), oldest first: a reader follows a run by passing the
  // last_seq of its previous answer. One run's outcomes are written by one writer, in order, so a
  // seq is never committed after a greater one.
  app.get('/runs/:id/outcomes', async (c) => {
    const id = pathId(c.req.param('id'), 'catalog run');
    const after = intParam(c.req.query('after'), 'after', 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = intParam(c.req.query('limit'), 'limit', 1000, 1, 5000);
    const { found, rows } = await withClaims(deps.pool, c.get('claims'), async (client) => {
      const run = await client.query(`select 1 from public.catalog_runs where id = $1`, [id]);
      const outcomes = await client.query<{ entry_key: string; status: string; error: string | null; seq: number }>(
        `select entry_key, status, error, seq from public.catalog_run_outcomes where run_id = $1 and seq > $2 order by seq limit $3`,
        [id, after, limit],
      );
      return { found: run.rowCount === 1, rows: outcomes.rows };
    });
    if (!found) throw new HttpError(404, 'not_found', `no catalog run has the id ${id}`);
    return c.json({ data: rows, last_seq: rows.at(-1)?.seq ?? after, more: rows.length === limit });
  });
  return app;
}

/** Every entry's outcome of the run `r`, keyed by entry: {status} or {status, error}. */
const OUTCOMES_OBJECT = `(select coalesce(jsonb_object_agg(o.entry_key, jsonb_strip_nulls(jsonb_build_object('status', o.status, 'error', o.error))), '{}'::jsonb)
     from public.catalog_run_outcomes o where o.run_id = r.id)`;
