// Webhooks end to end: the emulator sends real signed events to the app served over HTTP; the stored
// events are processed by a real graphile-worker run of the `process_stripe_event` task.
// The sync engine's writes are played here by `syncLikeTheEngine` (create the product and prices
// with our metadata, store ids and the snapshot).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { runOnce, Logger as WorkerLogger } from 'graphile-worker';
import type Stripe from 'stripe';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { testApp, testConfig } from '../api/helpers.ts';
import { startEmulator } from '../../src/emulator/index.ts';
import { createStripeClient } from '../../src/stripe/createStripeClient.ts';
import { createProcessStripeEvent } from '../../src/sync/events/processStripeEvent.ts';
import { createStripeGateway } from '../../src/stripe/stripeGateway.ts';
import { snapshotFromStripe } from '../../src/catalog/index.ts';
import type { DriftPolicy } from '../../src/config.ts';

const emulator = await startEmulator({ webhookRetry: { maxAttempts: 3, baseDelayMs: 20 } });
after(() => emulator.stop());
const stripe = createStripeClient({ apiUrl: emulator.url, maxNetworkRetries: 0 });

type Hono = ReturnType<typeof testApp>;

interface Env {
  db: TestDatabase;
  app: Hono;
  policy: DriftPolicy;
  url: string;
  secret: string;
}

