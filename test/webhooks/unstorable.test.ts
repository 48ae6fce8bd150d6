// Signed events Postgres cannot store (NUL, lone surrogates, `created` out of range, absurd nesting)
// and signatures outside the 300 s tolerance either way: each answered 400 naming the problem, stored
// nowhere, and never failing good deliveries beside it. Through both ways in: the Hono route
// (app.request, Web Crypto) and the Node server's direct path (node:http, node:crypto).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { createTestDatabase } from '../helpers/db.ts';
import { createStripeEventStore, UnstorableEventError, type StripeEventRow } from '../../src/api/storeStripeEvents.ts';
import { createApiServer } from '../../src/node/webhookListener.ts';
import { silentLogger } from '../../src/log.ts';
import { testApp, WEBHOOK_SECRET } from '../api/helpers.ts';

const db = await createTestDatabase();
const app = testApp(db.pool);
const server = createApiServer(app.fetch, { pool: db.pool, log: silentLogger, webhookSecret: WEBHOOK_SECRET });
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
after(() => new Promise<void>((resolve) => {
  server.close(() => resolve());
  server.closeAllConnections();
}));
const nodeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`;

const now = () => Math.floor(Date.now() / 1000);
let counter = 0;
function event(over: Record<string, unknown> = {}, object: Record<string, unknown> = {}) {
  counter++;
  return {
    id: `evt_unstorable_${counter}_${Date.now()}`,
    object: 'event',
    type: 'product.updated',
    created: now(),
    livemode: false,
    data: { object: { id: `prod_u${counter}`, object: 'product', name: 'P', updated: now(), metadata: {}, ...object } },
    ...over,
  };
}

const cryptoProvider = Stripe.createSubtleCryptoProvider();
const header = (payload: string, timestamp?: number) =>
  Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: WEBHOOK_SECRET, timestamp, cryptoProvider });

type Via = (payload: string, timestamp?: number) => Promise<{ status: number; body: { received?: boolean; duplicate?: boolean; error?: { code: string; message: string } } }>;
const ways: Record<string, Via> = {
  hono: async (payload, timestamp) => {
    const res = await app.request('/webhooks/stripe', { method: 'POST', headers: { 'stripe-signature': await header(payload, timestamp), 'content-type': 'application/json' }, body: payload });
    return { status: res.status, body: await res.json() };
  },
  node: async (payload, timestamp) => {
    const res = await fetch(nodeUrl, { method: 'POST', headers: { 'stripe-signature': await header(payload, timestamp), 'content-type': 'application/json' }, body: payload });
    return { status: res.status, body: await res.json() };
  },
};

async function storedCount(id: string): Promise<{ events: number; jobs: number }> {
  const { rows } = await db.pool.query(
    `select (select count(*)::int from stripe_events where id = $1) as events,
            (select count(*)::int from graphile_worker._private_jobs where key = 'process_stripe_event:' || $1) as jobs`, [id]);
  return rows[0];
}

/** `{"a":{"a":…"deep"…}}`, `depth` levels, written as text (JSON.stringify would recurse too deep). */
const nested = (depth: number) => `${'{"a":'.repeat(depth)}"deep"${'}'.repeat(depth)}`;

const bad: Array<{ name: string; make: () => { payload: string; id: string; timestamp?: number }; names: RegExp }> = [
  { name: 'NUL in a string', make: () => { const e = event({}, { name: 'a\u0000b' }); return { payload: JSON.stringify(e), id: e.id }; }, names: /data\.object\.name.*NUL/ },
  { name: 'NUL in a key', make: () => { const e = event({}, { metadata: { 'k\u0000': 'v' } }); return { payload: JSON.stringify(e), id: e.id }; }, names: /data\.object\.metadata.*NUL/ },
  { name: 'a lone surrogate', make: () => { const e = event({}, { description: 'x\ud800y' }); return { payload: JSON.stringify(e), id: e.id }; }, names: /data\.object\.description.*surrogate/ },
  { name: '"created": 1e20', make: () => { const e = event(); return { payload: JSON.stringify(e).replace(`"created":${e.created}`, '"created":1e20'), id: e.id }; }, names: /created must be a whole number.*got 100000000000000000000/ },
  { name: 'a fractional created', make: () => { const e = event({ created: 1.5 }); return { payload: JSON.stringify(e), id: e.id }; }, names: /created must be a whole number/ },
  { name: 'data.object.updated 1e20', make: () => { const e = event({}, { updated: 1e20 }); return { payload: JSON.stringify(e), id: e.id }; }, names: /data\.object\.updated must be/ },
  { name: '5,000 levels of nesting', make: () => { const e = event({}, { metadata: 'NESTED' }); return { payload: JSON.stringify(e).replace('"NESTED"', nested(5000)), id: e.id }; }, names: /nests 500\d levels deep/ },
  { name: 'an id of 300 characters', make: () => { const e = event({ id: `evt_${'x'.repeat(296)}` }); return { payload: JSON.stringify(e), id: e.id }; }, names: /id must be 1 to 255/ },
  { name: 'a signature timestamp a day in the future', make: () => { const e = event(); return { payload: JSON.stringify(e), id: e.id, timestamp: now() + 86_400 }; }, names: /in the future, past the 300 s tolerance/ },
  { name: 'a signature timestamp 301 s in the future', make: () => { const e = event(); return { payload: JSON.stringify(e), id: e.id, timestamp: now() + 310 }; }, names: /in the future/ },
  { name: 'a signature timestamp 310 s old', make: () => { const e = event(); return { payload: JSON.stringify(e), id: e.id, timestamp: now() - 310 }; }, names: /s old, past the 300 s tolerance/ },
];

for (const [way, deliver] of Object.entries(ways)) {
  for (const c of bad) {
    test(`${way}: ${c.name} → 400 naming the problem, stored nowhere`, async () => {
      const { payload, id, timestamp } = c.make();
      const res = await deliver(payload, timestamp);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error?.code, 'validation_failed');
      assert.match(res.body.error?.message ?? '', c.names);
      assert.deepEqual(await storedCount(id), { events: 0, jobs: 0 });
    });
  }

  test(`${way}: a signature 200 s in the future (inside the tolerance) is accepted`, async () => {
    const e = event();
    const res = await deliver(JSON.stringify(e), now() + 200);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(await storedCount(e.id), { events: 1, jobs: 1 });
  });

  test(`${way}: bad events among 60 concurrent good deliveries fail only themselves`, async () => {
    const deliveries = Array.from({ length: 60 }, (_, i) => {
      if (i % 15 === 7) return { ...bad[i % bad.length].make(), good: false };
      const e = event();
      return { payload: JSON.stringify(e), id: e.id, timestamp: undefined, good: true };
    });
    // Duplicates of good events in the same burst: answered 2xx, stored once.
    deliveries.push({ ...deliveries[0] }, { ...deliveries[1] });
    const results = await Promise.all(deliveries.map((d) => deliver(d.payload, d.timestamp)));
    results.forEach((r, i) => assert.equal(r.status, deliveries[i].good ? 200 : 400, `delivery ${i}: ${JSON.stringify(r.body)}`));
    for (const d of deliveries) assert.deepEqual(await storedCount(d.id), d.good ? { events: 1, jobs: 1 } : { events: 0, jobs: 0 });
    assert.equal(results.filter((r) => r.body.duplicate).length, 2);
  });

  test(`${way}: the usual cases still hold (valid, duplicate, forged, too large)`, async () => {
    const e = JSON.stringify(event());
    assert.deepEqual(await deliver(e), { status: 200, body: { received: true } });
    assert.deepEqual(await deliver(e), { status: 200, body: { received: true, duplicate: true } });
    const forged = JSON.stringify(event());
    const res = way === 'node'
      ? await fetch(nodeUrl, { method: 'POST', headers: { 'stripe-signature': `t=${now()},v1=${'0'.repeat(64)}` }, body: forged })
      : await app.request('/webhooks/stripe', { method: 'POST', headers: { 'stripe-signature': `t=${now()},v1=${'0'.repeat(64)}` }, body: forged });
    assert.equal(res.status, 400);
    assert.deepEqual(await storedCount((JSON.parse(forged) as { id: string }).id), { events: 0, jobs: 0 });
    const large = JSON.stringify(event({ padding: 'x'.repeat(600 * 1024) }));
    assert.equal((await deliver(large)).status, 413);
  });
}

test('node: no Stripe-Signature → 400; the rest of the API still answers through Hono', async () => {
  const res = await fetch(nodeUrl, { method: 'POST', body: JSON.stringify(event()) });
  assert.equal(res.status, 400);
  assert.match(((await res.json()) as { error: { message: string } }).error.message, /missing Stripe-Signature/);
  const health = await fetch(nodeUrl.replace('/webhooks/stripe', '/api/spaces'));
  assert.equal(health.status, 200);
});

test('store: a row Postgres refuses in a batch is refused alone; its neighbours are stored', async () => {
  const store = createStripeEventStore(db.pool, { maxInFlight: 1 });
  const row = (i: number, over: Partial<StripeEventRow> = {}): StripeEventRow => ({
    id: `evt_batch_${Date.now()}_${i}`, type: 'product.updated', objectId: 'prod_b', created: now(), objectUpdated: null, livemode: false,
    payload: JSON.stringify({ id: `evt_batch_${i}`, n: i }), ...over,
  });
  // The first store goes alone; the other 20 wait and are written as one batch, two of them bad.
  const rows = Array.from({ length: 21 }, (_, i) =>
    i === 5 ? row(i, { payload: '{"name":"a\\u0000b"}' }) : i === 12 ? row(i, { created: 1e20 }) : row(i));
  const results = await Promise.allSettled(rows.map((r) => store.store(r)));
  results.forEach((r, i) => {
    if (i === 5 || i === 12) {
      assert.equal(r.status, 'rejected');
      assert.ok(r.status === 'rejected' && r.reason instanceof UnstorableEventError, String(r.status === 'rejected' && r.reason));
    } else {
      assert.deepEqual(r, { status: 'fulfilled', value: true });
    }
  });
  for (const [i, r] of rows.entries()) assert.deepEqual(await storedCount(r.id), i === 5 || i === 12 ? { events: 0, jobs: 0 } : { events: 1, jobs: 1 });
});
