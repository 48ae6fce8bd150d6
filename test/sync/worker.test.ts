// Real graphile-worker runners (startWorker) syncing through the emulator: bursts of edits, faults,
// and two workers on the same spaces. Stripe must end equal to the catalog, without duplicates.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPool } from '../../src/db/pool.ts';
import { startWorker, type RunningWorker } from '../../src/sync/worker.ts';
import { createStripeGateway } from '../../src/stripe/stripeGateway.ts';
import { createStripeClient } from '../../src/stripe/createStripeClient.ts';
import { assertInSync, emulatorState, insertSpace, setFaults, syncEnv, THREE_PRICES, waitAllSynced, type SyncEnv } from './helpers.ts';

const config = { stripeRateLimit: 1000, workerConcurrency: 4, driftPolicy: 'enforce' as const };

async function worker(env: SyncEnv, maxNetworkRetries = 3): Promise<RunningWorker> {
  const pool = createPool(env.db.url, { max: 12 });
  const stripe = createStripeClient({ apiUrl: env.emulatorUrl, maxNetworkRetries, timeoutMs: 5_000 });
  const gateway = createStripeGateway({ stripe, ratePerSecond: 1000, retry: { baseDelayMs: 10, maxDelayMs: 100, maxRetries: 30 } });
  const w = await startWorker({ pool, stripe, config, gateway });
  after(async () => {
    await w.stop();
    await pool.end();
  });
  return w;
}

async function assertNoDuplicates(env: SyncEnv): Promise<void> {
  const state = await emulatorState(env.emulatorUrl);
  const { rows } = await env.pool.query(`select id from spaces`);
  for (const { id } of rows) await assertInSync(env, id, state);
  const bySpace = new Map<string, number>();
  for (const p of state.products) bySpace.set(p.metadata.space_id, (bySpace.get(p.metadata.space_id) ?? 0) + 1);
  assert.ok([...bySpace.values()].every((n) => n === 1), 'one product per space');
  const activeByRow = new Map<string, number>();
  for (const p of state.prices) if (p.active) activeByRow.set(p.metadata.space_price_id, (activeByRow.get(p.metadata.space_price_id) ?? 0) + 1);
  assert.ok([...activeByRow.values()].every((n) => n === 1), 'one active price per pricing');
}

test('100 quick edits of one space end in one consistent product, the last edit included', async () => {
  const env = await syncEnv();
  await worker(env);
  const { spaceId, priceIds } = await insertSpace(env.pool, { name: 'Salle Opéra' }, THREE_PRICES);
  for (let i = 1; i <= 100; i++) {
    await env.pool.query(`update spaces set name = $2, capacity = $3 where id = $1`, [spaceId, `Salle Opéra ${i}`, 1 + (i % 20)]);
    if (i % 10 === 0) await env.pool.query(`update space_prices set unit_amount = $2 where id = $1`, [priceIds[i % 3], 1000 + i]);
  }
  await waitAllSynced(env.pool);
  await assertNoDuplicates(env);
  const state = await emulatorState(env.emulatorUrl);
  assert.equal(state.products.length, 1);
  assert.equal(state.products[0].name, 'Salle Opéra 100');
});

test('10% 500s, 10% 429s and random latency: everything converges, no duplicates', async () => {
  const env = await syncEnv({ emulator: { seed: 7 } });
  await setFaults(env.emulatorUrl, { seed: 7, rules: [{ route: '*', errorRate: 0.1, rateLimitRate: 0.1, latencyMs: { min: 0, max: 15 } }] });
  await worker(env);
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) ids.push((await insertSpace(env.pool, { name: `Faulty ${i}` }, THREE_PRICES)).spaceId);
  for (const [i, id] of ids.entries()) {
    await env.pool.query(`update spaces set description = $2 where id = $1`, [id, `edit ${i}`]);
    if (i % 2 === 0) await env.pool.query(`update space_prices set unit_amount = unit_amount + 50 where space_id = $1 and pricing_type = 'hourly'`, [id]);
  }
  await waitAllSynced(env.pool, 120_000);
  await setFaults(env.emulatorUrl, { clear: true });
  await assertNoDuplicates(env);
  const faults = (await (await fetch(`${env.emulatorUrl}/_emulator/requests`)).json()) as { requests: Array<{ fault?: string }> };
  assert.ok(faults.requests.filter((r) => r.fault === 'error').length > 5, '500s were injected');
  assert.ok(faults.requests.filter((r) => r.fault === 'rate_limit').length > 5, '429s were injected');
});

test('two workers syncing the same spaces (edits and forced syncs interleaved): no duplicates, one sync per space at a time', async () => {
  const env = await syncEnv();
  await setFaults(env.emulatorUrl, { rules: [{ route: '*', latencyMs: { min: 0, max: 5 } }] });
  await worker(env);
  await worker(env);
  const ids: string[] = [];
  for (let i = 0; i < 15; i++) ids.push((await insertSpace(env.pool, { name: `Shared ${i}` }, THREE_PRICES)).spaceId);
  for (let round = 0; round < 4; round++) {
    for (const id of ids) {
      await env.pool.query(`update spaces set name = $2 where id = $1`, [id, `Shared ${id.slice(0, 4)} r${round}`]);
      // A manual sync queued too: while one job runs, the other waits for the space's lock.
      await env.pool.query(`select graphile_worker.add_job('sync_space', json_build_object('space_id', $1::uuid, 'force', true), job_key => 'sync_space_manual:' || $1)`, [id]);
    }
    await new Promise((r) => setTimeout(r, 30));
  }
  await waitAllSynced(env.pool, 120_000);
  const pending = await env.pool.query(`select count(*)::int as n from graphile_worker.jobs`);
  assert.equal(pending.rows[0].n, 0);
  await assertNoDuplicates(env);
  // Each sync logs `sync.planned` ... `sync.finished`; under the lock they never interleave per space.
  const { rows } = await env.pool.query(
    `select space_id, event from application_logs where event in ('sync.planned', 'sync.finished', 'sync.retry', 'sync.failed') order by id`,
  );
  const open = new Map<string, number>();
  for (const r of rows) {
    const n = open.get(r.space_id) ?? 0;
    if (r.event === 'sync.planned') {
      assert.equal(n, 0, `two syncs of space ${r.space_id} overlapped`);
      open.set(r.space_id, 1);
    } else open.set(r.space_id, 0);
  }
});
