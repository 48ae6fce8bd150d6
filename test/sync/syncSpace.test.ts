// The sync of one space, in process, against the emulator through the real SDK: after every kind of
// change Stripe holds exactly the catalog, with exactly the minimal calls of src/catalog/README.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syncSpace } from '../../src/sync/syncSpace.ts';
import { createStripeClient } from '../../src/stripe/createStripeClient.ts';
import { createStripeGateway } from '../../src/stripe/stripeGateway.ts';
import {
  assertInSync,
  emulatorState,
  endpoints,
  insertSpace,
  loadRows,
  nextRequestIndex,
  requestsSince,
  setFaults,
  syncEnv,
  THREE_PRICES,
} from './helpers.ts';

const env = await syncEnv();
const { pool, gateway, emulatorUrl } = env;

/** Syncs now and returns the endpoints Stripe was sent. */
async function sync(spaceId: string, force = false): Promise<string[]> {
  const since = await nextRequestIndex(emulatorUrl);
  const outcome = await syncSpace({ pool, gateway }, { spaceId, force });
  assert.notEqual(outcome.status, 'error', JSON.stringify(outcome));
  return endpoints(await requestsSince(emulatorUrl, since));
}

test('a space through its whole life: every step minimal, Stripe equal to the catalog after each', async (t) => {
  const { spaceId, priceIds } = await insertSpace(pool, { name: 'Salle Bastille', description: 'Bright room', capacity: 8, location: 'Paris 11e' }, THREE_PRICES);
  const [hourly, daily, monthly] = priceIds;

  await t.test('create with 3 prices (default has a lookup key): k + 1 = 4 calls', async () => {
    assert.deepEqual(await sync(spaceId), ['POST /v1/products', 'POST /v1/prices/:id', 'POST /v1/prices', 'POST /v1/prices']);
    await assertInSync(env, spaceId);
    const { space, prices } = await loadRows(pool, spaceId);
    assert.equal(space.sync_status, 'synced');
    assert.equal(space.synced_version, space.version);
    assert.ok(space.last_synced_at);
    assert.equal(space.last_error, null);
    assert.ok(prices.every((p) => p.stripe_price_id?.startsWith('price_')));
  });

  await t.test('rename: 1 call', async () => {
    await pool.query(`update spaces set name = 'Salle Bastille (rénovée)' where id = $1`, [spaceId]);
    assert.deepEqual(await sync(spaceId), ['POST /v1/products/:id']);
    await assertInSync(env, spaceId);
  });

  await t.test('an edit that changes nothing Stripe holds: 0 calls, still synced at the new version', async () => {
    await pool.query(`update spaces set currency = 'usd' where id = $1`, [spaceId]);
    const before = (await loadRows(pool, spaceId)).space;
    assert.equal(before.sync_status, 'pending');
    assert.deepEqual(await sync(spaceId), []);
    const { space } = await loadRows(pool, spaceId);
    assert.equal(space.sync_status, 'synced');
    assert.equal(space.synced_version, before.version);
  });

  await t.test('reprice the default: new price with the lookup key, moved to default, old archived: 3 calls', async () => {
    const oldPrice = (await loadRows(pool, spaceId)).prices.find((p) => p.id === hourly)!.stripe_price_id!;
    await pool.query(`update space_prices set unit_amount = 2900 where id = $1`, [hourly]);
    const sent = await sync(spaceId);
    assert.deepEqual(sent, ['POST /v1/prices', 'POST /v1/products/:id', 'POST /v1/prices/:id']);
    await assertInSync(env, spaceId);
    const state = await emulatorState(emulatorUrl);
    const old = state.prices.find((p) => p.id === oldPrice)!;
    assert.equal(old.active, false);
    assert.equal(old.lookup_key, null, 'the lookup key moved to the new price');
  });

  await t.test('reprice a non-default price: 2 calls', async () => {
    await pool.query(`update space_prices set unit_amount = 16000 where id = $1`, [daily]);
    assert.deepEqual(await sync(spaceId), ['POST /v1/prices', 'POST /v1/prices/:id']);
    await assertInSync(env, spaceId);
  });

  let added = '';
  await t.test('add a price: 1 call', async () => {
    const { rows } = await pool.query(`insert into space_prices (space_id, pricing_type, unit_amount, currency) values ($1, 'weekly', 60000, 'eur') returning id`, [spaceId]);
    added = rows[0].id;
    assert.deepEqual(await sync(spaceId), ['POST /v1/prices']);
    await assertInSync(env, spaceId);
  });

  await t.test('remove a non-default price: 1 call', async () => {
    await pool.query(`delete from space_prices where id = $1`, [added]);
    assert.deepEqual(await sync(spaceId), ['POST /v1/prices/:id']);
    await assertInSync(env, spaceId);
  });

  await t.test('deactivate: product and its 3 prices archived, 1 + k calls', async () => {
    await pool.query(`update spaces set active = false where id = $1`, [spaceId]);
    assert.deepEqual(await sync(spaceId), ['POST /v1/products/:id', 'POST /v1/prices/:id', 'POST /v1/prices/:id', 'POST /v1/prices/:id']);
    await assertInSync(env, spaceId);
    const state = await emulatorState(emulatorUrl);
    const { space } = await loadRows(pool, spaceId);
    assert.equal(state.products.find((p) => p.id === space.stripe_product_id)!.active, false);
    assert.ok(state.prices.filter((p) => p.product === space.stripe_product_id).every((p) => !p.active));
  });

  await t.test('reactivate: prices unarchived, product unarchived with its default, k + 1 calls', async () => {
    await pool.query(`update spaces set active = true where id = $1`, [spaceId]);
    assert.deepEqual(await sync(spaceId), ['POST /v1/prices/:id', 'POST /v1/prices/:id', 'POST /v1/prices/:id', 'POST /v1/products/:id']);
    await assertInSync(env, spaceId);
  });

  await t.test('delete: archived like a deactivation, the row kept with its ids', async () => {
    await pool.query(`delete from spaces where id = $1`, [spaceId]);
    assert.deepEqual(await sync(spaceId), ['POST /v1/products/:id', 'POST /v1/prices/:id', 'POST /v1/prices/:id', 'POST /v1/prices/:id']);
    await assertInSync(env, spaceId);
    const { space } = await loadRows(pool, spaceId);
    assert.ok(space.deleted_at);
    assert.ok(space.stripe_product_id);
    assert.equal(space.sync_status, 'synced');
  });
  void monthly;
});

