// An attached app table end to end: a real worker and the real `stripe` SDK against the emulator.
// The app's rows reach Stripe; its users' edits (under the app's RLS) cost the same Stripe calls as
// the same edits of a native space; a rate change makes a new price and archives the old; unpublish
// and delete archive, restore un-archives; write-back fills the app's columns without a loop; detach
// stops the syncing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPool } from '../../src/db/pool.ts';
import { startWorker } from '../../src/sync/worker.ts';
import { createStripeGateway } from '../../src/stripe/stripeGateway.ts';
import { createStripeClient } from '../../src/stripe/createStripeClient.ts';
import { attachSource, detachSource } from '../../src/attach/attachSource.ts';
import { backfill } from '../../src/attach/backfill.ts';
import { assertInSync, emulatorState, endpoints, insertSpace, nextRequestIndex, requestsSince, syncEnv, waitAllSynced, type SyncEnv } from '../sync/helpers.ts';
import { asOwner, COLUMN_MAPPING, createAppTables, mapping, OWNER, RATES_MAPPING } from './appSchema.ts';

async function worker(env: SyncEnv): Promise<void> {
  const pool = createPool(env.db.url, { max: 8 });
  const stripe = createStripeClient({ apiUrl: env.emulatorUrl, maxNetworkRetries: 3, timeoutMs: 5_000 });
  const gateway = createStripeGateway({ stripe, ratePerSecond: 1000, retry: { baseDelayMs: 10, maxDelayMs: 100, maxRetries: 30 } });
  const w = await startWorker({ pool, stripe, config: { stripeRateLimit: 1000, workerConcurrency: 4, driftPolicy: 'enforce' }, gateway });
  after(async () => {
    await w.stop();
    await pool.end();
  });
}

async function spaceOfRoom(env: SyncEnv, id: number, source = 'rooms'): Promise<string> {
  const { rows } = await env.pool.query(`select id from spaces where source = $1 and source_key = $2`, [source, String(id)]);
  return rows[0].id;
}

/** The Stripe calls an edit costs, once synced. */
async function callsOf(env: SyncEnv, edit: () => Promise<unknown>): Promise<string[]> {
  await waitAllSynced(env.pool);
  const since = await nextRequestIndex(env.emulatorUrl);
  await edit();
  await waitAllSynced(env.pool);
  return endpoints(await requestsSince(env.emulatorUrl, since)).filter((e) => !e.startsWith('GET '));
}

async function insertRoom(env: SyncEnv, values: Record<string, unknown>): Promise<number> {
  const cols = Object.keys(values);
  const rows = await asOwner<{ id: number }>(env.pool, `insert into rooms (${cols.join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')}) returning id`, Object.values(values));
  return rows[0]!.id;
}

