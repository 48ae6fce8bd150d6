// Webhook ingestion as a table of cases, signed with stripe.webhooks.generateTestHeaderStringAsync:
// valid, forged, stale, duplicate, malformed, our own fault.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import { createTestDatabase } from '../helpers/db.ts';
import { createPool } from '../../src/db/pool.ts';
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