test('every step is logged with its duration and Stripe request id', async () => {
  const { spaceId } = await insertSpace(pool, { name: 'Desk 12', kind: 'desk' }, [{ pricing_type: 'daily', unit_amount: 3000 }]);
  await sync(spaceId);
  const { rows } = await pool.query(`select event, duration_ms, stripe_request_id, context from application_logs where space_id = $1 order by id`, [spaceId]);
  const events = rows.map((r) => r.event);
  assert.deepEqual(events, ['sync.planned', 'stripe.create_product', 'stripe.update_price', 'sync.finished']);
  for (const r of rows.filter((r) => r.event.startsWith('stripe.'))) {
    assert.match(r.stripe_request_id, /^req_/);
    assert.ok(r.duration_ms > 0);
    assert.match(r.context.idempotency_key, /^spacesync:/);
  }
});

test('a space created inactive makes no call until it is activated', async () => {
  const { spaceId } = await insertSpace(pool, { name: 'Future venue', kind: 'venue' }, [{ pricing_type: 'daily', unit_amount: 90000 }]);
  await pool.query(`update spaces set active = false where id = $1`, [spaceId]);
  assert.deepEqual(await sync(spaceId), []);
  assert.equal((await loadRows(pool, spaceId)).space.stripe_product_id, null);
  await pool.query(`update spaces set active = true where id = $1`, [spaceId]);
  assert.deepEqual(await sync(spaceId), ['POST /v1/products', 'POST /v1/prices/:id']);
  await assertInSync(env, spaceId);
});

test('a forced sync repairs what was changed behind our back (plans against the live objects)', async () => {
  const { spaceId } = await insertSpace(pool, { name: 'Loft Canal' }, THREE_PRICES);
  await sync(spaceId);
  const { space, prices } = await loadRows(pool, spaceId);
  const nonDefault = prices.find((p) => !p.is_default)!.stripe_price_id!;
  // Dashboard: rename the product and archive a price.
  await fetch(`${emulatorUrl}/_emulator/dashboard/products/${space.stripe_product_id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Hacked' }) });
  await fetch(`${emulatorUrl}/_emulator/dashboard/prices/${nonDefault}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ active: false }) });
  // A normal sync trusts its snapshot: nothing to do.
  await pool.query(`update spaces set currency = 'gbp' where id = $1`, [spaceId]);
  assert.deepEqual(await sync(spaceId), []);
  // A forced one reads Stripe (product + prices) and repairs both.
  const sent = await sync(spaceId, true);
  assert.deepEqual(sent, ['GET /v1/products/:id', 'GET /v1/prices', 'POST /v1/prices/:id', 'POST /v1/products/:id']);
  await assertInSync(env, spaceId);
  // Forced again at the same version: reads only, and nothing replayed from older keys.
  assert.deepEqual(await sync(spaceId, true), ['GET /v1/products/:id', 'GET /v1/prices']);
});