test("an attached table's rows reach Stripe, and its users' edits cost what native edits cost", async () => {
  const env = await syncEnv();
  await createAppTables(env.pool);
  const blue = await insertRoom(env, { title: 'Blue', city: 'Paris', seats: 8, hourly_rate: 25, day_rate: 150, is_published: true });
  const red = await insertRoom(env, { title: 'Red', hourly_rate: 12.5, is_published: true });
  const m = mapping(COLUMN_MAPPING, { writeBack: { productId: 'stripe_product_id', defaultPriceId: 'stripe_price_id', status: 'sync_state' } });
  await attachSource(env.pool, m);
  await backfill(env.pool, m);
  await worker(env);
  await waitAllSynced(env.pool);
  const state = await emulatorState(env.emulatorUrl);
  for (const id of [blue, red]) await assertInSync(env, await spaceOfRoom(env, id), state);
  const blueProduct = state.products.find((p) => p.name === 'Blue')!;
  assert.equal(blueProduct.metadata.location, 'Paris');
  assert.deepEqual(state.prices.filter((p) => p.product === blueProduct.id).map((p) => p.unit_amount).sort((a, b) => a! - b!), [2500, 15000]);

  // Write-back: the app's row knows its product, default price and status; no loop (all settled above).
  const room = (await env.pool.query(`select * from rooms where id = $1`, [blue])).rows[0];
  assert.equal(room.stripe_product_id, blueProduct.id);
  assert.equal(room.stripe_price_id, blueProduct.default_price);
  assert.equal(room.sync_state, 'synced');

  // The same edits on a native space with the same prices, for comparison.
  const native = await insertSpace(env.pool, { name: 'Native', capacity: 8 }, [{ pricing_type: 'hourly', unit_amount: 2500 }, { pricing_type: 'daily', unit_amount: 15000 }]);
  const nativeRename = await callsOf(env, () => env.pool.query(`update spaces set name = 'Native 2' where id = $1`, [native.spaceId]));
  const appRename = await callsOf(env, () => asOwner(env.pool, `update rooms set title = 'Blue 2' where id = $1`, [blue]));
  assert.deepEqual(appRename, nativeRename, 'a rename: the same calls');
  assert.deepEqual(appRename, ['POST /v1/products/:id']);

  const nativeReprice = await callsOf(env, () => env.pool.query(`update space_prices set unit_amount = 3000 where id = $1`, [native.priceIds[0]]));
  const appReprice = await callsOf(env, () => asOwner(env.pool, `update rooms set hourly_rate = 30 where id = $1`, [blue]));
  assert.deepEqual(appReprice, nativeReprice, 'a new default price: the same calls');
  const after1 = await emulatorState(env.emulatorUrl);
  const bluePrices = after1.prices.filter((p) => p.product === blueProduct.id && p.unit_amount !== 15000);
  assert.deepEqual(bluePrices.map((p) => [p.unit_amount, p.active]).sort((a, b) => Number(a[0]) - Number(b[0])), [[2500, false], [3000, true]], 'new price made, old one archived');
  assert.equal(after1.products.find((p) => p.id === blueProduct.id)!.default_price, bluePrices.find((p) => p.active)!.id);
  assert.equal((await env.pool.query(`select stripe_price_id from rooms where id = $1`, [blue])).rows[0].stripe_price_id, bluePrices.find((p) => p.active)!.id, 'written back');

  // Unpublish archives; republish un-archives; soft delete archives; a hard delete too.
  await callsOf(env, () => asOwner(env.pool, `update rooms set is_published = false where id = $1`, [red]));
  let product = (await emulatorState(env.emulatorUrl)).products.find((p) => p.name === 'Red')!;
  assert.equal(product.active, false);
  await callsOf(env, () => asOwner(env.pool, `update rooms set is_published = true where id = $1`, [red]));
  await assertInSync(env, await spaceOfRoom(env, red));
  await callsOf(env, () => asOwner(env.pool, `update rooms set deleted_at = now() where id = $1`, [red]));
  product = (await emulatorState(env.emulatorUrl)).products.find((p) => p.name === 'Red')!;
  assert.equal(product.active, false, 'soft delete archives');
  await callsOf(env, () => asOwner(env.pool, `update rooms set deleted_at = null where id = $1`, [red]));
  await assertInSync(env, await spaceOfRoom(env, red));
  assert.equal((await emulatorState(env.emulatorUrl)).products.find((p) => p.name === 'Red')!.active, true, 'restored');
  await callsOf(env, () => asOwner(env.pool, `delete from rooms where id = $1`, [red]));
  assert.equal((await emulatorState(env.emulatorUrl)).products.find((p) => p.name === 'Red')!.active, false, 'hard delete archives');

  // Detached: the app's edits no longer reach Stripe.
  await detachSource(env.pool, 'rooms');
  const detachedCalls = await callsOf(env, () => asOwner(env.pool, `update rooms set title = 'Blue 3', hourly_rate = 99 where id = $1`, [blue]));
  assert.deepEqual(detachedCalls, []);
  assert.equal((await emulatorState(env.emulatorUrl)).products.find((p) => p.id === blueProduct.id)!.name, 'Blue 2');
  assert.equal((await env.pool.query(`select owner_id from rooms where id = $1`, [blue])).rows[0].owner_id, OWNER.sub);
});

test('a rates table: a changed rate is a new Stripe price with the old one archived; an archived rate archives its price', async () => {
  const env = await syncEnv();
  await createAppTables(env.pool);
  const room = await insertRoom(env, { title: 'Loft', is_published: true });
  await asOwner(env.pool, `insert into room_rates (room_id, kind, amount) values ($1, 'hourly', 20), ($1, 'monthly', 800)`, [room]);
  await asOwner(env.pool, `update room_rates set billing_interval = 'month' where kind = 'monthly'`);
  const m = mapping(RATES_MAPPING);
  await attachSource(env.pool, m);
  await backfill(env.pool, m);
  await worker(env);
  await waitAllSynced(env.pool);
  const spaceId = await spaceOfRoom(env, room);
  await assertInSync(env, spaceId);
  const calls = await callsOf(env, () => asOwner(env.pool, `update room_rates set amount = 22 where kind = 'hourly'`));
  assert.ok(calls.includes('POST /v1/prices'), JSON.stringify(calls));
  await assertInSync(env, spaceId);
  const state = await emulatorState(env.emulatorUrl);
  const row = (await env.pool.query(`select p.id from space_prices p join room_rates r on r.id::text = p.source_key where r.kind = 'hourly'`)).rows[0].id;
  const hourly = state.prices.filter((p) => p.metadata.space_price_id === row);
  assert.deepEqual(hourly.map((p) => [p.unit_amount, p.active]).sort((a, b) => Number(a[0]) - Number(b[0])), [[2000, false], [2200, true]]);
  const monthly = state.prices.find((p) => p.recurring?.interval === 'month')!;
  assert.equal(monthly.unit_amount, 80000);
  await callsOf(env, () => asOwner(env.pool, `update room_rates set archived_at = now() where kind = 'monthly'`));
  await assertInSync(env, spaceId);
  assert.equal((await emulatorState(env.emulatorUrl)).prices.find((p) => p.id === monthly.id)!.active, false);
});
