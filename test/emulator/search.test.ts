import assert from 'node:assert/strict';
import { test } from 'node:test';
import Stripe from 'stripe';
import { control, expectStripeError, sdk, sleep, withEmulator } from './helpers.ts';
import { assertResponse } from './openapiValidate.ts';

test('product search: fields, metadata, negation, AND/OR, pagination and total_count', () =>
  withEmulator({}, async (emu) => {
    const stripe = sdk(emu);
    const rooms = [];
    for (let i = 0; i < 5; i++) {
      rooms.push(await stripe.products.create({ name: `Room ${i}`, metadata: { space_id: `sp_${i}`, city: i < 3 ? 'Paris' : 'Lyon' }, active: i !== 4 }));
    }
    const ids = async (query: string, extra: Partial<Stripe.ProductSearchParams> = {}) => {
      const r = assertResponse('get', '/v1/products/search', await stripe.products.search({ query, ...extra }));
      assert.equal(r.object, 'search_result');
      assert.equal(r.url, '/v1/products/search');
      return r.data.map((p) => p.id);
    };
    assert.deepEqual(await ids("metadata['space_id']:'sp_1'"), [rooms[1].id]);
    assert.deepEqual(await ids('metadata["city"]:"Lyon"'), [rooms[4].id, rooms[3].id]);
    assert.deepEqual(await ids("active:'true' AND metadata['city']:'Lyon'"), [rooms[3].id]);
    assert.deepEqual(await ids("metadata['space_id']:'sp_0' OR metadata['space_id']:'sp_2'"), [rooms[2].id, rooms[0].id]);
    assert.deepEqual(await ids("-metadata['city']:'Paris'"), [rooms[4].id, rooms[3].id]);
    assert.deepEqual(await ids("name:'room 2'"), [rooms[2].id]);
    assert.deepEqual(await ids("name~'oom'", { limit: 2 }), [rooms[4].id, rooms[3].id]);
    assert.deepEqual(await ids("active:'false'"), [rooms[4].id]);

    const first = await stripe.products.search({ query: "name~'Room'", limit: 2 });
    assert.equal(first.has_more, true);
    assert.equal(typeof first.next_page, 'string');
    assert.equal('total_count' in first, false);
    const second = await stripe.products.search({ query: "name~'Room'", limit: 2, page: first.next_page! });
    assert.deepEqual(second.data.map((p) => p.id), [rooms[2].id, rooms[1].id]);
    const third = await stripe.products.search({ query: "name~'Room'", limit: 2, page: second.next_page! });
    assert.deepEqual(third.data.map((p) => p.id), [rooms[0].id]);
    assert.equal(third.has_more, false);
    assert.equal(third.next_page, null);
    const counted = await stripe.products.search({ query: "name~'Room'", limit: 1, expand: ['total_count'] });
    assert.equal(counted.total_count, 5);

    const all: string[] = [];
    for await (const p of stripe.products.search({ query: "name~'Room'", limit: 2 })) all.push(p.id);
    assert.equal(all.length, 5);

    await expectStripeError(stripe.products.search({ query: "colour:'red'" }), {
      cls: Stripe.errors.StripeInvalidRequestError, status: 400, type: 'invalid_request_error', param: 'query',
      message: /^Field `colour` is an unsupported search field for resource `products`/,
    });
    await expectStripeError(stripe.products.search({ query: 'name:unquoted' }), {
      cls: Stripe.errors.StripeInvalidRequestError, status: 400, type: 'invalid_request_error', param: 'query',
      message: /^We were unable to parse your search query/,
    });
    await expectStripeError(stripe.products.search({ query: "name:'a' AND name:'b' OR name:'c'" }), {
      cls: Stripe.errors.StripeInvalidRequestError, status: 400, type: 'invalid_request_error', param: 'query',
      message: /cannot combine AND and OR/,
    });
  }));

test('price search: product, lookup_key, type, currency, metadata', () =>
  withEmulator({}, async (emu) => {
    const stripe = sdk(emu);
    const product = await stripe.products.create({ name: 'Box' });
    const a = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 1, lookup_key: 'box_std', metadata: { tier: 'std' } });
    const b = await stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 2, recurring: { interval: 'month' } });
    const ids = async (query: string) =>
      assertResponse('get', '/v1/prices/search', await stripe.prices.search({ query })).data.map((p) => p.id);
    assert.deepEqual(await ids(`product:'${product.id}'`), [b.id, a.id]);
    assert.deepEqual(await ids("lookup_key:'box_std'"), [a.id]);
    assert.deepEqual(await ids("type:'recurring'"), [b.id]);
    assert.deepEqual(await ids("currency:'eur'"), [b.id]);
    assert.deepEqual(await ids("metadata['tier']:'std' AND active:'true'"), [a.id]);
  }));

test('search lags writes by searchDelayMs, like Stripe search indexing', () =>
  withEmulator({ searchDelayMs: 300 }, async (emu) => {
    const stripe = sdk(emu);
    const product = await stripe.products.create({ name: 'Fresh', metadata: { space_id: 'sp_fresh' } });
    const query = "metadata['space_id']:'sp_fresh'";
    assert.deepEqual((await stripe.products.search({ query })).data, []);
    assert.equal((await stripe.products.retrieve(product.id)).id, product.id, 'retrieve is immediate');
    await sleep(350);
    assert.deepEqual((await stripe.products.search({ query })).data.map((p) => p.id), [product.id]);
    // An update hides it again until re-indexed; the delay is adjustable at run time.
    await stripe.products.update(product.id, { name: 'Fresher' });
    assert.deepEqual((await stripe.products.search({ query })).data, []);
    await control(emu, 'POST', 'faults', { searchDelayMs: 0 });
    assert.equal((await stripe.products.search({ query })).data[0].name, 'Fresher');
  }));