/** A database, the app served on a free port, and a webhook endpoint of the emulator pointed at it. */
async function setup(policy: DriftPolicy): Promise<Env> {
  const db = await createTestDatabase();
  let app: Hono | undefined;
  const server = serve({ fetch: (req) => (app as Hono).fetch(req), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => server.once('listening', () => r()));
  after(() => new Promise<void>((r) => {
    server.close(() => r());
    (server as import('node:http').Server).closeAllConnections();
  }));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`;
  const endpoint = await stripe.webhookEndpoints.create({ url, enabled_events: ['product.created', 'product.updated', 'product.deleted', 'price.created', 'price.updated', 'price.deleted'] });
  app = testApp(db.pool, { config: testConfig({ DRIFT_POLICY: policy }), stripe, webhookSecret: endpoint.secret });
  return { db, app, policy, url, secret: endpoint.secret as string };
}

const silent = new WorkerLogger(() => () => {});

/** Waits for the emulator's deliveries, then runs the queued process_stripe_event jobs. */
async function settle(env: Env): Promise<void> {
  await fetch(`${emulator.url}/_emulator/webhooks?wait=true&timeoutMs=5000`);
  const task = createProcessStripeEvent({ gateway: createStripeGateway({ stripe, ratePerSecond: 1000 }), driftPolicy: env.policy });
  await runOnce({ pgPool: env.db.pool, logger: silent, concurrency: 1 }, { process_stripe_event: task });
}

async function dashboard(path: string, body: unknown, method = 'POST'): Promise<unknown> {
  const res = await fetch(`${emulator.url}/_emulator/dashboard/${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

/** Plays the sync engine: writes the space to Stripe and stores ids, snapshot and sync state. */
async function syncLikeTheEngine(env: Env, spaceId: string): Promise<{ product: Stripe.Product; prices: Stripe.Price[] }> {
  const { rows: [space] } = await env.db.pool.query('select * from spaces where id = $1', [spaceId]);
  const { rows: rowsP } = await env.db.pool.query('select * from space_prices where space_id = $1 and deleted_at is null order by position, created_at', [spaceId]);
  const metadata = { space_id: space.id, managed_by: 'spacesync', kind: space.kind };
  const product = await stripe.products.create({ name: space.name, ...(space.description ? { description: space.description } : {}), metadata });
  const prices: Stripe.Price[] = [];
  for (const row of rowsP) {
    prices.push(await stripe.prices.create({
      product: product.id, unit_amount: row.unit_amount, currency: row.currency, lookup_key: row.lookup_key,
      ...(row.recurring_interval ? { recurring: { interval: row.recurring_interval, interval_count: row.recurring_interval_count } } : {}),
      metadata: { space_id: space.id, managed_by: 'spacesync', pricing_type: row.pricing_type, space_price_id: row.id },
    }));
    await env.db.pool.query('update space_prices set stripe_price_id = $2 where id = $1', [row.id, prices.at(-1)?.id]);
  }
  const final = prices.length ? await stripe.products.update(product.id, { default_price: prices[0].id }) : product;
  const snapshot = snapshotFromStripe(final, prices, rowsP);
  await env.db.pool.query(
    `update spaces set stripe_product_id = $2, stripe_snapshot = $3, sync_status = 'synced', synced_version = version, last_synced_at = now() where id = $1`,
    [spaceId, final.id, JSON.stringify(snapshot)],
  );
  return { product: final, prices };
}

async function newSpace(env: Env, name: string, prices = true): Promise<string> {
  const { rows: [s] } = await env.db.pool.query(`insert into spaces (name, description) values ($1, 'A room') returning id`, [name]);
  if (prices) {
    await env.db.pool.query(`insert into space_prices (space_id, pricing_type, unit_amount, currency) values ($1, 'hourly', 2500, 'eur'), ($1, 'daily', 12000, 'eur')`, [s.id]);
  }
  return s.id;
}

async function events(env: Env, objectId?: string) {
  const { rows } = await env.db.pool.query(
    `select id, type, status, result, error from stripe_events ${objectId ? 'where object_id = $1' : ''} order by received_at`,
    objectId ? [objectId] : [],
  );
  return rows as Array<{ id: string; type: string; status: string; result: { reason?: string; action?: string }; error: string | null }>;
}

async function spaceRow(env: Env, id: string) {
  return (await env.db.pool.query('select * from spaces where id = $1', [id])).rows[0];
}

async function driftJobs(env: Env, spaceId: string) {
  const { rows } = await env.db.pool.query(`select payload from graphile_worker._private_jobs where key = $1`, [`sync_space:${spaceId}`]);
  return rows.map((r) => r.payload as Record<string, unknown>);
}

const enforce = await setup('enforce');
const adopt = await setup('adopt');

test('our own writes come back as echoes: ignored, no drift', async () => {
  const id = await newSpace(enforce, 'Echo room');
  await syncLikeTheEngine(enforce, id);
  await settle(enforce);
  const space = await spaceRow(enforce, id);
  const all = await events(enforce);
  assert.ok(all.length >= 4, `events: ${all.length}`);
  for (const e of all) assert.equal(e.status, 'ignored', `${e.type}: ${JSON.stringify(e.result)} ${e.error}`);
  assert.equal(space.sync_status, 'synced');
  assert.equal(space.drift, null);
});

test('drift under enforce: a dashboard rename is recorded, logged and a forced sync enqueued', async () => {
  const id = await newSpace(enforce, 'Enforced room');
  const { product } = await syncLikeTheEngine(enforce, id);
  await settle(enforce);
  const before = await spaceRow(enforce, id);
  await dashboard(`products/${product.id}`, { name: 'Renamed in the dashboard' });
  await settle(enforce);
  const space = await spaceRow(enforce, id);
  assert.equal(space.sync_status, 'drift');
  assert.equal(space.name, 'Enforced room', 'the catalog keeps its value');
  assert.equal(space.drift.object, 'product');
  assert.deepEqual(space.drift.fields, [{ field: 'name', catalog: 'Enforced room', stripe: 'Renamed in the dashboard' }]);
  assert.ok(space.drift.event_id && space.drift.detected_at);
  assert.equal(space.version, before.version, 'drift is sync state: no version bump');
  const last = (await events(enforce, product.id)).at(-1);
  assert.equal(last?.status, 'processed');
  assert.equal(last?.result.action, 'enforce');
  assert.deepEqual(await driftJobs(enforce, id), [{ space_id: id, force: true, source: 'drift' }]);
  const { rows: logs } = await enforce.db.pool.query(`select level, event, message, context from application_logs where space_id = $1 and event = 'drift_detected'`, [id]);
  assert.equal(logs.length, 1);
  assert.equal(logs[0].level, 'warn');
  assert.match(logs[0].message, /name/);
});

test('drift under enforce: a price archived behind our back is repaired by a forced sync', async () => {
  const id = await newSpace(enforce, 'Price room');
  const { prices } = await syncLikeTheEngine(enforce, id);
  await settle(enforce);
  await dashboard(`prices/${prices[1].id}`, { active: false });
  await settle(enforce);
  const space = await spaceRow(enforce, id);
  assert.equal(space.sync_status, 'drift');
  assert.equal(space.drift.object, 'price');
  assert.equal(space.drift.removed, true);
  assert.deepEqual(space.drift.fields, [{ field: 'active', catalog: true, stripe: false }]);
  assert.deepEqual(await driftJobs(enforce, id), [{ space_id: id, force: true, source: 'drift' }]);
});

test('drift under enforce: a price deleted behind our back (dashboard) is detected and repaired by a forced sync', async () => {
  const id = await newSpace(enforce, 'Price deleted room');
  const { prices } = await syncLikeTheEngine(enforce, id);
  await settle(enforce);
  const gone = prices[1]; // not the default price: the dashboard refuses to delete that one
  assert.deepEqual(await dashboard(`prices/${gone.id}`, {}, 'DELETE'), { id: gone.id, object: 'price', deleted: true });
  await settle(enforce);
  const row = (await events(enforce, gone.id)).find((e) => e.type === 'price.deleted');
  assert.ok(row, 'the price.deleted event was delivered and stored');
  assert.equal(row.status, 'processed', `${JSON.stringify(row.result)} ${row.error}`);
  assert.equal(row.result.action, 'enforce');
  const space = await spaceRow(enforce, id);
  assert.equal(space.sync_status, 'drift');
  assert.equal(space.drift.object, 'price');
  assert.equal(space.drift.object_id, gone.id);
  assert.equal(space.drift.removed, true);
  assert.deepEqual(space.drift.fields, [{ field: 'deleted', catalog: false, stripe: true }]);
  assert.deepEqual(await driftJobs(enforce, id), [{ space_id: id, force: true, source: 'drift' }]);
  const { rows: logs } = await enforce.db.pool.query(`select message from application_logs where space_id = $1 and event = 'drift_detected'`, [id]);
  assert.equal(logs.length, 1);
  assert.match(logs[0].message, new RegExp(`price ${gone.id} was deleted`));
});

test('drift under enforce: a product deleted behind our back', async () => {
  const id = await newSpace(enforce, 'Doomed room', false);
  const { product } = await syncLikeTheEngine(enforce, id);
  await settle(enforce);
  await dashboard(`products/${product.id}`, {}, 'DELETE');
  await settle(enforce);
  const space = await spaceRow(enforce, id);
  assert.equal(space.sync_status, 'drift');
  assert.equal(space.drift.removed, true);
  assert.deepEqual(space.drift.fields, [{ field: 'deleted', catalog: false, stripe: true }]);
  assert.deepEqual(await driftJobs(enforce, id), [{ space_id: id, force: true, source: 'drift' }]);
});

test('drift under adopt: name, description and active are copied into the catalog', async () => {
  const id = await newSpace(adopt, 'Adopted room');
  const { product } = await syncLikeTheEngine(adopt, id);
  await settle(adopt);
  const before = await spaceRow(adopt, id);
  await dashboard(`products/${product.id}`, { name: 'Better name', description: 'Better words', active: false });
  await settle(adopt);
  const space = await spaceRow(adopt, id);
  assert.equal(space.name, 'Better name');
  assert.equal(space.description, 'Better words');
  assert.equal(space.active, false);
  assert.ok(space.version > before.version, 'a content edit');
  assert.equal(space.sync_status, 'pending');
  assert.equal(space.drift.policy, 'adopt');
  assert.deepEqual(await driftJobs(adopt, id), [{ space_id: id, force: true, source: 'drift' }]);
});

test('events about objects we do not manage are ignored', async () => {
  const foreign = await stripe.products.create({ name: 'Not ours' });
  await stripe.products.update(foreign.id, { name: 'Still not ours' });
  await settle(enforce);
  const all = await events(enforce, foreign.id);
  assert.ok(all.length >= 2);
  for (const e of all) assert.deepEqual([e.status, e.result.reason], ['ignored', 'unmanaged']);
});

test('out of order and duplicated deliveries (emulator shuffle): stored once, newest state wins', async () => {
  const id = await newSpace(enforce, 'Shuffled room');
  const { product } = await syncLikeTheEngine(enforce, id);
  await settle(enforce);
  await fetch(`${emulator.url}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ webhookShuffle: { maxDelayMs: 150, duplicateRate: 0.5 } }) });
  try {
    for (const name of ['First', 'Second', 'Third', 'Final name']) {
      await dashboard(`products/${product.id}`, { name });
      await new Promise((r) => setTimeout(r, 1100)); // a distinct `updated` second per edit
    }
    await settle(enforce);
  } finally {
    await fetch(`${emulator.url}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ webhookShuffle: null }) });
  }
  const deliveries = ((await (await fetch(`${emulator.url}/_emulator/webhooks`)).json()) as { deliveries: Array<{ eventId: string; url: string; duplicate: boolean; status: number }> }).deliveries.filter((d) => d.url === enforce.url);
  const rows = await events(enforce, product.id);
  assert.equal(new Set(rows.map((r) => r.id)).size, rows.length, 'each event stored once');
  assert.ok(deliveries.every((d) => d.status === 200), 'duplicates answered 2xx');
  const space = await spaceRow(enforce, id);
  assert.equal(space.sync_status, 'drift');
  assert.deepEqual(space.drift.fields, [{ field: 'name', catalog: 'Shuffled room', stripe: 'Final name' }], 'drift reflects the newest state');
});

