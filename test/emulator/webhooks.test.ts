import assert from 'node:assert/strict';
import { test } from 'node:test';
import Stripe from 'stripe';
import { control, expectStripeError, sdk, sleep, withEmulator } from './helpers.ts';
import { assertResponse } from './openapiValidate.ts';
import { startReceiver } from './receiver.ts';

const invalid = { cls: Stripe.errors.StripeInvalidRequestError, status: 400, type: 'invalid_request_error' } as const;

test('webhook endpoints: create (secret once), retrieve, list, update, delete', () =>
  withEmulator({}, async (emu) => {
    const stripe = sdk(emu);
    const created = assertResponse('post', '/v1/webhook_endpoints', await stripe.webhookEndpoints.create({
      url: 'https://example.com/hook', enabled_events: ['product.created', 'price.updated'], description: 'sync',
    }));
    assert.match(created.id, /^we_/);
    assert.match(created.secret ?? '', /^whsec_/);
    assert.equal(created.status, 'enabled');
    assert.deepEqual(created.enabled_events, ['product.created', 'price.updated']);
    const got = assertResponse('get', '/v1/webhook_endpoints/{webhook_endpoint}', await stripe.webhookEndpoints.retrieve(created.id));
    assert.equal(got.secret, undefined);
    assert.equal(got.url, 'https://example.com/hook');
    const list = assertResponse('get', '/v1/webhook_endpoints', await stripe.webhookEndpoints.list());
    assert.deepEqual(list.data.map((w) => w.id), [created.id]);
    assert.equal(list.data[0].secret, undefined);
    const updated = assertResponse('post', '/v1/webhook_endpoints/{webhook_endpoint}', await stripe.webhookEndpoints.update(created.id, {
      url: 'https://example.com/hook2', enabled_events: ['*'], disabled: true,
    }));
    assert.equal(updated.url, 'https://example.com/hook2');
    assert.deepEqual(updated.enabled_events, ['*']);
    assert.equal(updated.status, 'disabled');
    assert.equal(updated.secret, undefined);
    await expectStripeError(stripe.webhookEndpoints.create({ url: 'not a url', enabled_events: ['*'] }), {
      ...invalid, param: 'url', message: 'Invalid URL: not a url',
    });
    await expectStripeError(stripe.webhookEndpoints.create({ url: 'https://x.test', enabled_events: [] } as unknown as Stripe.WebhookEndpointCreateParams), {
      ...invalid, code: 'parameter_missing', param: 'enabled_events', message: 'Missing required param: enabled_events.',
    });
    const deleted = assertResponse('delete', '/v1/webhook_endpoints/{webhook_endpoint}', await stripe.webhookEndpoints.del(created.id));
    assert.equal(deleted.deleted, true);
    await expectStripeError(stripe.webhookEndpoints.retrieve(created.id), {
      cls: Stripe.errors.StripeInvalidRequestError, status: 404, type: 'invalid_request_error', code: 'resource_missing',
      param: 'webhook_endpoint', message: `No such webhook_endpoint: '${created.id}'`,
    });
  }));

test('deliveries are signed like Stripe: constructEventAsync accepts them, tampered ones fail', async () => {
  const receiver = await startReceiver();
  try {
    await withEmulator({}, async (emu) => {
      const stripe = sdk(emu);
      const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['product.created', 'product.updated'] });
      const product = await stripe.products.create({ name: 'Signed' });
      await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 5 }); // not subscribed
      await stripe.products.update(product.id, { name: 'Signed 2' });
      const got = await receiver.waitFor(2);
      await sleep(50);
      assert.equal(receiver.received.length, 2);
      const events = [];
      for (const r of got) {
        assert.match(r.signature, /^t=\d+,v1=[0-9a-f]{64}$/);
        assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
        events.push(await stripe.webhooks.constructEventAsync(r.body, r.signature, endpoint.secret!));
      }
      assert.deepEqual(events.map((e) => e.type).sort(), ['product.created', 'product.updated']);
      const created = events.find((e) => e.type === 'product.created')!;
      assert.equal((created.data.object as Stripe.Product).id, product.id);
      assert.equal(created.pending_webhooks, 1, 'the payload is rendered while the delivery is pending');
      await assert.rejects(
        stripe.webhooks.constructEventAsync(got[0].body.replace('Signed', 'Forged'), got[0].signature, endpoint.secret!),
        Stripe.errors.StripeSignatureVerificationError,
      );
      await assert.rejects(stripe.webhooks.constructEventAsync(got[0].body, got[0].signature, 'whsec_wrong'), Stripe.errors.StripeSignatureVerificationError);
      // Once delivered, pending_webhooks drops to 0.
      const after = await stripe.events.retrieve(created.id);
      assert.equal(after.pending_webhooks, 0);
    });
  } finally {
    await receiver.close();
  }
});

