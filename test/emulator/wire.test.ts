import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeForm, encodeForm } from '../../src/emulator/formDecode.ts';
import { raw, withEmulator } from './helpers.ts';
import { assertResponse } from './openapiValidate.ts';

test('form decoding: brackets, arrays, + and %-escapes', () => {
  assert.deepEqual(decodeForm('name=Big+room&metadata[a%20b]=x%26y&expand[]=one&expand[]=two'), {
    name: 'Big room', metadata: { 'a b': 'x&y' }, expand: ['one', 'two'],
  });
  assert.deepEqual(decodeForm('recurring[interval]=month&recurring[interval_count]=3'), { recurring: { interval: 'month', interval_count: '3' } });
  assert.deepEqual(decodeForm('a[0]=x&a[1]=y'), { a: ['x', 'y'] });
  assert.deepEqual(decodeForm('m[0][name]=A&m[1][name]=B'), { m: [{ name: 'A' }, { name: 'B' }] });
  assert.deepEqual(decodeForm('a[b][c][d]=1'), { a: { b: { c: { d: '1' } } } });
  assert.deepEqual(decodeForm('metadata='), { metadata: '' });
  assert.deepEqual(decodeForm('metadata[a[b]]=1'), { metadata: { 'a[b]': '1' } });
  assert.deepEqual(decodeForm('a=%E2%82%AC&b=%ZZ'), { a: '€', b: '%ZZ' });
  const proto = decodeForm('__proto__[x]=1');
  assert.equal(({} as Record<string, unknown>).x, undefined);
  assert.deepEqual(Object.keys(proto), ['__proto__']);
});

const key = fc.stringMatching(/^[a-z][a-z0-9_ ]{0,8}$/);
const leaf = fc.string({ maxLength: 12 });
const tree: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, fc.dictionary(key, tie('node'), { minKeys: 1, maxKeys: 3 }), fc.array(leaf, { minLength: 1, maxLength: 3 })),
})).node;

test('form decoding round-trips qs-style encoding (property)', () => {
  fc.assert(
    fc.property(fc.dictionary(key, tree, { minKeys: 1, maxKeys: 4 }), (data) => {
      assert.deepEqual(decodeForm(encodeForm(data)), JSON.parse(JSON.stringify(data)));
    }),
    { numRuns: 300 },
  );
});

test('wire format: Request-Id, Stripe-Version, JSON errors, unknown routes, Basic auth, brackets', () =>
  withEmulator({}, async (emu) => {
    const created = await raw(emu, 'POST', '/v1/products',
      'name=Raw+room&metadata[space_id]=sp_1&default_price_data[currency]=usd&default_price_data[unit_amount]=700&default_price_data[recurring][interval]=month&expand[]=default_price',
      { 'stripe-version': '2024-04-10' });
    assert.equal(created.status, 200);
    assert.match(created.headers.get('request-id') ?? '', /^req_[0-9A-Za-z]{14}$/);
    assert.equal(created.headers.get('stripe-version'), '2024-04-10');
    assert.match(created.headers.get('content-type') ?? '', /^application\/json/);
    assertResponse('post', '/v1/products', created.body);
    assert.equal(created.body.default_price.recurring.interval, 'month');
    assert.deepEqual(created.body.metadata, { space_id: 'sp_1' });

    const listed = await raw(emu, 'GET', `/v1/prices?product=${created.body.id}&expand[]=data.product&limit=1`);
    assert.equal(listed.body.data[0].product.id, created.body.id);

    const basic = await fetch(`${emu.url}/v1/products`, { headers: { authorization: `Basic ${Buffer.from('sk_test_basic:').toString('base64')}` } });
    assert.equal(basic.status, 200);

    const unknown = await raw(emu, 'GET', '/v1/nothing');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.type, 'invalid_request_error');
    assert.equal(unknown.body.error.message, 'Unrecognized request URL (GET: /v1/nothing). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.');
    const delPrice = await raw(emu, 'DELETE', `/v1/prices/${created.body.default_price.id}`);
    assert.equal(delPrice.status, 404, 'prices cannot be deleted through the API');

    const del = await raw(emu, 'DELETE', '/v1/products/prod_nope');
    assert.equal(del.status, 404);
    assert.match(del.body.error.request_log_url, /req_/);
  }));