test('an older event arriving after a newer one about the same object is skipped as stale', async () => {
  const id = await newSpace(enforce, 'Ordered room');
  const { product } = await syncLikeTheEngine(enforce, id);
  await settle(enforce);
  const { default: StripeCtor } = await import('stripe');
  const send = async (eventId: string, updated: number, name: string) => {
    const payload = JSON.stringify({ id: eventId, object: 'event', type: 'product.updated', created: updated, livemode: false, data: { object: { ...product, name, updated } } });
    const header = await StripeCtor.webhooks.generateTestHeaderStringAsync({ payload, secret: enforce.secret, cryptoProvider: StripeCtor.createSubtleCryptoProvider() });
    const res = await enforce.app.request('/webhooks/stripe', { method: 'POST', headers: { 'stripe-signature': header }, body: payload });
    assert.equal(res.status, 200);
  };
  const t = Math.floor(Date.now() / 1000);
  await send(`evt_newer_${t}`, t, 'Ordered room'); // the newer event: an echo of what we wrote
  await settle(enforce);
  await send(`evt_older_${t}`, t - 30, 'Some old dashboard name');
  await settle(enforce);
  const rows = await events(enforce, product.id);
  const older = rows.find((r) => r.id === `evt_older_${t}`);
  assert.deepEqual([older?.status, older?.result.reason], ['ignored', 'stale']);
  assert.equal((await spaceRow(enforce, id)).sync_status, 'synced');
});

