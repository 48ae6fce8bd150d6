import assert from 'node:assert/strict';
import { test } from 'node:test';
import Stripe from 'stripe';
import { expectStripeError, sdk, withEmulator } from './helpers.ts';
import { assertResponse } from './openapiValidate.ts';

test('product create, retrieve, update and delete through the SDK', () =>
  withEmulator({}, async (emu) => {
    const stripe = sdk(emu);
    const created = assertResponse('post', '/v1/products', await stripe.products.create({
      name: 'Meeting room',
      description: 'Seats 8',
      metadata: { space_id: 'sp_1', floor: '2' },
      images: ['https://example.com/a.png'],
      marketing_features: [{ name: 'Whiteboard' }],
      url: 'https://example.com/rooms/1',
    }));
    assert.match(created.id, /^prod_[0-9A-Za-z]{24}$/);
    assert.equal(created.object, 'product');
    assert.equal(created.livemode, false);
    assert.equal(created.active, true);
    assert.equal(created.default_price, null);
    assert.deepEqual(created.metadata, { space_id: 'sp_1', floor: '2' });
    assert.deepEqual(created.images, ['https://example.com/a.png']);
    assert.deepEqual(created.marketing_features, [{ name: 'Whiteboard' }]);
    assert.equal(created.created, created.updated);
    assert.ok(Math.abs(created.created - Date.now() / 1000) < 5);

    const got = assertResponse('get', '/v1/products/{id}', await stripe.products.retrieve(created.id));
    assert.deepEqual(got, created);

    const updated = assertResponse('post', '/v1/products/{id}', await stripe.products.update(created.id, {
      name: 'Board room',
      description: '',
      metadata: { floor: '', wing: 'east' },
      url: '',
    }));
    assert.equal(updated.name, 'Board room');
    assert.equal(updated.description, null);
    assert.equal(updated.url, null);
    assert.deepEqual(updated.metadata, { space_id: 'sp_1', wing: 'east' });

    const cleared = await stripe.products.update(created.id, { metadata: '' });
    assert.deepEqual(cleared.metadata, {});

    const deleted = assertResponse('delete', '/v1/products/{id}', await stripe.products.del(created.id));
    assert.deepEqual({ ...deleted }, { id: created.id, object: 'product', deleted: true });
    await expectStripeError(stripe.products.retrieve(created.id), {
      cls: Stripe.errors.StripeInvalidRequestError, status: 404, type: 'invalid_request_error',
      code: 'resource_missing', param: 'id', message: `No such product: '${created.id}'`,
    });
  }));

test('default_price_data, default_price update and unset, archiving the default price refused', () =>
  withEmulator({}, async (emu) => {
    const stripe = sdk(emu);
    const product = await stripe.products.create({
      name: 'Desk',
      default_price_data: { currency: 'eur', unit_amount: 2500, recurring: { interval: 'month' }, tax_behavior: 'exclusive' },
    });
    assert.match(product.default_price as string, /^price_/);
    const expanded = assertResponse('get', '/v1/products/{id}', await stripe.products.retrieve(product.id, { expand: ['default_price'] }));
    const dp = expanded.default_price as Stripe.Price;
    assert.equal(dp.object, 'price');
    assert.equal(dp.product, product.id);
    assert.equal(dp.unit_amount, 2500);
    assert.equal(dp.currency, 'eur');
    assert.equal(dp.type, 'recurring');
    assert.equal(dp.tax_behavior, 'exclusive');
    assert.deepEqual(dp.recurring && { interval: dp.recurring.interval, interval_count: dp.recurring.interval_count, usage_type: dp.recurring.usage_type }, { interval: 'month', interval_count: 1, usage_type: 'licensed' });

    await expectStripeError(stripe.prices.update(dp.id, { active: false }), {
      cls: Stripe.errors.StripeInvalidRequestError, status: 400, type: 'invalid_request_error', param: 'active',
      message: 'This price cannot be archived because it is the default price of its product.',
    });

    const second = await stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 3000 });
    const switched = await stripe.products.update(product.id, { default_price: second.id });
    assert.equal(switched.default_price, second.id);
    const archived = await stripe.prices.update(dp.id, { active: false });
    assert.equal(archived.active, false);
    await expectStripeError(stripe.products.update(product.id, { default_price: dp.id }), {
      cls: Stripe.errors.StripeInvalidRequestError, status: 400, type: 'invalid_request_error', param: 'default_price',
      message: 'The price specified is inactive. This field only accepts active prices.',
    });
    await expectStripeError(stripe.products.update(product.id, { default_price: 'price_missing' }), {
      cls: Stripe.errors.StripeInvalidRequestError, status: 404, type: 'invalid_request_error', code: 'resource_missing',
      param: 'default_price', message: "No such price: 'price_missing'",
    });
    const other = await stripe.products.create({ name: 'Other', default_price_data: { currency: 'eur', unit_amount: 1 } });
    await expectStripeError(stripe.products.update(product.id, { default_price: other.default_price as string }), {
      cls: Stripe.errors.StripeInvalidRequestError, status: 400, type: 'invalid_request_error', param: 'default_price',
      message: /does not belong to this product/,
    });
    const unset = await stripe.products.update(product.id, { default_price: '' });
    assert.equal(unset.default_price, null);

    await expectStripeError(stripe.products.del(product.id), {
      cls: Stripe.errors.StripeInvalidRequestError, status: 400, type: 'invalid_request_error',
      message: 'This product cannot be deleted because it has one or more user-created prices.',
    });
    const archivedProduct = await stripe.products.update(product.id, { active: false });
    assert.equal(archivedProduct.active, false);
  }));

