// The signature check and the storable-event check as pure code (no database): both HMACs agree with
// Stripe's own test header, the timestamp is bounded both ways, and what Postgres refuses is named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import { verifyStripeSignature, webCryptoStripeHmac } from '../../src/api/verifyStripeSignature.ts';
import { checkStorableEvent, jsonDepth } from '../../src/api/checkStorableEvent.ts';
import { nodeStripeHmac } from '../../src/node/nodeStripeHmac.ts';

const SECRET = 'whsec_unit_0123456789';
const NOW = 1_800_000_000;
const body = new TextEncoder().encode(JSON.stringify({ id: 'evt_1', type: 'product.updated', created: NOW, name: 'Café ☕' }));
const sign = (timestamp: number, secret = SECRET) =>
  Stripe.webhooks.generateTestHeaderStringAsync({ payload: new TextDecoder().decode(body), secret, timestamp, cryptoProvider: Stripe.createSubtleCryptoProvider() });

for (const [name, hmac] of [['node:crypto', nodeStripeHmac], ['Web Crypto', webCryptoStripeHmac()]] as const) {
  test(`${name}: Stripe's header verifies; the tolerance holds both ways`, async () => {
    const check = async (timestamp: number, secret?: string) => verifyStripeSignature({ header: await sign(timestamp, secret), body, secret: SECRET, hmac, now: NOW });
    assert.deepEqual(await check(NOW), { ok: true });
    assert.deepEqual(await check(NOW - 300), { ok: true });
    assert.deepEqual(await check(NOW + 300), { ok: true });
    assert.match(((await check(NOW - 301)) as { reason: string }).reason, /301 s old/);
    assert.match(((await check(NOW + 86_400)) as { reason: string }).reason, /86400 s in the future/);
    assert.match(((await check(NOW, 'whsec_other')) as { reason: string }).reason, /no v1 signature/);
  });
}

test('a header with several v1 signatures verifies when one matches (secret rotation)', async () => {
  const good = (await sign(NOW)).split(',').find((p) => p.startsWith('v1='));
  const header = `t=${NOW},v1=${'a'.repeat(64)},${good}`;
  assert.deepEqual(await verifyStripeSignature({ header, body, secret: SECRET, hmac: nodeStripeHmac, now: NOW }), { ok: true });
  for (const broken of ['', 'v1=abc', `t=abc,${good}`, `t=${NOW}`]) {
    assert.equal((await verifyStripeSignature({ header: broken, body, secret: SECRET, hmac: nodeStripeHmac, now: NOW })).ok, false, broken);
  }
});

test('jsonDepth counts objects and arrays, not brackets inside strings', () => {
  assert.equal(jsonDepth('{"a":[1,{"b":2}]}'), 3);
  assert.equal(jsonDepth('{"a":"[[[{{{\\"[["}'), 1);
  assert.equal(jsonDepth('"x"'), 0);
});

test('checkStorableEvent: facts of a good event; the problem of a bad one', () => {
  const good = { id: 'evt_1', type: 'product.updated', created: NOW, livemode: true, data: { object: { id: 'prod_1', updated: NOW } } };
  assert.deepEqual(checkStorableEvent(JSON.stringify(good), good), {
    ok: true, facts: { id: 'evt_1', type: 'product.updated', created: NOW, objectId: 'prod_1', objectUpdated: new Date(NOW * 1000).toISOString(), livemode: true },
  });
  const problem = (e: unknown, text = JSON.stringify(e)) => { const r = checkStorableEvent(text, e); return r.ok ? '' : r.problem; };
  assert.match(problem({ hello: 'world' }), /not a Stripe event/);
  assert.match(problem([1]), /not a Stripe event/);
  assert.match(problem({ ...good, created: -1 }), /created must be/);
  assert.match(problem({ ...good, data: { object: { updated: 1e20 } } }), /data\.object\.updated/);
  assert.match(problem({ ...good, data: { object: { items: ['ok', 'a\u0000'] } } }), /data\.object\.items\[1\]/);
  assert.match(problem({ ...good, type: 'x\udc00' }), /at type .*surrogate/);
  // An escaped backslash followed by u0000 is text, not NUL: stored as is.
  const text = JSON.stringify({ ...good, data: { object: { note: '\\u0000' } } });
  assert.equal(checkStorableEvent(text, JSON.parse(text)).ok, true);
});
