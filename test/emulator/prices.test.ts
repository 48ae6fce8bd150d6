import assert from 'node:assert/strict';
import { test } from 'node:test';
import Stripe from 'stripe';
import { expectStripeError, sdk, withEmulator } from './helpers.ts';
import { assertResponse } from './openapiValidate.ts';

const invalid = { cls: Stripe.errors.StripeInvalidRequestError, status: 400, type: 'invalid_request_error' } as const;

test('price create (one-time and recurring), retrieve, expand product and currency_options', () =>
  withEmulator({}, async (emu) => {
    const stripe = sdk(emu);
    const product = await stripe.products.create({ name: 'Studio' });
    const once = assertResponse('post', '/v1/prices', await stripe.prices.create({
      product: product.id, currency: 'USD', unit_amount: 1999, nickname: 'Day pass', metadata: { kind: 'day' },
    }));
    assert.match(once.id, /^price_[0-9A-Za-z]{24}$/);
    assert.equal(once.type, 'one_time');
    assert.equal(once.recurring, null);
    assert.equal(once.currency, 'usd');
    assert.equal(String(once.unit_amount_decimal), '1999');
    assert.equal(once.billing_scheme, 'per_unit');
    assert.equal(once.tax_behavior, 'unspecified');
    assert.equal(once.nickname, 'Day pass');
    assert.equal(once.lookup_key, null);
    assert.equal('currency_options' in once, false, 'currency_options is includable, not shown by default');

    const monthly = assertResponse('post', '/v1/prices', await stripe.prices.create({
      product: product.id, currency: 'usd', unit_amount: 50000, recurring: { interval: 'month', interval_count: 3 },
      tax_behavior: 'inclusive', currency_options: { eur: { unit_amount: 46000, tax_behavior: 'inclusive' } },
    }));
    assert.equal(monthly.type, 'recurring');
    assert.deepEqual({ ...monthly.recurring, meter: undefined, trial_period_days: undefined }, { interval: 'month', interval_count: 3, usage_type: 'licensed', meter: undefined, trial_period_days: undefined });

    const withOptions = assertResponse('get', '/v1/prices/{price}', await stripe.prices.retrieve(monthly.id, { expand: ['currency_options', 'product'] }));
    assert.equal((withOptions.product as Stripe.Product).name, 'Studio');
    assert.equal(withOptions.currency_options?.eur.unit_amount, 46000);
    assert.equal(withOptions.currency_options?.eur.tax_behavior, 'inclusive');
    assert.equal(withOptions.currency_options?.usd.unit_amount, 50000);

    const decimal = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount_decimal: '12.5' as unknown as Stripe.PriceCreateParams['unit_amount_decimal'] });
    assert.equal(decimal.unit_amount, null);
    assert.equal(String(decimal.unit_amount_decimal), '12.5');

    const inline = await stripe.prices.create({ currency: 'usd', unit_amount: 10, product_data: { name: 'Inline product' } });
    assert.equal((await stripe.products.retrieve(inline.product as string)).name, 'Inline product');

    await expectStripeError(stripe.prices.retrieve('price_nope'), {
      cls: Stripe.errors.StripeInvalidRequestError, status: 404, type: 'invalid_request_error', code: 'resource_missing',
      param: 'price', message: "No such price: 'price_nope'",
    });
    await expectStripeError(stripe.prices.create({ product: 'prod_nope', currency: 'usd', unit_amount: 1 }), {
      cls: Stripe.errors.StripeInvalidRequestError, status: 404, type: 'invalid_request_error', code: 'resource_missing',
      param: 'product', message: "No such product: 'prod_nope'",
    });
    await expectStripeError(stripe.prices.create({ product: product.id, unit_amount: 1 } as Stripe.PriceCreateParams), {
      ...invalid, code: 'parameter_missing', param: 'currency', message: 'Missing required param: currency.',
    });
    await expectStripeError(stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 1, recurring: { interval: 'fortnight' as 'month' } }), {
      ...invalid, param: 'recurring[interval]', message: 'Invalid recurring[interval]: must be one of day, month, week, or year',
    });
    await expectStripeError(stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 'abc' as unknown as number }), {
      ...invalid, code: 'parameter_invalid_integer', param: 'unit_amount', message: 'Invalid integer: abc',
    });
  }));