test('product list: newest first, filters and cursor pagination', () =>
  withEmulator({}, async (emu) => {
    const stripe = sdk(emu);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await stripe.products.create({ name: `P${i}`, active: i % 2 === 0 })).id);
    const newestFirst = [...ids].reverse();

    const all = assertResponse('get', '/v1/products', await stripe.products.list({ limit: 100 }));
    assert.equal(all.object, 'list');
    assert.equal(all.url, '/v1/products');
    assert.equal(all.has_more, false);
    assert.deepEqual(all.data.map((p) => p.id), newestFirst);

    const page1 = await stripe.products.list({ limit: 3 });
    assert.deepEqual(page1.data.map((p) => p.id), newestFirst.slice(0, 3));
    assert.equal(page1.has_more, true);
    const page2 = await stripe.products.list({ limit: 3, starting_after: page1.data[2].id });
    assert.deepEqual(page2.data.map((p) => p.id), newestFirst.slice(3, 6));
    assert.equal(page2.has_more, true);
    const back = await stripe.products.list({ limit: 2, ending_before: page2.data[0].id });
    assert.deepEqual(back.data.map((p) => p.id), newestFirst.slice(1, 3));
    assert.equal(back.has_more, true);

    const autoPaged: string[] = [];
    for await (const p of stripe.products.list({ limit: 2 })) autoPaged.push(p.id);
    assert.deepEqual(autoPaged, newestFirst);

    const active = await stripe.products.list({ active: true, limit: 100 });
    assert.deepEqual(active.data.map((p) => p.id), newestFirst.filter((_, i) => (6 - i) % 2 === 0));
    const inactive = await stripe.products.list({ active: false });
    assert.ok(inactive.data.every((p) => !p.active));
    assert.equal(inactive.data.length, 3);

    const byIds = await stripe.products.list({ ids: [ids[1], ids[4], 'prod_nope'] });
    assert.deepEqual(byIds.data.map((p) => p.id), [ids[4], ids[1]]);

    const created = all.data[0].created;
    assert.equal((await stripe.products.list({ created: { gt: created } })).data.length, 0);
    assert.equal((await stripe.products.list({ created: { gte: created }, limit: 100 })).data.length, 7);

    await expectStripeError(stripe.products.list({ limit: 101 }), {
      cls: Stripe.errors.StripeInvalidRequestError, status: 400, type: 'invalid_request_error', param: 'limit',
      message: 'Invalid limit: must be between 1 and 100',
    });
    await expectStripeError(stripe.products.list({ starting_after: 'prod_unknown' }), {
      cls: Stripe.errors.StripeInvalidRequestError, status: 404, type: 'invalid_request_error', code: 'resource_missing',
      param: 'starting_after', message: "No such product: 'prod_unknown'",
    });
  }));

