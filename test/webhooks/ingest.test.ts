// Webhook ingestion as a table of cases, signed with stripe.webhooks.generateTestHeaderStringAsync:
// valid, forged, stale, duplicate, malformed, our own fault. Then end to end: the emulator sends
// valid, duplicated and stale-signed deliveries to the app served over HTTP.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import Stripe from 'stripe';
import { createTestDatabase } from '../helpers/db.ts';
import { createPool } from '../../src/db/pool.ts';
import { startEmulator } from '../../src/emulator/index.ts';
import { createStripeClient } from '../../src/stripe/createStripeClient.ts';
import { testApp, WEBHOOK_SECRET } from '../api/helpers.ts';

const db = await createTestDatabase();
const app = testApp(db.pool);

let counter = 0;
function event(over: Record<string, unknown> = {}) {
  counter++;
  return {
    id: `evt_test_${counter}_${Date.now()}`,
    object: 'event',
    type: 'product.updated',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    api_version: '2025-01-01',
    data: { object: { id: `prod_${counter}`, object: 'product', name: 'P', updated: Math.floor(Date.now() / 1000), metadata: {} } },
    ...over,
  };
}

async function deliver(payload: string, opts: { secret?: string; timestamp?: number; header?: string | null } = {}) {
  const header = opts.header !== undefined ? opts.header : await Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: opts.secret ?? WEBHOOK_SECRET,
    timestamp: opts.timestamp,
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (header !== null) headers['stripe-signature'] = header;
  return app.request('/webhooks/stripe', { method: 'POST', headers, body: payload });
}

async function stored(id: string) {
  const { rows } = await db.pool.query(`select e.*, (select count(*)::int from graphile_worker._private_jobs j where j.key = 'process_stripe_event:' || e.id) as jobs from stripe_events e where id = $1`, [id]);
  return rows[0] as { type: string; object_id: string; event_created: Date; object_updated: Date; status: string; jobs: number } | undefined;
}

const now = () => Math.floor(Date.now() / 1000);

const cases: Array<{ name: string; payload: () => string; opts?: Parameters<typeof deliver>[1]; status: number; stored: boolean }> = [
  { name: 'valid', payload: () => JSON.stringify(event()), status: 200, stored: true },
  { name: 'signed 299 s ago (within tolerance)', payload: () => JSON.stringify(event()), opts: { timestamp: now() - 290 }, status: 200, stored: true },
  { name: 'signed with another secret (forged)', payload: () => JSON.stringify(event()), opts: { secret: 'whsec_forged_0123456789' }, status: 400, stored: false },
  { name: 'older than the 300 s tolerance (replay)', payload: () => JSON.stringify(event()), opts: { timestamp: now() - 301 - 5 }, status: 400, stored: false },
  { name: 'no Stripe-Signature header', payload: () => JSON.stringify(event()), opts: { header: null }, status: 400, stored: false },
  { name: 'garbage signature header', payload: () => JSON.stringify(event()), opts: { header: 't=abc,v1=zz' }, status: 400, stored: false },
  { name: 'signed body that is not JSON', payload: () => '{"id": "evt_broken", ', status: 400, stored: false },
  { name: 'signed JSON that is not an event', payload: () => JSON.stringify({ hello: 'world' }), status: 400, stored: false },
];

for (const c of cases) {
  test(`webhook: ${c.name}`, async () => {
    const payload = c.payload();
    const res = await deliver(payload, c.opts);
    assert.equal(res.status, c.status, await res.clone().text());
    let id: string | undefined;
    try {
      id = (JSON.parse(payload) as { id?: string }).id;
    } catch {
      id = undefined;
    }
    if (id) assert.equal(Boolean(await stored(id)), c.stored);
    if (c.status === 200) assert.deepEqual(await res.json(), { received: true });
  });
}

test('webhook: the event is stored with its ordering facts and one job', async () => {
  const e = event({ type: 'price.updated', data: { object: { id: 'price_facts', object: 'price', metadata: {} } } });
  assert.equal((await deliver(JSON.stringify(e))).status, 200);
  const row = await stored(e.id);
  assert.ok(row);
  assert.equal(row.type, 'price.updated');
  assert.equal(row.object_id, 'price_facts');
  assert.equal(row.event_created.getTime(), e.created * 1000);
  assert.equal(row.object_updated, null, 'prices have no updated');
  assert.equal(row.status, 'received');
  assert.equal(row.jobs, 1);
  const p = event();
  await deliver(JSON.stringify(p));
  assert.equal((await stored(p.id))?.object_updated.getTime(), (p.data.object as { updated: number }).updated * 1000);
});

test('webhook: a duplicate delivery is a 2xx no-op (one row, one job)', async () => {
  const e = JSON.stringify(event());
  assert.equal((await deliver(e)).status, 200);
  const again = await deliver(e);
  assert.equal(again.status, 200);
  assert.deepEqual(await again.json(), { received: true, duplicate: true });
  const id = (JSON.parse(e) as { id: string }).id;
  assert.equal((await stored(id))?.jobs, 1);
  const { rows } = await db.pool.query('select count(*)::int as n from stripe_events where id = $1', [id]);
  assert.equal(rows[0].n, 1);
});