test('a stale event whose copy differs is checked against Stripe and not taken for drift', async () => {
  const id = await newSpace(enforce, 'Refetched room');
  const { product } = await syncLikeTheEngine(enforce, id);
  await settle(enforce);
  const { default: StripeCtor } = await import('stripe');
  const payload = JSON.stringify({ id: `evt_ghost_${Date.now()}`, object: 'event', type: 'product.updated', created: Math.floor(Date.now() / 1000), livemode: false, data: { object: { ...product, name: 'A name Stripe no longer has', updated: Math.floor(Date.now() / 1000) } } });
  const header = await StripeCtor.webhooks.generateTestHeaderStringAsync({ payload, secret: enforce.secret, cryptoProvider: StripeCtor.createSubtleCryptoProvider() });
  assert.equal((await enforce.app.request('/webhooks/stripe', { method: 'POST', headers: { 'stripe-signature': header }, body: payload })).status, 200);
  await settle(enforce);
  const row = (await events(enforce, product.id)).at(-1);
  assert.deepEqual([row?.status, row?.result.reason], ['ignored', 'stale']);
  assert.equal((await spaceRow(enforce, id)).sync_status, 'synced');
});

test('a forged delivery (endpoint with another secret) is refused with 400 and stored nowhere', async () => {
  const forged = await stripe.webhookEndpoints.create({ url: enforce.url, enabled_events: ['product.created'] });
  try {
    const before = (await events(enforce)).length;
    const p = await stripe.products.create({ name: 'Forged event product' });
    await fetch(`${emulator.url}/_emulator/webhooks?wait=true&timeoutMs=5000`);
    const deliveries = ((await (await fetch(`${emulator.url}/_emulator/webhooks`)).json()) as { deliveries: Array<{ endpointId: string; status: number }> }).deliveries;
    const mine = deliveries.filter((d) => d.endpointId === forged.id);
    assert.ok(mine.length >= 1);
    assert.ok(mine.every((d) => d.status === 400), JSON.stringify(mine));
    // The real endpoint delivered the same event once: stored by that one only.
    assert.equal((await events(enforce, p.id)).length, 1);
    assert.ok((await events(enforce)).length >= before + 1);
  } finally {
    await stripe.webhookEndpoints.del(forged.id);
  }
});