test('expand[] on lists (data.default_price) and refused expansions', () =>
  withEmulator({}, async (emu) => {
    const stripe = sdk(emu);
    await stripe.products.create({ name: 'A', default_price_data: { currency: 'usd', unit_amount: 100 } });
    const list = assertResponse('get', '/v1/products', await stripe.products.list({ expand: ['data.default_price'] }));
    assert.equal((list.data[0].default_price as Stripe.Price).unit_amount, 100);
    await expectStripeError(stripe.products.list({ expand: ['default_price'] }), {
      cls: Stripe.errors.StripeInvalidRequestError, status: 400, type: 'invalid_request_error', param: 'expand',
      message: 'This property cannot be expanded (default_price).',
    });
    await expectStripeError(stripe.products.retrieve(list.data[0].id, { expand: ['name'] }), {
      cls: Stripe.errors.StripeInvalidRequestError, status: 400, type: 'invalid_request_error', param: 'expand',
      message: 'This property cannot be expanded (name).',
    });
  }));

test('product parameter errors: missing name, unknown parameter, custom ids, metadata limits', () =>
  withEmulator({}, async (emu) => {
    const stripe = sdk(emu);
    const invalid = { cls: Stripe.errors.StripeInvalidRequestError, status: 400, type: 'invalid_request_error' } as const;
    await expectStripeError(stripe.products.create({} as Stripe.ProductCreateParams), {
      ...invalid, code: 'parameter_missing', param: 'name', message: 'Missing required param: name.',
    });
    await expectStripeError(stripe.products.create({ name: 'x', colour: 'red' } as Stripe.ProductCreateParams), {
      ...invalid, param: 'colour', message: 'Received unknown parameter: colour',
    });
    await expectStripeError(stripe.products.create({ name: 'x', active: 'maybe' } as unknown as Stripe.ProductCreateParams), {
      ...invalid, param: 'active', message: 'Invalid boolean: maybe',
    });
    const custom = await stripe.products.create({ id: 'room_42', name: 'Custom id' });
    assert.equal(custom.id, 'room_42');
    await expectStripeError(stripe.products.create({ id: 'room_42', name: 'again' }), {
      ...invalid, code: 'resource_already_exists', param: 'id', message: 'Product already exists.',
    });

    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    await expectStripeError(stripe.products.create({ name: 'x', metadata: tooMany }), {
      ...invalid, param: 'metadata', message: "Metadata can have up to 50 keys, but you've set 51.",
    });
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    assert.equal(Object.keys((await stripe.products.create({ name: 'x', metadata: fifty })).metadata).length, 50);
    await expectStripeError(stripe.products.create({ name: 'x', metadata: { ['k'.repeat(41)]: 'v' } }), {
      ...invalid, param: 'metadata', message: /^Metadata keys can have up to 40 characters/,
    });
    assert.ok(await stripe.products.create({ name: 'x', metadata: { ['k'.repeat(40)]: 'v'.repeat(500) } }));
    await expectStripeError(stripe.products.create({ name: 'x', metadata: { k: 'v'.repeat(501) } }), {
      ...invalid, param: 'metadata', message: /^Metadata values can have up to 500 characters, but you passed in a value that is 501 characters/,
    });
    await expectStripeError(stripe.products.create({ name: 'x', metadata: { 'a[b]': 'v' } }), {
      ...invalid, param: 'metadata', message: /square brackets/,
    });
  }));

test('authentication: missing and invalid keys are refused with 401', () =>
  withEmulator({ apiKeys: ['sk_test_good'] }, async (emu) => {
    await expectStripeError(sdk(emu, {}, 'sk_test_bad_key_1234').products.list(), {
      cls: Stripe.errors.StripeAuthenticationError, status: 401, type: 'invalid_request_error',
      message: 'Invalid API Key provided: sk_test_********1234',
    });
    const res = await fetch(`${emu.url}/v1/products`);
    assert.equal(res.status, 401);
    const body = (await res.json()) as { error: { type: string; message: string } };
    assert.equal(body.error.type, 'invalid_request_error');
    assert.match(body.error.message, /^You did not provide an API key/);
    const ok = await sdk(emu, {}, 'sk_test_good').products.list();
    assert.deepEqual(ok.data, []);
  }));