test('failed deliveries are retried with backoff until a 2xx (bounded attempts)', async () => {
  const receiver = await startReceiver((n) => (n < 2 ? 500 : 200));
  try {
    await withEmulator({ webhookRetry: { maxAttempts: 4, baseDelayMs: 30 } }, async (emu) => {
      const stripe = sdk(emu);
      await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] });
      const t0 = Date.now();
      const product = await stripe.products.create({ name: 'Retry me' });
      assert.ok(Date.now() - t0 < 200, 'the API answer does not wait for the delivery');
      const got = await receiver.waitFor(3);
      const ids = got.map((r) => JSON.parse(r.body).id);
      assert.equal(new Set(ids).size, 1, 'the same event is redelivered');
      assert.equal(JSON.parse(got[0].body).data.object.id, product.id);
      const { body } = await control(emu, 'GET', 'webhooks?wait=1');
      assert.deepEqual(body.deliveries.map((d: { attempt: number; status: number }) => [d.attempt, d.status]), [[1, 500], [2, 500], [3, 200]]);
      await sleep(100);
      assert.equal(receiver.received.length, 3, 'no more attempts after success');
    });
    // Always failing: stops after maxAttempts.
    receiver.statusFor = () => 503;
    receiver.received.length = 0;
    await withEmulator({ webhookRetry: { maxAttempts: 3, baseDelayMs: 10 } }, async (emu) => {
      const stripe = sdk(emu);
      await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] });
      const p = await stripe.products.create({ name: 'Never acked' });
      await receiver.waitFor(3);
      await control(emu, 'GET', 'webhooks?wait=1');
      await sleep(80);
      assert.equal(receiver.received.length, 3);
      const ev = (await stripe.events.list({ type: 'product.created' })).data[0];
      assert.equal((ev.data.object as Stripe.Product).id, p.id);
      assert.equal(ev.pending_webhooks, 1);
    });
  } finally {
    await receiver.close();
  }
});

test('connection errors are retried too', () =>
  withEmulator({ webhookRetry: { maxAttempts: 2, baseDelayMs: 10 } }, async (emu) => {
    const stripe = sdk(emu);
    await stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:1/unreachable', enabled_events: ['*'] });
    await stripe.products.create({ name: 'x' });
    const { body } = await control(emu, 'GET', 'webhooks?wait=1');
    assert.equal(body.deliveries.length, 2);
    assert.ok(body.deliveries.every((d: { status: number | null; error?: string }) => d.status === null && d.error));
  }));

test('shuffle fault delivers out of order and with duplicates, reproducibly for a seed', async () => {
  const run = async () => {
    const receiver = await startReceiver();
    try {
      let order: string[] = [];
      await withEmulator({ seed: 7, webhookShuffle: { maxDelayMs: 80, duplicateRate: 0.5 } }, async (emu) => {
        const stripe = sdk(emu);
        await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['product.created'] });
        for (let i = 0; i < 10; i++) await stripe.products.create({ name: `S${i}` });
        await control(emu, 'GET', 'webhooks?wait=1');
        order = receiver.received.map((r) => JSON.parse(r.body).data.object.name as string);
      });
      return order;
    } finally {
      await receiver.close();
    }
  };
  const order = await run();
  const names = Array.from({ length: 10 }, (_, i) => `S${i}`);
  assert.ok(order.length > 10, `expected duplicates, got ${order.length} deliveries`);
  assert.deepEqual([...new Set(order)].sort(), [...names].sort());
  const firstSeen = [...new Set(order)];
  assert.notDeepEqual(firstSeen, names, 'expected out-of-order delivery');
  const again = await run();
  assert.equal(again.length, order.length, 'same seed → same number of duplicates');
});
