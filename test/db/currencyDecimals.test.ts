// An attached app's amounts become Stripe's minor units with the decimals of their currency: the SQL
// conversion (spacesync_attach_minor_units) counts them as spacesync_currency_decimals and the
// catalog's currencyDecimals do, for every Stripe currency, and refuses amounts that do not fit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { currencyDecimals, STRIPE_CURRENCIES } from '../../src/catalog/index.ts';
import { createTestDatabase } from '../helpers/db.ts';

const db = await createTestDatabase();

async function minorUnits(amount: string | null, units: 'major' | 'minor', currency: string | null): Promise<number | null> {
  const { rows: [row] } = await db.pool.query<{ minor: string | null }>(
    `select public.spacesync_attach_minor_units($1::numeric, $2, $3, 'public.rooms.rate') as minor`,
    [amount, units, currency],
  );
  return row.minor === null ? null : Number(row.minor);
}

async function refusal(amount: string, units: 'major' | 'minor', currency: string): Promise<{ code: string; message: string; hint: string }> {
  try {
    await minorUnits(amount, units, currency);
  } catch (error) {
    const { code, message, hint } = error as { code: string; message: string; hint: string };
    return { code, message, hint };
  }
  throw new Error(`${amount} ${units} ${currency} was accepted`);
}

const tooPrecise = (amount: string, decimals: number, currency: string) => ({
  code: '22023',
  message: `public.rooms.rate = ${amount} has more than ${decimals} decimals for ${currency}`,
  hint: 'Round the amount, or map a column in minor units ("units": "minor").',
});

test('zero-decimal currencies: major units are minor units, a fraction is refused', async () => {
  assert.equal(await minorUnits('1200', 'major', 'jpy'), 1200);
  assert.equal(await minorUnits('50000', 'major', 'krw'), 50000);
  assert.equal(await minorUnits('7.000', 'major', 'xof'), 7);
  assert.deepEqual(await refusal('12.5', 'major', 'jpy'), tooPrecise('12.5', 0, 'jpy'));
  assert.deepEqual(await refusal('0.1', 'major', 'krw'), tooPrecise('0.1', 0, 'krw'));
});

test('three-decimal currencies: a thousand minor units to the major unit', async () => {
  assert.equal(await minorUnits('1.5', 'major', 'kwd'), 1500);
  assert.equal(await minorUnits('12.345', 'major', 'bhd'), 12345);
  assert.equal(await minorUnits('0.01', 'major', 'tnd'), 10);
  assert.deepEqual(await refusal('1.2345', 'major', 'bhd'), tooPrecise('1.2345', 3, 'bhd'));
});

test('two-decimal currencies, and a currency Stripe does not know, count two decimals', async () => {
  assert.equal(await minorUnits('12.50', 'major', 'eur'), 1250);
  assert.equal(await minorUnits('99', 'major', 'usd'), 9900);
  assert.deepEqual(await refusal('12.505', 'major', 'usd'), tooPrecise('12.505', 2, 'usd'));
  assert.equal(await minorUnits('12.50', 'major', 'xxx'), 1250);
  assert.deepEqual(await refusal('1.001', 'major', 'xxx'), tooPrecise('1.001', 2, 'xxx'));
  assert.equal(await minorUnits('3.25', 'major', null), 325);
});

test('every Stripe currency scales as the catalog counts its decimals', async () => {
  const { rows } = await db.pool.query<{ code: string; one: string; decimals: number }>(
    `select c as code, public.spacesync_attach_minor_units(1, 'major', c, 'x') as one, public.spacesync_currency_decimals(c) as decimals
       from unnest($1::text[]) c`,
    [STRIPE_CURRENCIES],
  );
  assert.equal(rows.length, STRIPE_CURRENCIES.length);
  for (const r of rows) {
    assert.equal(r.decimals, currencyDecimals(r.code), r.code);
    assert.equal(Number(r.one), 10 ** currencyDecimals(r.code), r.code);
  }
});

test('the currency is read in any case, as spacesync_currency_decimals reads it', async () => {
  assert.equal(await minorUnits('1200', 'major', 'JPY'), 1200);
  assert.equal(await minorUnits('1.5', 'major', 'Kwd'), 1500);
  assert.equal(await minorUnits('12.50', 'major', 'EUR'), 1250);
});

test('minor units are taken as they are, whatever the currency', async () => {
  assert.equal(await minorUnits('1250', 'minor', 'kwd'), 1250);
  assert.equal(await minorUnits('1200', 'minor', 'jpy'), 1200);
  assert.deepEqual(await refusal('12.5', 'minor', 'eur'), tooPrecise('12.5', 0, 'eur'));
});

test('no amount is no price; amounts outside Stripe’s range are refused with a hint about the units', async () => {
  assert.equal(await minorUnits(null, 'major', 'eur'), null);
  assert.equal(await minorUnits('999999.99', 'major', 'eur'), 99_999_999);
  assert.deepEqual(await refusal('1000000', 'major', 'eur'), {
    code: '22003',
    message: 'public.rooms.rate = 1000000 is out of Stripe\'s range for a price (0 to 99999999 minor units of eur)',
    hint: 'Check that the column holds major units (12.50), not minor units (1250).',
  });
  assert.deepEqual(await refusal('100000000', 'minor', 'jpy'), {
    code: '22003',
    message: 'public.rooms.rate = 100000000 is out of Stripe\'s range for a price (0 to 99999999 minor units of jpy)',
    hint: 'Check that the column holds minor units (1250), not a larger scale.',
  });
  assert.equal((await refusal('-1', 'major', 'kwd')).code, '22003');
});