test('a product deleted behind our back is re-created (the stale snapshot falls back to Stripe)', async () => {
  const { spaceId } = await insertSpace(pool, { name: 'Bureau 4' }, []);
  await sync(spaceId);
  const { space } = await loadRows(pool, spaceId);
  const del = await fetch(`${emulatorUrl}/_emulator/dashboard/products/${space.stripe_product_id}`, { method: 'DELETE' });
  assert.equal(del.status, 200);
  await pool.query(`update spaces set name = 'Bureau 4 bis' where id = $1`, [spaceId]);
  const sent = await sync(spaceId);
  assert.deepEqual(sent, ['POST /v1/products/:id', 'GET /v1/products/:id', 'POST /v1/products']);
  await assertInSync(env, spaceId);
  // Re-created under the space's deterministic id: the emulator, like Stripe for other objects with
  // custom ids, frees a deleted id (were it kept reserved, the sync would fall back to a generated id).
  const state = await emulatorState(emulatorUrl);
  const again = state.products.find((p) => p.id === space.stripe_product_id);
  assert.ok(again && again.name === 'Bureau 4 bis', 'a new product, under the same id');
});

test('a permanent Stripe error marks the space error with Stripe’s message and completes', async () => {
  const { spaceId } = await insertSpace(pool, { name: 'Refused' }, []);
  // A key Stripe refuses (401 authentication_error): a retry would get the same answer.
  const refused = createStripeGateway({ stripe: createStripeClient({ apiUrl: emulatorUrl, secretKey: 'rk_test_revoked' }), ratePerSecond: 100 });
  const outcome = await syncSpace({ pool, gateway: refused }, { spaceId, attempt: 1, maxAttempts: 25 });
  assert.equal(outcome.status, 'error');
  const { space } = await loadRows(pool, spaceId);
  assert.equal(space.sync_status, 'error');
  assert.match(space.last_error!, /Stripe refused the sync of version 1: .*Invalid API Key/);
  assert.equal((await pool.query(`select count(*)::int as n from space_sync_intents where space_id = $1`, [spaceId])).rows[0].n, 0, 'a refused create leaves no pending record');
  // The next sync (an edit, or a manual one) succeeds.
  await sync(spaceId);
  await assertInSync(env, spaceId);
});

test('a transient error is thrown for a retry, the status saying which attempt', async () => {
  const { spaceId } = await insertSpace(pool, { name: 'Flaky' }, []);
  const noRetry = createStripeGateway({ stripe: createStripeClient({ apiUrl: emulatorUrl, maxNetworkRetries: 0 }), ratePerSecond: 100 });
  await setFaults(emulatorUrl, { rules: [{ route: 'POST /v1/products', errorRate: 1, times: 1 }] });
  await assert.rejects(syncSpace({ pool, gateway: noRetry }, { spaceId, attempt: 2, maxAttempts: 25 }), (error: Error) => {
    assert.equal(error.name, 'SyncRetryError');
    return true;
  });
  const { space } = await loadRows(pool, spaceId);
  assert.equal(space.sync_status, 'error');
  assert.match(space.last_error!, /^attempt 2 of 25: .*retrying$/);
  await setFaults(emulatorUrl, { clear: true });
  await syncSpace({ pool, gateway: noRetry }, { spaceId, attempt: 3, maxAttempts: 25 });
  await assertInSync(env, spaceId);
  assert.equal((await loadRows(pool, spaceId)).space.sync_status, 'synced');
});

test('a forced sync of a space without a stored product adopts the one Stripe has (found by its space_id metadata)', async () => {
  const { spaceId } = await insertSpace(pool, { name: 'Adopted room' }, [{ pricing_type: 'hourly', unit_amount: 3000 }]);
  const existing = await env.stripe.products.create({ name: 'Adopted room (old name)', metadata: { managed_by: 'spacesync', space_id: spaceId } });
  const sent = await sync(spaceId, true);
  assert.deepEqual(sent, ['GET /v1/products/search', 'GET /v1/prices', 'POST /v1/prices', 'POST /v1/products/:id']);
  assert.equal((await loadRows(pool, spaceId)).space.stripe_product_id, existing.id);
  await assertInSync(env, spaceId);
  const { rows } = await pool.query(`select event from application_logs where space_id = $1 and event = 'sync.adopted'`, [spaceId]);
  assert.equal(rows.length, 1);
});
