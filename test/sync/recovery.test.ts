// Crashes between Stripe's answer and our commit: the create is recorded before it is sent, and the
// next sync resends it with its original idempotency key, so Stripe replays it — exactly one product
// and one active price per pricing, even when the space was edited meanwhile and search lags.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createStripeClient } from '../../src/stripe/createStripeClient.ts';
import { createStripeGateway } from '../../src/stripe/stripeGateway.ts';
import { syncSpace } from '../../src/sync/syncSpace.ts';
import {
  assertInSync,
  emulatorState,
  insertSpace,
  loadRows,
  nextRequestIndex,
  requestsSince,
  setFaults,
  syncEnv,
  THREE_PRICES,
  waitAllSynced,
} from './helpers.ts';

// Search lags a full minute here: recovery must not depend on it.
const env = await syncEnv({ emulator: { searchDelayMs: 60_000 } });
const { pool, emulatorUrl } = env;

/** The database goes away right after Stripe answers: the step's commit fails (a real Postgres error). */
async function failCommitsOf(table: 'spaces' | 'space_prices', when: string): Promise<() => Promise<void>> {
  await pool.query(`create function pg_temp_fail() returns trigger language plpgsql as $$ begin raise exception 'database unavailable' using errcode = '08006'; end $$`.replace('pg_temp_fail', 'public.test_fail_commit'));
  await pool.query(`create trigger test_fail_commit before update on ${table} for each row when (${when}) execute function public.test_fail_commit()`);
  return async () => {
    await pool.query(`drop trigger test_fail_commit on ${table}`);
    await pool.query(`drop function public.test_fail_commit()`);
  };
}

test('Stripe created the product but the commit failed, then the space is edited: adopted, not duplicated', async () => {
  const { spaceId } = await insertSpace(pool, { name: 'Atelier Oberkampf' }, THREE_PRICES);
  const restore = await failCommitsOf('spaces', 'old.stripe_product_id is null and new.stripe_product_id is not null');
  await assert.rejects(syncSpace({ pool, gateway: env.gateway }, { spaceId, attempt: 1, maxAttempts: 25 }), { name: 'SyncRetryError' });
  await restore();
  let state = await emulatorState(emulatorUrl);
  assert.equal(state.products.filter((p) => p.metadata.space_id === spaceId).length, 1, 'Stripe did create the product');
  const { space } = await loadRows(pool, spaceId);
  assert.equal(space.stripe_product_id, null, 'but its id was never stored');
  assert.match(space.last_error!, /^attempt 1 of 25: .*database unavailable.*retrying$/);
  const intent = (await pool.query(`select operation, version from space_sync_intents where space_id = $1`, [spaceId])).rows[0];
  assert.deepEqual(intent, { operation: 'create_product', version: 4 });

  // Edited meanwhile: another version, other parameters, so the plan's own key would differ.
  await pool.query(`update spaces set name = 'Atelier Oberkampf — grand' where id = $1`, [spaceId]);
  const since = await nextRequestIndex(emulatorUrl);
  await syncSpace({ pool, gateway: env.gateway }, { spaceId, attempt: 2, maxAttempts: 25 });
  const sent = await requestsSince(emulatorUrl, since);
  assert.equal(sent[0].path, '/v1/products');
  assert.equal(sent[0].replayed, true, 'the pending create was resent with its key and replayed by Stripe');
  assert.ok(!sent.some((r) => r.path.includes('search')), 'search (lagging a minute) was not needed');
  state = await emulatorState(emulatorUrl);
  assert.equal(state.products.filter((p) => p.metadata.space_id === spaceId).length, 1, 'still exactly one product');
  await assertInSync(env, spaceId, state);
  assert.equal((await pool.query(`select count(*)::int as n from space_sync_intents`)).rows[0].n, 0);
});

