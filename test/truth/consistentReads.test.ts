// A space reads `synced` at version N only when Stripe has everything of version N. Workers run while
// spaces are inserted and then given prices in separate autocommit statements (each price bumps the
// version); a trigger records, at the very moment a row turns `synced`, which of its live price rows
// have no Stripe price yet. There must be none, and every recorded id must exist in Stripe.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPool, withTransaction } from '../../src/db/pool.ts';
import { createStripeClient } from '../../src/stripe/createStripeClient.ts';
import { createStripeGateway } from '../../src/stripe/stripeGateway.ts';
import { startWorker } from '../../src/sync/worker.ts';
import { emulatorState, setFaults, syncEnv, waitAllSynced } from '../sync/helpers.ts';

const env = await syncEnv();
const { pool } = env;

await pool.query(`
  create table test_synced_seen (space_id uuid, version bigint, missing int, price_ids text[], product_id text);
  create function test_record_synced() returns trigger language plpgsql as $$
  begin
    insert into test_synced_seen
    select new.id, new.version,
           count(*) filter (where p.stripe_price_id is null),
           array_agg(p.stripe_price_id) filter (where p.stripe_price_id is not null),
           new.stripe_product_id
      from public.space_prices p
     where p.space_id = new.id and p.active and p.deleted_at is null and new.active and new.deleted_at is null;
    return null;
  end $$;
  create trigger zz_test_record_synced after update on spaces
    for each row when (new.sync_status = 'synced' and old.sync_status is distinct from 'synced')
    execute function test_record_synced();
`);

test('no space is ever synced at version N while Stripe lacks a price of version N', async () => {
  await setFaults(env.emulatorUrl, { rules: [{ route: '*', latencyMs: { min: 0, max: 3 } }] });
  for (let i = 0; i < 2; i++) {
    const workerPool = createPool(env.db.url, { max: 12 });
    const stripe = createStripeClient({ apiUrl: env.emulatorUrl, maxNetworkRetries: 3, timeoutMs: 5_000 });
    const gateway = createStripeGateway({ stripe, ratePerSecond: 1000, retry: { baseDelayMs: 10, maxDelayMs: 100, maxRetries: 30 } });
    const w = await startWorker({ pool: workerPool, stripe, config: { stripeRateLimit: 1000, workerConcurrency: 4, driftPolicy: 'enforce' }, gateway, pollInterval: 100 });
    after(async () => {
      await w.stop();
      await workerPool.end();
    });
  }
  // Each price is its own transaction, which commits a moment after its insert bumped the space's
  // version: a sync that reads the space meanwhile waits for that commit.
  const addPrice = (id: string, sql: string) =>
    withTransaction(pool, async (c) => {
      await c.query(sql, [id]);
      await c.query(`select pg_sleep($1)`, [0.02 + Math.random() * 0.08]);
    });
  const editors = Array.from({ length: 4 }, async (_, e) => {
    for (let i = 0; i < 15; i++) {
      const { rows } = await pool.query(`insert into spaces (name) values ($1) returning id`, [`Stress ${e}.${i}`]);
      const id = rows[0].id;
      await addPrice(id, `insert into space_prices (space_id, pricing_type, unit_amount, currency) values ($1, 'hourly', 1500, 'eur')`);
      await addPrice(id, `insert into space_prices (space_id, pricing_type, unit_amount, currency, recurring_interval) values ($1, 'monthly', 150000, 'eur', 'month')`);
    }
  });
  await Promise.all(editors);
  await waitAllSynced(pool, 120_000);
  await setFaults(env.emulatorUrl, { clear: true });

  const seen = (await pool.query(`select * from test_synced_seen`)).rows as Array<{ space_id: string; version: string; missing: number; price_ids: string[] | null; product_id: string | null }>;
  assert.ok(seen.length >= 60, `every space turned synced at least once (${seen.length})`);
  const bad = seen.filter((r) => r.missing > 0);
  assert.deepEqual(bad, [], 'synced while a live price row had no Stripe price');
  const state = await emulatorState(env.emulatorUrl);
  const prices = new Set(state.prices.map((p) => p.id));
  const products = new Set(state.products.map((p) => p.id));
  for (const r of seen) {
    assert.ok(r.product_id && products.has(r.product_id), `the product of ${r.space_id} at version ${r.version} exists in Stripe`);
    for (const id of r.price_ids ?? []) assert.ok(prices.has(id), `price ${id} of ${r.space_id} at version ${r.version} exists in Stripe`);
  }
});
