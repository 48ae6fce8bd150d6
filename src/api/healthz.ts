// GET /healthz: the database answers, the queue's schema is there, Stripe is reachable.
import { Hono } from 'hono';
import type Stripe from 'stripe';
import type { Pool } from '../db/pool.ts';

export interface HealthDeps {
  pool: Pool;
  stripe: Stripe;
}

type Check = { ok: boolean; ms: number; error?: string };

async function timed(fn: () => Promise<unknown>): Promise<Check> {
  const started = performance.now();
  try {
    await fn();
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, ms: Math.round(performance.now() - started), error: error instanceof Error ? error.message : String(error) };
  }
}

export function healthRoutes(deps: HealthDeps): Hono {
  const app = new Hono();
  // Stripe is asked at most every 10 s, so a probe every second costs Stripe nothing.
  let stripeCheck: { at: number; result: Promise<Check> } | undefined;
  app.get('/healthz', async (c) => {
    if (!stripeCheck || Date.now() - stripeCheck.at > 10_000) {
      stripeCheck = { at: Date.now(), result: timed(() => deps.stripe.products.list({ limit: 1 }, { maxNetworkRetries: 0, timeout: 3000 })) };
    }
    const [database, queue, stripe] = await Promise.all([
      timed(() => deps.pool.query('select 1')),
      timed(() => deps.pool.query(`select count(*) from graphile_worker.jobs where locked_at is null and run_at <= now()`)),
      stripeCheck.result,
    ]);
    const ok = database.ok && queue.ok && stripe.ok;
    return c.json({ ok, database, queue, stripe }, ok ? 200 : 503);
  });
  return app;
}
