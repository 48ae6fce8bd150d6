// GET /metrics: Prometheus text. The queue depth is sampled from graphile-worker at scrape time.
import { Hono } from 'hono';
import type { Pool } from '../db/pool.ts';
import { metrics, renderMetrics } from '../metrics.ts';

export function metricsRoutes(deps: { pool: Pool }): Hono {
  const app = new Hono();
  app.get('/metrics', async (c) => {
    try {
      const { rows } = await deps.pool.query<{ task: string; n: number }>(
        `select task_identifier as task, count(*)::int as n from graphile_worker.jobs
          where locked_at is null and run_at <= now() and attempts < max_attempts group by 1`,
      );
      for (const t of ['sync_space', 'sync_catalog', 'process_stripe_event']) metrics.queueDepth.set(0, { task: t });
      for (const r of rows) metrics.queueDepth.set(r.n, { task: r.task });
    } catch {
      // The database is down: the other metrics still answer; /healthz says what is wrong.
      metrics.queueDepth.set(-1, { task: 'unknown' });
    }
    return c.text(renderMetrics(), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
  return app;
}
