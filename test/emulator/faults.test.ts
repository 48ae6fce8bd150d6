import assert from 'node:assert/strict';
import { test } from 'node:test';
import Stripe from 'stripe';
import { RateLimiter } from '../../src/emulator/rateLimit.ts';
import { control, expectStripeError, raw, sdk, sleep, withEmulator } from './helpers.ts';

test('rate limit: 429 exactly as Stripe answers it, at most `rate` requests per second', () =>
  withEmulator({ rateLimit: 5 }, async (emu) => {
    const stripe = sdk(emu);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => stripe.products.list()));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    assert.equal(ok, 5);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    await expectStripeError(Promise.reject(rejected.reason), {
      cls: Stripe.errors.StripeRateLimitError, status: 429, type: 'invalid_request_error', code: 'rate_limit',
      message: 'Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
    });
    await sleep(1050);
    assert.ok(await stripe.products.list());
    // Changed at run time through the control API.
    await control(emu, 'POST', 'faults', { rateLimit: 0 });
    const burst = await Promise.allSettled(Array.from({ length: 30 }, () => stripe.products.list()));
    assert.equal(burst.filter((r) => r.status === 'fulfilled').length, 30);
  }));

test('the sliding window never admits more than `rate` in any second', () => {
  let now = 0;
  const limiter = new RateLimiter(25, 1000, () => now);
  const admitted: number[] = [];
  for (now = 0; now < 5000; now += 7) if (limiter.take()) admitted.push(now);
  for (const t of admitted) assert.ok(admitted.filter((x) => x >= t && x < t + 1000).length <= 25);
  assert.ok(admitted.length >= 25 * 5 - 1);
});

async function statuses(emu: Parameters<typeof raw>[0], n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await raw(emu, 'GET', '/v1/products')).status);
  return out;
}

test('faults are reproducible: same seed → same sequence of statuses', () =>
  withEmulator({}, async (emu) => {
    const rules = [{ route: 'GET /v1/products', errorRate: 0.3, rateLimitRate: 0.2 }];
    await control(emu, 'POST', 'faults', { seed: 42, rules });
    const a = await statuses(emu, 40);
    await control(emu, 'POST', 'faults', { seed: 42, rules });
    const b = await statuses(emu, 40);
    assert.deepEqual(a, b);
    assert.ok(a.includes(500) && a.includes(429) && a.includes(200), `got ${a.join(',')}`);
    await control(emu, 'POST', 'faults', { seed: 43, rules });
    assert.notDeepEqual(await statuses(emu, 40), a);
    // Routes not matched by a rule are untouched.
    await control(emu, 'POST', 'faults', { rules: [{ route: 'GET /v1/products/:id', errorRate: 1 }] });
    assert.deepEqual(await statuses(emu, 5), [200, 200, 200, 200, 200]);
    assert.equal((await raw(emu, 'GET', '/v1/products/prod_x')).status, 500);
    const view = (await control(emu, 'GET', 'faults')).body;
    assert.equal(view.rules[0].route, 'GET /v1/products/:id');
    await control(emu, 'POST', 'faults', { clear: true });
    assert.equal((await raw(emu, 'GET', '/v1/products/prod_x')).status, 404);
  }));

test('options set faults too; 500s are api_error and the SDK retries them', () =>
  withEmulator({ seed: 3, faults: [{ route: 'POST /v1/products', errorRate: 1, times: 2 }] }, async (emu) => {
    await expectStripeError(sdk(emu).products.create({ name: 'x' }), {
      cls: Stripe.errors.StripeAPIError, status: 500, type: 'api_error', message: /^Sorry, something went wrong/,
    });
    const product = await sdk(emu, { maxNetworkRetries: 2 }).products.create({ name: 'eventually' });
    assert.equal(product.name, 'eventually');
    const log = (await control(emu, 'GET', 'requests')).body.requests;
    assert.deepEqual(log.map((r: { status: number }) => r.status), [500, 500, 200]);
  }));

test('dropped connections, timeouts and latency', () =>
  withEmulator({}, async (emu) => {
    await control(emu, 'POST', 'faults', { rules: [{ route: 'GET /v1/products', dropRate: 1, times: 2 }] });
    const stripe = sdk(emu);
    await assert.rejects(stripe.products.list(), Stripe.errors.StripeConnectionError);
    const log = (await control(emu, 'GET', 'requests')).body.requests;
    assert.deepEqual(log.map((r: { fault?: string; status: number | null }) => [r.fault, r.status]), [['drop', null], ['drop', null]]);

    await control(emu, 'POST', 'faults', { rules: [{ route: 'GET /v1/prices', timeoutRate: 1, timeoutMs: 5000 }] });
    const t0 = Date.now();
    await assert.rejects(sdk(emu, { timeout: 200 }).prices.list(), (e: unknown) => e instanceof Stripe.errors.StripeConnectionError && /timeout/.test((e as Error).message));
    assert.ok(Date.now() - t0 < 2000);

    await control(emu, 'POST', 'faults', { seed: 9, rules: [{ route: 'GET /v1/events', latencyMs: { min: 80, max: 120 } }] });
    const t1 = Date.now();
    await stripe.events.list();
    const took = Date.now() - t1;
    assert.ok(took >= 75 && took < 600, `took ${took} ms`);
  }));
