import assert from 'node:assert/strict';
import { test } from 'node:test';
import Stripe from 'stripe';
import { IDEMPOTENCY_TTL_MS, IdempotencyStore } from '../../src/emulator/idempotency.ts';
import { control, expectStripeError, sdk, withEmulator } from './helpers.ts';

test('same key and parameters replays the first response', () =>
  withEmulator({}, async (emu) => {
    const stripe = sdk(emu);
    const first = await stripe.products.create({ name: 'Once', metadata: { a: '1' } }, { idempotencyKey: 'k-1' });
    const second = await stripe.products.create({ name: 'Once', metadata: { a: '1' } }, { idempotencyKey: 'k-1' });
    assert.deepEqual(second, first);
    assert.equal(second.lastResponse.headers['idempotent-replayed'], 'true');
    assert.equal(first.lastResponse.headers['idempotent-replayed'], undefined);
    assert.equal(second.lastResponse.requestId, first.lastResponse.requestId);
    assert.equal((await stripe.products.list()).data.length, 1);
    assert.equal((await stripe.events.list()).data.length, 1, 'a replay makes no event');
    const log = (await control(emu, 'GET', 'requests')).body.requests;
    assert.deepEqual(log.filter((r: { path: string; method: string }) => r.method === 'POST').map((r: { replayed?: boolean }) => r.replayed ?? false), [false, true]);

    // DELETE is idempotent too; errors that ran the endpoint are replayed as well.
    const p = await stripe.prices.create({ product: first.id, currency: 'usd', unit_amount: 1 });
    const del1 = stripe.products.del(first.id, {}, { idempotencyKey: 'del-1' });
    const e1 = await expectStripeError(del1, { cls: Stripe.errors.StripeInvalidRequestError, status: 400, type: 'invalid_request_error', message: /cannot be deleted/ });
    const e2 = await expectStripeError(stripe.products.del(first.id, {}, { idempotencyKey: 'del-1' }), { cls: Stripe.errors.StripeInvalidRequestError, status: 400, type: 'invalid_request_error', message: /cannot be deleted/ });
    assert.equal(e2.requestId, e1.requestId);
    assert.equal(e2.headers?.['idempotent-replayed'], 'true');
    assert.ok(p.id);
  }));

test('same key with other parameters is an idempotency_error', () =>
  withEmulator({}, async (emu) => {
    const stripe = sdk(emu);
    await stripe.products.create({ name: 'A' }, { idempotencyKey: 'shared' });
    await expectStripeError(stripe.products.create({ name: 'B' }, { idempotencyKey: 'shared' }), {
      cls: Stripe.errors.StripeIdempotencyError, status: 400, type: 'idempotency_error',
      message: "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'shared' if you meant to execute a different request.",
    });
    // Another endpoint with the same key and parameters is also a different request.
    const product = (await stripe.products.list()).data[0];
    await expectStripeError(stripe.products.update(product.id, { name: 'A' }, { idempotencyKey: 'shared' }), {
      cls: Stripe.errors.StripeIdempotencyError, status: 400, type: 'idempotency_error', message: /^Keys for idempotent requests/,
    });
  }));

test('a concurrent request with an in-flight key gets a 409', () =>
  withEmulator({}, async (emu) => {
    await control(emu, 'POST', 'faults', { rules: [{ route: 'POST /v1/products', latencyMs: 300 }] });
    const stripe = sdk(emu);
    const a = stripe.products.create({ name: 'Slow' }, { idempotencyKey: 'race' });
    await new Promise((r) => setTimeout(r, 50));
    const err = await expectStripeError(stripe.products.create({ name: 'Slow' }, { idempotencyKey: 'race' }), {
      cls: Stripe.errors.StripeAPIError, status: 409, type: 'idempotency_error', code: 'idempotency_key_in_use',
      message: "There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): race. Please try again later.",
    });
    assert.equal(err.statusCode, 409);
    const first = await a;
    const replay = await stripe.products.create({ name: 'Slow' }, { idempotencyKey: 'race' });
    assert.equal(replay.id, first.id);
  }));

test('keys are scoped per API key; GET ignores them; validation errors are not stored', () =>
  withEmulator({}, async (emu) => {
    const one = sdk(emu, {}, 'sk_test_one');
    const two = sdk(emu, {}, 'sk_test_two');
    const a = await one.products.create({ name: 'Scoped' }, { idempotencyKey: 'k' });
    const b = await two.products.create({ name: 'Scoped' }, { idempotencyKey: 'k' });
    assert.notEqual(a.id, b.id);

    const l1 = await one.products.list({}, { idempotencyKey: 'k' });
    assert.equal(l1.lastResponse.headers['idempotent-replayed'], undefined);

    await expectStripeError(one.products.create({ name: 'x', nope: 1 } as Stripe.ProductCreateParams, { idempotencyKey: 'v' }), {
      cls: Stripe.errors.StripeInvalidRequestError, status: 400, type: 'invalid_request_error', param: 'nope', message: 'Received unknown parameter: nope',
    });
    const fixed = await one.products.create({ name: 'Fixed' }, { idempotencyKey: 'v' });
    assert.equal(fixed.name, 'Fixed');
  }));

test('fail after commit: the write is applied, the connection dropped, and the SDK retry replays it', () =>
  withEmulator({}, async (emu) => {
    await control(emu, 'POST', 'faults', { rules: [{ route: 'POST /v1/products', failAfterCommitRate: 1, times: 1 }] });
    const stripe = sdk(emu, { maxNetworkRetries: 2 });
    const product = await stripe.products.create({ name: 'Committed' });
    assert.equal(product.lastResponse.headers['idempotent-replayed'], 'true');
    const all = await stripe.products.list();
    assert.deepEqual(all.data.map((p) => p.id), [product.id]);
    const log = (await control(emu, 'GET', 'requests')).body.requests.filter((r: { method: string }) => r.method === 'POST');
    assert.equal(log.length, 2);
    assert.equal(log[0].fault, 'fail_after_commit');
    assert.equal(log[0].idempotencyKey, log[1].idempotencyKey);
    assert.equal(log[1].replayed, true);
  }));

test('keys are kept 24 hours', () => {
  const store = new IdempotencyStore();
  const t0 = 1_000_000;
  assert.equal(store.begin('sk', 'k', 'fp', t0).kind, 'new');
  store.complete('sk', 'k', { status: 200, body: '{}', requestId: 'req_1' });
  assert.equal(store.begin('sk', 'k', 'fp', t0 + IDEMPOTENCY_TTL_MS - 1).kind, 'replay');
  assert.equal(store.begin('sk', 'k', 'other', t0 + IDEMPOTENCY_TTL_MS - 1).kind, 'error');
  assert.equal(store.begin('sk', 'k', 'other', t0 + IDEMPOTENCY_TTL_MS).kind, 'new');
});
