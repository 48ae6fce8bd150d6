import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Stripe from 'stripe';
import { startEmulator } from '../../src/emulator/index.ts';
import { control, expectStripeError, sdk, sleep, withEmulator } from './helpers.ts';
import { loadSpec, validate } from './openapiValidate.ts';
import { startReceiver } from './receiver.ts';

test('request log: API calls only, with params, keys, status and request ids; since and clear', () =>
  withEmulator({}, async (emu) => {
    const stripe = sdk(emu);
    const p = await stripe.products.create({ name: 'Logged', metadata: { k: 'v' } }, { idempotencyKey: 'log-1' });
    await stripe.products.retrieve(p.id);
    await fetch(`${emu.url}/`); // the HTML page is not logged
    await control(emu, 'GET', 'state'); // control calls are not logged
    const { body } = await control(emu, 'GET', 'requests');
    assert.equal(body.requests.length, 2);
    const [create, retrieve] = body.requests;
    assert.deepEqual(
      { method: create.method, path: create.path, params: create.params, idempotencyKey: create.idempotencyKey, status: create.status, index: create.index },
      { method: 'POST', path: '/v1/products', params: { name: 'Logged', metadata: { k: 'v' } }, idempotencyKey: 'log-1', status: 200, index: 0 },
    );
    assert.equal(create.requestId, p.lastResponse.requestId);
    assert.ok(!Number.isNaN(Date.parse(create.time)));
    assert.equal(retrieve.path, `/v1/products/${p.id}`);
    assert.equal(retrieve.idempotencyKey, null);

    const since = (await control(emu, 'GET', 'requests?since=1')).body.requests;
    assert.deepEqual(since.map((r: { index: number }) => r.index), [1]);
    const byTime = (await control(emu, 'GET', `requests?since=${encodeURIComponent(retrieve.time)}`)).body.requests;
    assert.ok(byTime.every((r: { index: number }) => r.index >= 1));

    await control(emu, 'DELETE', 'requests');
    await stripe.products.list();
    const after = (await control(emu, 'GET', 'requests')).body;
    assert.equal(after.requests.length, 1);
    assert.equal(after.requests[0].index, 2, 'indices keep counting after a clear');
  }));

test('state and reset', () =>
  withEmulator({}, async (emu) => {
    const stripe = sdk(emu);
    const product = await stripe.products.create({ name: 'Stateful', default_price_data: { currency: 'usd', unit_amount: 10, currency_options: { eur: { unit_amount: 9 } } } });
    const we = await stripe.webhookEndpoints.create({ url: 'https://example.com/h', enabled_events: ['*'] });
    await control(emu, 'POST', 'faults', { rateLimit: 3, rules: [{ errorRate: 0.5 }] });
    const state = (await control(emu, 'GET', 'state')).body;
    assert.deepEqual(state.products.map((p: { id: string }) => p.id), [product.id]);
    assert.equal(state.prices[0].currency_options.eur.unit_amount, 9);
    assert.equal(state.webhookEndpoints[0].id, we.id);
    assert.equal(state.webhookEndpoints[0].secret, we.secret);
    assert.deepEqual(state.counts, { products: 1, prices: 1, webhookEndpoints: 1, events: 2 });

    assert.deepEqual((await control(emu, 'POST', 'reset')).body, { ok: true });
    const cleared = (await control(emu, 'GET', 'state')).body;
    assert.deepEqual(cleared.counts, { products: 0, prices: 0, webhookEndpoints: 0, events: 0 });
    const faults = (await control(emu, 'GET', 'faults')).body;
    assert.deepEqual(faults.rules, []);
    assert.equal(faults.rateLimit, 0);
    assert.deepEqual((await control(emu, 'GET', 'requests')).body.requests, []);
    // Idempotency keys are forgotten too.
    const again = await stripe.products.create({ name: 'Other' }, { idempotencyKey: 'after-reset' });
    await control(emu, 'POST', 'reset');
    assert.notEqual((await stripe.products.create({ name: 'Other' }, { idempotencyKey: 'after-reset' })).id, again.id);

    const bad = await control(emu, 'POST', 'faults', { rules: [{ errorRate: 2 }] });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /errorRate/);
    assert.equal((await control(emu, 'GET', 'nope')).status, 404);
  }));

