// The Stripe gateway with the real SDK against the emulator: pacing, 429 backoff, idempotency keys.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { PRODUCT_REF, type Operation, type StripeSnapshot } from '../../src/catalog/index.ts';
import { startEmulator } from '../../src/emulator/index.ts';
import { createStripeClient } from '../../src/stripe/createStripeClient.ts';
import { executeOperation, operationKey } from '../../src/stripe/executeOperation.ts';
import { createRateLimiter } from '../../src/stripe/rateLimiter.ts';
import { createStripeGateway, StripeRequestError } from '../../src/stripe/stripeGateway.ts';
import { isPermanentStripeError, isTransientStripeError } from '../../src/stripe/stripeErrors.ts';

const emulator = await startEmulator({ port: 0 });
after(() => emulator.stop());
const stripe = createStripeClient({ apiUrl: emulator.url, maxNetworkRetries: 0 });

async function setRateLimit(rateLimit: number): Promise<void> {
  await fetch(`${emulator.url}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rateLimit }) });
}

function maxInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

test('the limiter never lets more than the rate start in any second, and keeps up that rate', async () => {
  const limiter = createRateLimiter({ ratePerSecond: 40 });
  const started = performance.now();
  const times: number[] = [];
  await Promise.all(Array.from({ length: 120 }, () => limiter.acquire().then(() => times.push(performance.now()))));
  const elapsed = performance.now() - started;
  // Slots are reserved at most 40 per second; timers firing a few ms late can bunch a couple more.
  assert.ok(maxInAnyWindow(times, 1000) <= 42, `at most 40 per second (got ${maxInAnyWindow(times, 1000)})`);
  // A burst of 2 (5%), then one every 25 ms: 120 take about 3 s, i.e. 40 per second on average.
  assert.ok(elapsed >= 2900 && elapsed < 3300, `took ${elapsed} ms`);
  // Smoothed: no lump of 40 at once; about 4 per 100 ms.
  assert.ok(maxInAnyWindow(times, 100) <= 7, `smoothed (got ${maxInAnyWindow(times, 100)} in 100 ms)`);
});

test('a fractional rate (22.5/s, 90% of test mode) is held too', async () => {
  const limiter = createRateLimiter({ ratePerSecond: 22.5 });
  const times: number[] = [];
  await Promise.all(Array.from({ length: 50 }, () => limiter.acquire().then(() => times.push(performance.now()))));
  assert.ok(maxInAnyWindow(times, 1000) <= 24, `got ${maxInAnyWindow(times, 1000)}`);
});

test('paced under Stripe’s limit, the gateway is never refused', async () => {
  await setRateLimit(20);
  try {
    const gateway = createStripeGateway({ stripe, ratePerSecond: 18 });
    const started = performance.now();
    await Promise.all(Array.from({ length: 45 }, () => gateway.request('GET /v1/products', (o) => stripe.products.list({ limit: 1 }, o))));
    const seconds = (performance.now() - started) / 1000;
    assert.equal(gateway.stats.rateLimited, 0);
    assert.equal(gateway.stats.calls, 45);
    // 18 per second, smoothed: 45 take about 2.5 s.
    assert.ok(seconds > 2.3 && seconds < 2.9, `took ${seconds} s`);
  } finally {
    await setRateLimit(0);
  }
});

test('429: backed off and retried (the SDK does not), with the same idempotency key', async () => {
  await setRateLimit(5);
  try {
    const gateway = createStripeGateway({ stripe, ratePerSecond: 1000, retry: { baseDelayMs: 50, maxDelayMs: 400, maxRetries: 30 } });
    const results = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        gateway.request('POST /v1/products', (o) => stripe.products.create({ name: `Burst ${i}`, metadata: { burst: '1' } }, o), { idempotencyKey: `test-burst-${i}` }),
      ),
    );
    assert.ok(gateway.stats.rateLimited > 0, '429s were absorbed');
    assert.equal(results.length, 15);
    assert.ok(results.every((r) => r.record.status === 200 && /^req_/.test(r.record.requestId ?? '')));
    const state = (await (await fetch(`${emulator.url}/_emulator/state`)).json()) as { products: Array<{ metadata: Record<string, string> }> };
    assert.equal(state.products.filter((p) => p.metadata.burst === '1').length, 15, 'each created once');
  } finally {
    await setRateLimit(0);
  }
});

test('429 that outlasts the retries surfaces as a transient error; 4xx as a permanent one', async () => {
  await setRateLimit(1);
  try {
    const gateway = createStripeGateway({ stripe, ratePerSecond: 1000, retry: { baseDelayMs: 1, maxDelayMs: 2, maxRetries: 2 } });
    await gateway.request('GET /v1/products', (o) => stripe.products.list({ limit: 1 }, o));
    const error = await gateway.request('GET /v1/products', (o) => stripe.products.list({ limit: 1 }, o)).catch((e: unknown) => e);
    assert.ok(error instanceof StripeRequestError);
    assert.equal(error.record.status, 429);
    assert.equal(error.record.rateLimited, 2);
    assert.ok(isTransientStripeError(error));
  } finally {
    await setRateLimit(0);
  }
  const gateway = createStripeGateway({ stripe, ratePerSecond: 1000 });
  const missing = await gateway.request('POST /v1/products/:id', (o) => stripe.products.update('prod_nope', { name: 'x' }, o)).catch((e: unknown) => e);
  assert.ok(isPermanentStripeError(missing));
  assert.equal((missing as StripeRequestError).code, 'resource_missing');
  assert.ok((missing as StripeRequestError).cause, 'keeps the SDK error as cause');
});

test('idempotency keys: stable for a retry (refs resolved), different for changed parameters, versions and runs', async () => {
  const spaceId = '7d6b3c52-3a43-4d6e-9a34-0f7c1b2e9a10';
  const snapshot: StripeSnapshot = {
    productId: 'prod_A',
    product: { name: 'A', description: null, images: [], active: true, metadata: {}, defaultPriceId: null },
    prices: {},
  };
  const createPrice = (product: string | typeof PRODUCT_REF, amount: number): Operation => ({
    kind: 'create_price',
    rowId: 'row-1',
    replacesPriceId: null,
    params: { product, currency: 'eur', unit_amount: amount, tax_behavior: 'unspecified', metadata: { space_id: spaceId } },
  });
  const ctx = { spaceId, version: 3 };
  const key = operationKey(createPrice(PRODUCT_REF, 1000), snapshot, ctx);
  assert.match(key, new RegExp(`^spacesync:${spaceId}:v3:create_price:row-1:[0-9a-f]{16}$`));
  assert.equal(operationKey(createPrice(PRODUCT_REF, 1000), snapshot, ctx), key, 'same operation, same key');
  assert.equal(operationKey(createPrice('prod_A', 1000), snapshot, ctx), key, 'a ref and the id it resolves to give the same key');
  assert.notEqual(operationKey(createPrice(PRODUCT_REF, 1200), snapshot, ctx), key, 'changed parameters, another key');
  assert.notEqual(operationKey(createPrice(PRODUCT_REF, 1000), snapshot, { spaceId, version: 4 }), key, 'another version, another key');
  assert.notEqual(operationKey(createPrice(PRODUCT_REF, 1000), snapshot, { ...ctx, discriminator: 'c1' }), key, 'a catalog run, another key');

  // Against Stripe: the same operation twice is one object (replayed); changed parameters are another.
  const gateway = createStripeGateway({ stripe, ratePerSecond: 1000 });
  const product = await stripe.products.create({ name: 'Keys' });
  const snap = { ...snapshot, productId: product.id };
  const first = await executeOperation(gateway, createPrice(PRODUCT_REF, 1000), snap, ctx);
  const retry = await executeOperation(gateway, createPrice(PRODUCT_REF, 1000), snap, ctx);
  assert.equal(retry.object.id, first.object.id);
  assert.equal(retry.record.replayed, true);
  assert.equal(retry.idempotencyKey, first.idempotencyKey);
  const changed = await executeOperation(gateway, createPrice(PRODUCT_REF, 1100), snap, ctx);
  assert.notEqual(changed.object.id, first.object.id);
  assert.equal(changed.record.replayed, false);
});