test('price update allows only what Stripe allows', () =>
  withEmulator({}, async (emu) => {
    const stripe = sdk(emu);
    const product = await stripe.products.create({ name: 'Pod' });
    const price = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 700, metadata: { a: '1' } });
    const updated = assertResponse('post', '/v1/prices/{price}', await stripe.prices.update(price.id, {
      nickname: 'Hourly', metadata: { a: '', b: '2' }, lookup_key: 'pod_hourly', tax_behavior: 'exclusive',
      currency_options: { gbp: { unit_amount: 600 } },
    }));
    assert.equal(updated.nickname, 'Hourly');
    assert.deepEqual(updated.metadata, { b: '2' });
    assert.equal(updated.lookup_key, 'pod_hourly');
    assert.equal(updated.tax_behavior, 'exclusive');
    assert.equal(updated.unit_amount, 700);
    const expanded = await stripe.prices.retrieve(price.id, { expand: ['currency_options'] });
    assert.equal(expanded.currency_options?.gbp.unit_amount, 600);

    for (const [param, value] of [['unit_amount', 800], ['currency', 'eur'], ['recurring', { interval: 'month' }], ['product', product.id]] as const) {
      await expectStripeError(stripe.prices.update(price.id, { [param]: value } as Stripe.PriceUpdateParams), {
        ...invalid, param, message: `Received unknown parameter: ${param}`,
      });
    }
    await expectStripeError(stripe.prices.update(price.id, { tax_behavior: 'inclusive' }), {
      ...invalid, param: 'tax_behavior', message: /cannot be changed/,
    });
    assert.equal((await stripe.prices.update(price.id, { tax_behavior: 'exclusive' })).tax_behavior, 'exclusive');
    await expectStripeError(stripe.prices.update(price.id, { currency_options: { usd: { unit_amount: 1 } } }), {
      ...invalid, param: 'currency_options[usd]', message: /matches the top-level currency for this price/,
    });
    const archived = await stripe.prices.update(price.id, { active: false });
    assert.equal(archived.active, false);
    const unsetKey = await stripe.prices.update(price.id, { lookup_key: '', nickname: '' });
    assert.equal(unsetKey.lookup_key, null);
    assert.equal(unsetKey.nickname, null);
  }));

test('lookup keys collide unless transfer_lookup_key is set', () =>
  withEmulator({}, async (emu) => {
    const stripe = sdk(emu);
    const product = await stripe.products.create({ name: 'Hall' });
    const first = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 100, lookup_key: 'hall_std' });
    await expectStripeError(stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 200, lookup_key: 'hall_std' }), {
      ...invalid, param: 'lookup_key', message: `A price (\`${first.id}\`) already uses that lookup key.`,
    });
    const second = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 200, lookup_key: 'hall_std', transfer_lookup_key: true });
    assert.equal(second.lookup_key, 'hall_std');
    assert.equal((await stripe.prices.retrieve(first.id)).lookup_key, null);
    const byKey = await stripe.prices.list({ lookup_keys: ['hall_std'] });
    assert.deepEqual(byKey.data.map((p) => p.id), [second.id]);

    const third = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 300 });
    await expectStripeError(stripe.prices.update(third.id, { lookup_key: 'hall_std' }), {
      ...invalid, param: 'lookup_key', message: `A price (\`${second.id}\`) already uses that lookup key.`,
    });
    const moved = await stripe.prices.update(third.id, { lookup_key: 'hall_std', transfer_lookup_key: true });
    assert.equal(moved.lookup_key, 'hall_std');
    assert.equal((await stripe.prices.retrieve(second.id)).lookup_key, null);
    const updatedEvents = await stripe.events.list({ type: 'price.updated' });
    assert.deepEqual(updatedEvents.data[0].data.previous_attributes, { lookup_key: null });
    assert.deepEqual(updatedEvents.data[1].data.previous_attributes, { lookup_key: 'hall_std' });
  }));

test('price list filters: product, active, type, currency, recurring, lookup_keys, expand data.product', () =>
  withEmulator({}, async (emu) => {
    const stripe = sdk(emu);
    const a = await stripe.products.create({ name: 'A' });
    const b = await stripe.products.create({ name: 'B' });
    const p1 = await stripe.prices.create({ product: a.id, currency: 'usd', unit_amount: 1 });
    const p2 = await stripe.prices.create({ product: a.id, currency: 'eur', unit_amount: 2, recurring: { interval: 'year' } });
    const p3 = await stripe.prices.create({ product: b.id, currency: 'usd', unit_amount: 3, recurring: { interval: 'month' }, lookup_key: 'b_monthly' });
    await stripe.prices.update(p1.id, { active: false });
    const ids = async (params: Stripe.PriceListParams) => {
      const list = assertResponse('get', '/v1/prices', await stripe.prices.list(params));
      return list.data.map((p) => p.id);
    };
    assert.deepEqual(await ids({}), [p3.id, p2.id, p1.id]);
    assert.deepEqual(await ids({ product: a.id }), [p2.id, p1.id]);
    assert.deepEqual(await ids({ active: true }), [p3.id, p2.id]);
    assert.deepEqual(await ids({ type: 'one_time' }), [p1.id]);
    assert.deepEqual(await ids({ currency: 'usd' }), [p3.id, p1.id]);
    assert.deepEqual(await ids({ recurring: { interval: 'month' } }), [p3.id]);
    assert.deepEqual(await ids({ lookup_keys: ['b_monthly', 'unknown'] }), [p3.id]);
    const expanded = await stripe.prices.list({ product: b.id, expand: ['data.product'] });
    assert.equal((expanded.data[0].product as Stripe.Product).name, 'B');
  }));