test('HTML page lists products and prices with escaped output', () =>
  withEmulator({}, async (emu) => {
    const stripe = sdk(emu);
    const product = await stripe.products.create({
      name: '<script>alert(1)</script> & "Co"',
      metadata: { note: '<img src=x onerror=alert(2)>' },
      default_price_data: { currency: 'usd', unit_amount: 1250, recurring: { interval: 'month' } },
    });
    const res = await fetch(`${emu.url}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const html = await res.text();
    assert.ok(!html.includes('<script>alert(1)'));
    assert.ok(!html.includes('<img src=x'));
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;'));
    assert.ok(html.includes('12.50 USD / month'));
    assert.ok(html.includes(`href="/products/${product.id}"`));
    const one = await fetch(`${emu.url}/products/${product.id}`);
    assert.equal(one.status, 200);
    const oneHtml = await one.text();
    assert.ok(oneHtml.includes(product.default_price as string));
    assert.ok(!oneHtml.includes('<img src=x'));
    assert.equal((await fetch(`${emu.url}/products/prod_missing%3Cb%3E`)).status, 404);
  }));

test('persistence: state survives a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emu-persist-'));
  const file = join(dir, 'stripe.json');
  try {
    const first = await startEmulator({ persistFile: file });
    const stripe = sdk(first);
    const product = await stripe.products.create({ name: 'Durable', default_price_data: { currency: 'usd', unit_amount: 5 } });
    await stripe.prices.update(product.default_price as string, { lookup_key: 'durable' });
    await sleep(300); // debounced write
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).products[0].id, product.id);
    await first.stop();

    const second = await startEmulator({ persistFile: file });
    try {
      const s2 = sdk(second);
      assert.equal((await s2.products.retrieve(product.id)).name, 'Durable');
      const byKey = await s2.prices.list({ lookup_keys: ['durable'] });
      assert.equal(byKey.data[0].id, product.default_price);
      assert.equal((await s2.events.list()).data.length, 3);
      const next = await s2.products.create({ name: 'After restart' });
      assert.deepEqual((await s2.products.list()).data.map((p) => p.id), [next.id, product.id]);
    } finally {
      await second.stop();
    }
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).products.length, 2, 'flushed on stop');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('dashboard: delete a price (price.deleted with the price as it was); the default price is refused', () =>
  withEmulator({}, async (emu) => {
    const stripe = sdk(emu);
    const product = await stripe.products.create({ name: 'Two prices', default_price_data: { currency: 'eur', unit_amount: 100 } });
    const extra = await stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 250, lookup_key: 'extra', metadata: { row: '2' } });

    const refused = await control(emu, 'DELETE', `dashboard/prices/${product.default_price}`);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.type, 'invalid_request_error');
    assert.match(refused.body.error.message, /default price/);

    const del = await control(emu, 'DELETE', `dashboard/prices/${extra.id}`);
    assert.equal(del.status, 200);
    assert.deepEqual(del.body, { id: extra.id, object: 'price', deleted: true });
    assert.deepEqual(validate(loadSpec(), { $ref: '#/components/schemas/deleted_price' }, del.body), []);

    const [event] = (await stripe.events.list({ type: 'price.deleted' })).data;
    assert.ok(event, 'a price.deleted event');
    assert.deepEqual(event.request, { id: null, idempotency_key: null });
    const object = event.data.object as Stripe.Price;
    assert.equal(object.id, extra.id);
    assert.equal(object.lookup_key, 'extra');
    assert.deepEqual(object.metadata, { row: '2' });
    assert.deepEqual(validate(loadSpec(), { $ref: '#/components/schemas/price' }, object), [], 'data.object is a price');

    await expectStripeError(stripe.prices.retrieve(extra.id), {
      cls: Stripe.errors.StripeInvalidRequestError, status: 404, type: 'invalid_request_error', code: 'resource_missing',
      param: 'price', message: `No such price: '${extra.id}'`,
    });
    assert.deepEqual((await stripe.prices.list({ product: product.id })).data.map((p) => p.id), [product.default_price]);
    // Its lookup key is free again.
    const reuse = await stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 300, lookup_key: 'extra' });
    assert.equal((await stripe.prices.list({ lookup_keys: ['extra'] })).data[0].id, reuse.id);
    assert.equal((await control(emu, 'DELETE', `dashboard/prices/${extra.id}`)).status, 404);
    assert.equal((await control(emu, 'GET', 'state')).body.counts.prices, 2);
  }));

test('faults: webhookClockSkewSeconds signs deliveries as if sent earlier; clear and reset restore it', async () => {
  const receiver = await startReceiver();
  try {
    await withEmulator({}, async (emu) => {
      const stripe = sdk(emu);
      const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['product.created'] });
      const set = await control(emu, 'POST', 'faults', { webhookClockSkewSeconds: -400 });
      assert.equal(set.status, 200);
      assert.equal(set.body.webhookClockSkewSeconds, -400);
      await stripe.products.create({ name: 'Stale' });
      const [stale] = await receiver.waitFor(1);
      const t = Number(/t=(\d+)/.exec(stale.signature)?.[1]);
      const now = Math.floor(Date.now() / 1000);
      assert.ok(now - t >= 399 && now - t <= 402, `signed ${now - t} s ago`);
      const crypto = Stripe.createSubtleCryptoProvider();
      await assert.rejects(Stripe.webhooks.constructEventAsync(stale.body, stale.signature, endpoint.secret as string, 300, crypto), /tolerance/);
      const ok = await Stripe.webhooks.constructEventAsync(stale.body, stale.signature, endpoint.secret as string, 600, crypto);
      assert.equal(ok.type, 'product.created', 'the signature itself is valid');

      assert.equal((await control(emu, 'POST', 'faults', { webhookClockSkewSeconds: 1.5 })).status, 400);
      assert.equal((await control(emu, 'POST', 'faults', { clear: true })).body.webhookClockSkewSeconds, 0);
      await stripe.products.create({ name: 'Fresh' });
      const [, fresh] = await receiver.waitFor(2);
      await Stripe.webhooks.constructEventAsync(fresh.body, fresh.signature, endpoint.secret as string, 300, crypto);
      await control(emu, 'POST', 'faults', { webhookClockSkewSeconds: -30 });
      await control(emu, 'POST', 'reset');
      assert.equal((await control(emu, 'GET', 'faults')).body.webhookClockSkewSeconds, 0);
    });
  } finally {
    await receiver.close();
  }
});