test('webhook: concurrent duplicates store one row and one job', async () => {
  const e = JSON.stringify(event());
  const results = await Promise.all(Array.from({ length: 10 }, () => deliver(e)));
  assert.ok(results.every((r) => r.status === 200));
  assert.equal((await stored((JSON.parse(e) as { id: string }).id))?.jobs, 1);
});

test('webhook: our own fault (database down) is a 5xx so Stripe retries', async () => {
  const deadPool = createPool('postgres://nobody:nothing@127.0.0.1:9/none', { max: 1 });
  const broken = testApp(deadPool);
  const payload = JSON.stringify(event());
  const header = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: WEBHOOK_SECRET, cryptoProvider: Stripe.createSubtleCryptoProvider() });
  const res = await broken.request('/webhooks/stripe', { method: 'POST', headers: { 'stripe-signature': header }, body: payload });
  assert.ok(res.status >= 500, `got ${res.status}`);
  await deadPool.end();
});

test('webhook: a body over 512 KB is refused with 413 before verification', async () => {
  const payload = JSON.stringify(event({ padding: 'x'.repeat(600 * 1024) }));
  const res = await deliver(payload);
  assert.equal(res.status, 413);
});

test('end to end: the emulator\'s deliveries: valid → stored, duplicated → one row, signed 400 s ago → 400', async () => {
  const emulator = await startEmulator({ webhookRetry: { maxAttempts: 2, baseDelayMs: 20 } });
  after(() => emulator.stop());
  const stripe = createStripeClient({ apiUrl: emulator.url, maxNetworkRetries: 0 });
  let served: ReturnType<typeof testApp> | undefined;
  const server = serve({ fetch: (req) => (served as ReturnType<typeof testApp>).fetch(req), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => server.once('listening', () => r()));
  after(() => new Promise<void>((r) => {
    server.close(() => r());
    (server as import('node:http').Server).closeAllConnections();
  }));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`;
  const endpoint = await stripe.webhookEndpoints.create({ url, enabled_events: ['product.created', 'product.updated'] });
  served = testApp(db.pool, { stripe, webhookSecret: endpoint.secret });

  const faults = (body: unknown) => fetch(`${emulator.url}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  type Delivery = { eventId: string; eventType: string; endpointId: string; attempt: number; duplicate: boolean; status: number | null };
  const deliveriesOf = async (eventType: string) => {
    const res = await fetch(`${emulator.url}/_emulator/webhooks?wait=true&timeoutMs=5000`);
    return ((await res.json()) as { deliveries: Delivery[] }).deliveries.filter((d) => d.endpointId === endpoint.id && d.eventType === eventType);
  };

  // Valid: delivered once, answered 200, stored with one job.
  const product = await stripe.products.create({ name: 'Delivered end to end' });
  const [created, ...moreCreated] = await deliveriesOf('product.created');
  assert.deepEqual(moreCreated, []);
  assert.deepEqual([created.status, created.attempt, created.duplicate], [200, 1, false]);
  assert.equal((await stored(created.eventId))?.object_id, product.id);
  assert.equal((await stored(created.eventId))?.jobs, 1);

  // Duplicated: every delivery sent twice; both answered 2xx, one row, one job.
  assert.equal((await faults({ webhookShuffle: { maxDelayMs: 20, duplicateRate: 1 } })).status, 200);
  try {
    await stripe.products.update(product.id, { name: 'Renamed end to end' });
    const twice = await deliveriesOf('product.updated');
    assert.equal(twice.length, 2, JSON.stringify(twice));
    assert.equal(new Set(twice.map((d) => d.eventId)).size, 1);
    assert.deepEqual(twice.map((d) => d.duplicate).sort(), [false, true]);
    assert.ok(twice.every((d) => d.status === 200), JSON.stringify(twice));
    const { rows } = await db.pool.query('select count(*)::int as n from stripe_events where id = $1', [twice[0].eventId]);
    assert.equal(rows[0].n, 1);
    assert.equal((await stored(twice[0].eventId))?.jobs, 1);
  } finally {
    await faults({ webhookShuffle: null });
  }

  // Stale: signed as if sent 400 s ago, past the 300 s tolerance: 400 on every attempt, not stored.
  assert.equal((await faults({ webhookClockSkewSeconds: -400 })).status, 200);
  try {
    const before = (await deliveriesOf('product.updated')).length;
    await stripe.products.update(product.id, { name: 'Replayed end to end' });
    const stale = (await deliveriesOf('product.updated')).slice(before);
    assert.equal(stale.length, 2, `each attempt is logged: ${JSON.stringify(stale)}`);
    assert.deepEqual(stale.map((d) => [d.attempt, d.status]), [[1, 400], [2, 400]]);
    assert.equal(await stored(stale[0].eventId), undefined, 'a stale delivery is stored nowhere');
  } finally {
    await faults({ webhookClockSkewSeconds: 0 });
  }
});
