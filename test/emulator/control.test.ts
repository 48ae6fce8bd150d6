import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startEmulator } from '../../src/emulator/index.ts';
import { control, sdk, sleep, withEmulator } from './helpers.ts';

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
