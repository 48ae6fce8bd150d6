// A space without a stored product id whose product already exists in Stripe (a database restored
// from a backup, a create forgotten past the idempotency window) is adopted, never duplicated — with
// no search (it lags a minute here) and no extra call for a fresh space: products are created with
// the space's deterministic id, and Stripe's `resource_already_exists` leads to the existing one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { productIdFor } from '../../src/catalog/index.ts';
import { syncSpace } from '../../src/sync/syncSpace.ts';
import { assertInSync, emulatorState, endpoints, insertSpace, loadRows, nextRequestIndex, requestsSince, syncEnv, THREE_PRICES } from './helpers.ts';

const env = await syncEnv({ emulator: { searchDelayMs: 60_000 } });
const { pool, gateway, emulatorUrl, stripe } = env;

async function sync(spaceId: string, force = false) {
  const since = await nextRequestIndex(emulatorUrl);
  const outcome = await syncSpace({ pool, gateway }, { spaceId, force });
  assert.equal(outcome.status, 'synced', JSON.stringify(outcome));
  return { outcome, requests: await requestsSince(emulatorUrl, since) };
}

const productsOf = async (spaceId: string) => (await emulatorState(emulatorUrl)).products.filter((p) => p.metadata.space_id === spaceId);

/** What a restore from a backup taken before the first sync leaves: the rows, no Stripe ids, no intent. */
async function forgetStripe(spaceId: string): Promise<void> {
  await pool.query(`update spaces set stripe_product_id = null, stripe_snapshot = null, synced_version = null where id = $1`, [spaceId]);
  await pool.query(`update space_prices set stripe_price_id = null where space_id = $1`, [spaceId]);
  assert.equal((await pool.query(`select count(*)::int as n from space_sync_intents where space_id = $1`, [spaceId])).rows[0].n, 0);
}

test('a new space: created with its deterministic product id, still k + 1 calls', async () => {
  const { spaceId } = await insertSpace(pool, { name: 'Salle Voltaire', capacity: 10 }, THREE_PRICES);
  const { outcome, requests } = await sync(spaceId);
  assert.deepEqual(endpoints(requests), ['POST /v1/products', 'POST /v1/prices/:id', 'POST /v1/prices', 'POST /v1/prices']);
  assert.equal(requests[0].params.id, productIdFor(spaceId));
  assert.match(productIdFor(spaceId)!, /^prod_ss_[0-9a-f]{32}$/);
  assert.equal(outcome.status === 'synced' && outcome.productId, productIdFor(spaceId));
  await assertInSync(env, spaceId);
});

test('restored from a backup (product in Stripe, no id stored, no intent): adopted, one product, then edited in place', async () => {
  const { spaceId } = await insertSpace(pool, { name: 'Loft République', location: 'Paris 3e' }, THREE_PRICES);
  await sync(spaceId);
  const before = await productsOf(spaceId);
  const priceIds = (await loadRows(pool, spaceId)).prices.map((p) => p.stripe_price_id).sort();
  await forgetStripe(spaceId);
  await pool.query(`update spaces set name = 'Loft République (restauré)' where id = $1`, [spaceId]);

  const { requests } = await sync(spaceId);
  assert.deepEqual(endpoints(requests), ['POST /v1/products', 'GET /v1/products/:id', 'GET /v1/prices', 'POST /v1/products/:id']);
  assert.equal(requests[0].status, 400, 'Stripe refused the create: the id exists');
  assert.ok(!requests.some((r) => r.path.includes('search')), 'no search');
  const after = await productsOf(spaceId);
  assert.deepEqual(after.map((p) => p.id), before.map((p) => p.id), 'still exactly the one product');
  const { space, prices } = await loadRows(pool, spaceId);
  assert.equal(space.stripe_product_id, productIdFor(spaceId));
  assert.deepEqual(prices.map((p) => p.stripe_price_id).sort(), priceIds, 'the rows got their prices back');
  assert.equal(space.sync_status, 'synced');
  await assertInSync(env, spaceId);
  const logs = (await pool.query(`select event, level from application_logs where space_id = $1 and event = 'sync.adopted'`, [spaceId])).rows;
  assert.deepEqual(logs, [{ event: 'sync.adopted', level: 'warn' }]);
});

test('restored as deactivated (nothing planned: its product is unknown), then reactivated: the create adopts it, no second product', async () => {
  const { spaceId } = await insertSpace(pool, { name: 'Studio Belleville' }, THREE_PRICES.slice(0, 2));
  await sync(spaceId);
  await forgetStripe(spaceId);
  await pool.query(`update spaces set active = false where id = $1`, [spaceId]);
  // An inactive space without a snapshot plans nothing: there is nothing of ours to archive as far as it knows.
  await sync(spaceId);
  await pool.query(`update spaces set active = true where id = $1`, [spaceId]);
  const { requests } = await sync(spaceId);
  assert.equal(endpoints(requests)[0], 'POST /v1/products');
  assert.equal((await productsOf(spaceId)).length, 1);
  await assertInSync(env, spaceId);
});

test('the deterministic id is taken by another space’s product: created with a generated id, and said so', async () => {
  const { spaceId } = await insertSpace(pool, { name: 'Box Nation' }, THREE_PRICES.slice(0, 1));
  const squatter = await stripe.products.create({ id: productIdFor(spaceId)!, name: 'Someone else', metadata: { space_id: crypto.randomUUID(), managed_by: 'spacesync' } });
  const { outcome, requests } = await sync(spaceId);
  assert.deepEqual(endpoints(requests), ['POST /v1/products', 'GET /v1/products/:id', 'POST /v1/products', 'POST /v1/prices/:id']);
  assert.equal(requests[2].params.id, undefined, 'the second create lets Stripe pick the id');
  assert.ok(outcome.status === 'synced' && outcome.productId !== squatter.id);
  await assertInSync(env, spaceId);
  const log = (await pool.query(`select message from application_logs where space_id = $1 and event = 'sync.product_id_taken'`, [spaceId])).rows;
  assert.equal(log.length, 1);
  assert.match(log[0].message, /another space's product/);
});
