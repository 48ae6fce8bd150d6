import assert from 'node:assert/strict';
import { test } from 'node:test';
import Stripe from 'stripe';
import { control, expectStripeError, sdk, withEmulator } from './helpers.ts';
import { assertResponse } from './openapiValidate.ts';

test('every write makes the right event with request id, idempotency key and previous_attributes', () =>
  withEmulator({}, async (emu) => {
    const stripe = sdk(emu, { apiVersion: '2024-04-10' as Stripe.LatestApiVersion });
    const product = await stripe.products.create({ name: 'Loft', metadata: { a: '1', b: '2' } }, { idempotencyKey: 'create-loft' });
    const createdReq = product.lastResponse.requestId;
    const price = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 100 });
    await stripe.products.update(product.id, { name: 'Big loft', metadata: { a: '', b: '3', c: 'new' } });
    await stripe.prices.update(price.id, { nickname: 'std' });
    await stripe.products.update(product.id, { name: 'Big loft' }); // no change: no event
    const other = await stripe.products.create({ name: 'Temp' });
    await stripe.products.del(other.id);

    const events = assertResponse('get', '/v1/events', await stripe.events.list({ limit: 100 }));
    assert.equal(events.url, '/v1/events');
    assert.deepEqual(events.data.map((e) => e.type), [
      'product.deleted', 'product.created', 'price.updated', 'product.updated', 'price.created', 'product.created',
    ]);
    const [deleted, , priceUpdated, productUpdated, priceCreated, productCreated] = events.data;
    for (const e of events.data) {
      assert.match(e.id, /^evt_[0-9A-Za-z]{24}$/);
      assert.equal(e.object, 'event');
      assert.equal(e.livemode, false);
      assert.equal(e.api_version, '2024-04-10');
      assert.equal(e.pending_webhooks, 0);
      assert.ok(Number.isInteger(e.created) && Math.abs(e.created - Date.now() / 1000) < 5);
      assert.match(e.request?.id ?? '', /^req_/);
      assertResponse('get', '/v1/events/{id}', e);
    }
    assert.deepEqual(productCreated.request, { id: createdReq, idempotency_key: 'create-loft' });
    assert.equal((productCreated.data.object as Stripe.Product).name, 'Loft');
    assert.equal(productCreated.data.previous_attributes, undefined);
    assert.equal((priceCreated.data.object as Stripe.Price).id, price.id);
    assert.equal('currency_options' in priceCreated.data.object, false);
    assert.equal((productUpdated.data.object as Stripe.Product).name, 'Big loft');
    const prev = productUpdated.data.previous_attributes as Record<string, unknown>;
    assert.equal(prev.name, 'Loft');
    assert.deepEqual(prev.metadata, { a: '1', b: '2', c: null });
    assert.deepEqual(Object.keys(prev).filter((k) => k !== 'updated').sort(), ['metadata', 'name']);
    assert.deepEqual(priceUpdated.data.previous_attributes, { nickname: null });
    assert.equal((deleted.data.object as Stripe.Product).id, other.id);

    const retrieved = await stripe.events.retrieve(productCreated.id);
    assert.equal(retrieved.id, productCreated.id);
    await expectStripeError(stripe.events.retrieve('evt_nope'), {
      cls: Stripe.errors.StripeInvalidRequestError, status: 404, type: 'invalid_request_error', code: 'resource_missing',
      param: 'id', message: "No such event: 'evt_nope'",
    });
  }));

test('events list: type, types[], wildcard, created and pagination', () =>
  withEmulator({}, async (emu) => {
    const stripe = sdk(emu);
    for (let i = 0; i < 3; i++) {
      const p = await stripe.products.create({ name: `P${i}` });
      await stripe.prices.create({ product: p.id, currency: 'usd', unit_amount: i + 1 });
    }
    assert.equal((await stripe.events.list({ type: 'price.created' })).data.length, 3);
    assert.equal((await stripe.events.list({ type: 'product.*' })).data.length, 3);
    assert.equal((await stripe.events.list({ types: ['price.created', 'product.created'] })).data.length, 6);
    const page = await stripe.events.list({ limit: 4 });
    assert.equal(page.has_more, true);
    const rest = await stripe.events.list({ limit: 4, starting_after: page.data[3].id });
    assert.equal(rest.data.length, 2);
    assert.equal(rest.has_more, false);
    const t = page.data[0].created;
    assert.equal((await stripe.events.list({ created: { gt: t } })).data.length, 0);
  }));

test('dashboard edits make the same events with request.id null', () =>
  withEmulator({}, async (emu) => {
    const stripe = sdk(emu);
    const product = await stripe.products.create({ name: 'Atrium', default_price_data: { currency: 'usd', unit_amount: 900 } });
    const edit = await control(emu, 'POST', `dashboard/products/${product.id}`, { name: 'Atrium (renovated)', metadata: { source: 'dashboard' }, description: null });
    assert.equal(edit.status, 200);
    assert.equal(edit.body.name, 'Atrium (renovated)');
    const priceEdit = await control(emu, 'POST', `dashboard/prices/${product.default_price}`, { nickname: 'Standard', active: false });
    assert.equal(priceEdit.status, 400);
    assert.equal(priceEdit.body.error.message, 'This price cannot be archived because it is the default price of its product.');
    assert.equal((await control(emu, 'POST', `dashboard/prices/${product.default_price}`, { nickname: 'Standard' })).body.nickname, 'Standard');
    const refused = await control(emu, 'DELETE', `dashboard/products/${product.id}`);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.message, 'This product cannot be deleted because it has one or more user-created prices.');
    const archived = await control(emu, 'DELETE', `dashboard/products/${product.id}?archive=true`);
    assert.equal(archived.body.active, false);
    const bare = await control(emu, 'POST', 'dashboard/products', { name: 'Dashboard-made' });
    assert.equal((await control(emu, 'DELETE', `dashboard/products/${bare.body.id}`)).body.deleted, true);

    const events = await stripe.events.list({ limit: 100 });
    const dashboardEvents = events.data.filter((e) => e.request?.id === null);
    assert.deepEqual(dashboardEvents.map((e) => e.type), ['product.deleted', 'product.created', 'product.updated', 'price.updated', 'product.updated']);
    for (const e of dashboardEvents) assert.deepEqual(e.request, { id: null, idempotency_key: null });
    const nameChange = dashboardEvents[4].data.previous_attributes as Record<string, unknown>;
    assert.equal(nameChange.name, 'Atrium');
    assert.deepEqual(nameChange.metadata, { source: null });
    assert.equal((await stripe.products.retrieve(product.id)).description, null);
  }));