test('the same for a price: created by Stripe, commit failed, row repriced meanwhile', async () => {
  const { spaceId } = await insertSpace(pool, { name: 'Desk Shoreditch', kind: 'desk' }, THREE_PRICES);
  const restore = await failCommitsOf('space_prices', 'old.stripe_price_id is null and new.stripe_price_id is not null and not new.is_default');
  await assert.rejects(syncSpace({ pool, gateway: env.gateway }, { spaceId }), { name: 'SyncRetryError' });
  await restore();
  await pool.query(`update space_prices set unit_amount = unit_amount + 100 where space_id = $1`, [spaceId]);
  await syncSpace({ pool, gateway: env.gateway }, { spaceId });
  await assertInSync(env, spaceId);
  const state = await emulatorState(emulatorUrl);
  // The resent price was adopted, then replaced by the reprice and archived: nothing active is left over.
  assert.equal(state.prices.filter((p) => p.metadata.space_id === spaceId && p.active).length, 3);
});

test('the connection drops after Stripe applied a create: the SDK resends it with our key and Stripe replays it', async () => {
  const { spaceId } = await insertSpace(pool, { name: 'Rooftop Confluence', kind: 'venue' }, THREE_PRICES);
  await setFaults(emulatorUrl, { rules: [{ route: 'POST /v1/prices', failAfterCommitRate: 1, times: 1 }] });
  const since = await nextRequestIndex(emulatorUrl);
  await syncSpace({ pool, gateway: env.gateway }, { spaceId });
  await setFaults(emulatorUrl, { clear: true });
  const sent = await requestsSince(emulatorUrl, since);
  assert.ok(sent.some((r) => r.fault === 'fail_after_commit'));
  assert.ok(sent.some((r) => r.replayed));
  await assertInSync(env, spaceId);
});

function spawnWorker(dbUrl: string): ChildProcess {
  const root = join(import.meta.dirname, '../..');
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli.ts'), 'worker', '--concurrency', '2'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: dbUrl, STRIPE_API_URL: emulatorUrl, STRIPE_SECRET_KEY: '', LOG_LEVEL: 'silent', STRIPE_RATE_LIMIT: '200' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d) => (err += String(d)));
  child.on('exit', (code, signal) => {
    if (code && code !== 0 && signal === null) console.error(`worker exited ${code}: ${err}`);
  });
  after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('the worker process is killed while Stripe is creating a price: restarted, it finishes without duplicates', async () => {
  const { spaceId, priceIds } = await insertSpace(pool, { name: 'Bureau privatif Marais', kind: 'office' }, THREE_PRICES);
  // Price creations take 400 ms, so the kill lands while one is in flight (Stripe still applies it).
  await setFaults(emulatorUrl, { rules: [{ route: 'POST /v1/prices', latencyMs: 400 }] });
  const first = spawnWorker(env.db.url);
  await until('a price creation in flight', async () =>
    (await pool.query(`select 1 from space_sync_intents where space_id = $1 and operation = 'create_price'`, [spaceId])).rowCount,
  );
  await new Promise((r) => setTimeout(r, 100));
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));
  // Let Stripe finish applying the request the dead worker sent.
  await new Promise((r) => setTimeout(r, 500));
  const before = await emulatorState(emulatorUrl);
  const pricesBefore = before.prices.filter((p) => p.metadata.space_id === spaceId).length;
  const stored = (await loadRows(pool, spaceId)).prices.filter((p) => p.stripe_price_id).length;
  assert.ok(pricesBefore > stored, `Stripe holds a price we never stored (${pricesBefore} vs ${stored})`);
  await setFaults(emulatorUrl, { clear: true });

  // The dead worker's job stays locked: unlock it, as an operator would, and start a new worker.
  await pool.query(`select graphile_worker.force_unlock_workers(array_agg(distinct locked_by)) from graphile_worker.jobs where locked_by is not null`);
  const second = spawnWorker(env.db.url);
  await waitAllSynced(pool, 60_000);
  second.kill('SIGTERM');
  await new Promise((r) => second.once('exit', r));
  const state = await emulatorState(emulatorUrl);
  assert.equal(state.products.filter((p) => p.metadata.space_id === spaceId).length, 1);
  for (const rowId of priceIds) {
    assert.equal(state.prices.filter((p) => p.metadata.space_price_id === rowId).length, 1, `exactly one Stripe price for row ${rowId}`);
  }
  await assertInSync(env, spaceId, state);
});
