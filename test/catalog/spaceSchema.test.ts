import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  ERROR_CODES,
  STRIPE_CURRENCIES,
  ZERO_DECIMAL_CURRENCIES,
  currencyDecimals,
  fieldErrorCodes,
  fieldErrors,
  formatMessage,
  fromMinorUnits,
  messages,
  spaceInputSchema,
  toMinorUnits,
} from '../../src/catalog/index.ts';

function errorsOf(input: unknown, locale: 'en' | 'fr' = 'en'): Record<string, string> {
  const result = spaceInputSchema.safeParse(input);
  assert.equal(result.success, false, 'expected the input to be rejected');
  return fieldErrors(result.error!, locale);
}

function codesOf(input: unknown): Record<string, string> {
  const result = spaceInputSchema.safeParse(input);
  assert.equal(result.success, false);
  return Object.fromEntries(Object.entries(fieldErrorCodes(result.error!)).map(([path, e]) => [path, e.code]));
}

const price = { pricing_type: 'hourly', unit_amount: 1000, currency: 'eur' };

describe('spaceInputSchema', () => {
  it('accepts a minimal space and fills the same defaults as the database', () => {
    assert.deepEqual(spaceInputSchema.parse({ name: 'Salle A', prices: [price] }), {
      name: 'Salle A',
      description: null,
      kind: 'meeting_room',
      capacity: null,
      location: null,
      images: [],
      currency: 'eur',
      active: true,
      metadata: {},
      prices: [
        {
          ...price,
          recurring_interval: null,
          recurring_interval_count: 1,
          tax_behavior: 'unspecified',
          currency_options: {},
          nickname: null,
          is_default: false,
          active: true,
        },
      ],
    });
  });

  it('names the field and the fix, keyed by dotted path', () => {
    const errors = errorsOf({ name: 'A', prices: [price, { ...price, pricing_type: 'daily', unit_amount: 100_000_000 }] });
    assert.deepEqual(errors, {
      'prices.1.unit_amount': "unit_amount must be at most 99999999 (Stripe's maximum, in minor units): lower the amount",
    });
  });

  it('enforces the database and Stripe limits, each with its own code', () => {
    const codes = codesOf({
      name: '   ',
      description: 'x'.repeat(5001),
      kind: 'castle',
      capacity: 0,
      location: 'x'.repeat(501),
      images: ['ftp://img.example/a.png', ...Array.from({ length: 8 }, (_, i) => `https://img.example/${i}.png`)],
      currency: 'EUR',
      metadata: { space_id: 'x', 'a[b]': 'c', empty: '', ['k'.repeat(41)]: 'v', long: 'v'.repeat(501) },
      prices: [
        { ...price, unit_amount: 12.5, currency_options: { eur: { unit_amount: 1 }, zzz: { unit_amount: 1 } } },
        { ...price, pricing_type: 'monthly', recurring_interval: 'month', recurring_interval_count: 13, nickname: 'n'.repeat(251) },
        { ...price, pricing_type: 'yearly', tax_behavior: 'vat', lookup_key: '' },
        { ...price, pricing_type: 'daily', recurring_interval: 'fortnight', id: 'not-a-uuid' },
      ],
    });
    assert.deepEqual(codes, {
      name: 'name_required',
      description: 'description_too_long',
      kind: 'kind_invalid',
      capacity: 'capacity_invalid',
      location: 'location_too_long',
      'images.0': 'image_url_invalid',
      images: 'images_too_many',
      currency: 'currency_invalid',
      'metadata.space_id': 'metadata_key_reserved',
      'metadata.a[b]': 'metadata_key_invalid',
      'metadata.empty': 'metadata_value_empty',
      [`metadata.${'k'.repeat(41)}`]: 'metadata_key_invalid',
      'metadata.long': 'metadata_value_too_long',
      'prices.0.unit_amount': 'unit_amount_invalid',
      'prices.0.currency_options.zzz': 'currency_options_currency_invalid',
      'prices.0.currency_options.eur': 'currency_options_same_currency',
      'prices.1.recurring_interval_count': 'interval_count_invalid',
      'prices.1.nickname': 'nickname_too_long',
      'prices.2.pricing_type': 'pricing_type_invalid',
      'prices.2.tax_behavior': 'tax_behavior_invalid',
      'prices.2.lookup_key': 'lookup_key_invalid',
      'prices.3.recurring_interval': 'recurring_interval_invalid',
      'prices.3.id': 'price_id_invalid',
    });
  });

  it('limits intervals to one year in total', () => {
    for (const [interval, max] of [['day', 365], ['week', 52], ['month', 12], ['year', 1]] as const) {
      const ok = { ...price, recurring_interval: interval, recurring_interval_count: max };
      assert.equal(spaceInputSchema.safeParse({ name: 'A', prices: [ok] }).success, true);
      assert.deepEqual(codesOf({ name: 'A', prices: [{ ...ok, recurring_interval_count: max + 1 }] }), {
        'prices.0.recurring_interval_count': 'interval_count_invalid',
      });
    }
  });

  it('allows at most 20 prices, one default, and no two live prices selling the same thing', () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ ...price, unit_amount: i, currency: STRIPE_CURRENCIES[i] }));
    assert.deepEqual(codesOf({ name: 'A', prices: many }), { prices: 'prices_too_many' });
    assert.deepEqual(
      codesOf({
        name: 'A',
        prices: [
          { ...price, is_default: true },
          { ...price, unit_amount: 1200, is_default: true },
          { ...price, unit_amount: 1300, active: false }, // inactive: no conflict
          { ...price, recurring_interval: 'week' }, // recurring: another thing
        ],
      }),
      { 'prices.1.is_default': 'prices_multiple_defaults', 'prices.1.pricing_type': 'prices_duplicate' },
    );
  });

  it('allows 45 own metadata keys (50 minus the 5 reserved) and not 46', () => {
    const meta = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    assert.equal(spaceInputSchema.safeParse({ name: 'A', metadata: meta(45) }).success, true);
    assert.deepEqual(codesOf({ name: 'A', metadata: meta(46) }), { metadata: 'metadata_too_many_keys' });
  });

  it('reports missing and mistyped fields', () => {
    assert.deepEqual(codesOf({ prices: [{ pricing_type: 'hourly', currency: 'eur', unit_amount: '10' }] }), {
      name: 'required',
      'prices.0.unit_amount': 'invalid_type',
    });
    assert.deepEqual(errorsOf({ name: 5 }), { name: 'name must be text: correct the value' });
    assert.deepEqual(errorsOf({}, 'fr'), { name: 'Le champ name est obligatoire : renseignez-le' });
  });

  it('speaks French to a French admin', () => {
    const errors = errorsOf({ name: '', prices: [{ ...price, unit_amount: 100_000_000 }] }, 'fr');
    assert.deepEqual(errors, {
      name: "Le nom est obligatoire : saisissez un nom pour l'espace",
      'prices.0.unit_amount': 'Le montant ne doit pas dépasser 99999999 (maximum de Stripe, en centimes) : diminuez-le',
    });
    assert.match(
      formatMessage('interval_count_invalid', { max: 52, interval: 'week' }, 'fr'),
      /de 1 à 52 pour la périodicité « semaine »/,
    );
  });

  it('has an English and a French message for every code, with the same placeholders', () => {
    for (const code of ERROR_CODES) {
      const en = messages.en[code];
      const fr = messages.fr[code];
      assert.ok(en && fr, code);
      assert.notEqual(en, fr, `${code} is translated`);
      const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      assert.deepEqual(holes(fr), holes(en), code);
      assert.match(en, /: /, `${code} says how to fix it`);
    }
  });
});

describe('currencies', () => {
  it('lists lower-case ISO codes and the zero-decimal ones', () => {
    for (const c of STRIPE_CURRENCIES) assert.match(c, /^[a-z]{3}$/);
    assert.equal(new Set(STRIPE_CURRENCIES).size, STRIPE_CURRENCIES.length);
    for (const c of ZERO_DECIMAL_CURRENCIES) assert.ok((STRIPE_CURRENCIES as readonly string[]).includes(c), c);
    assert.ok(ZERO_DECIMAL_CURRENCIES.includes('jpy' as never) && ZERO_DECIMAL_CURRENCIES.includes('krw' as never));
  });

  it('converts what an admin types to minor units and back', () => {
    assert.equal(toMinorUnits('12,50', 'eur'), 1250);
    assert.equal(toMinorUnits('1 200.5', 'eur'), 120050);
    assert.equal(toMinorUnits(19.99, 'usd'), 1999);
    assert.equal(toMinorUnits(0.1 + 0.2, 'eur'), 30);
    assert.equal(toMinorUnits('1200', 'jpy'), 1200);
    assert.equal(toMinorUnits('1.500', 'kwd'), 1500);
    assert.equal(fromMinorUnits(1250, 'eur'), '12.50');
    assert.equal(fromMinorUnits(5, 'eur'), '0.05');
    assert.equal(fromMinorUnits(1200, 'jpy'), '1200');
    assert.throws(() => toMinorUnits('12.5', 'jpy'), /more than 0 decimals/);
    assert.throws(() => toMinorUnits('12.345', 'eur'), /more than 2 decimals/);
    assert.throws(() => toMinorUnits('abc', 'eur'), /not a number/);
    assert.throws(() => toMinorUnits(-1, 'eur'), RangeError);
  });

  it('round-trips every amount in every currency', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), fc.constantFrom(...STRIPE_CURRENCIES), (minor, currency) => {
        const text = fromMinorUnits(minor, currency);
        assert.equal(toMinorUnits(text, currency), minor);
        assert.equal(toMinorUnits(text.replace('.', ','), currency), minor);
        assert.equal(text.split('.')[1]?.length ?? 0, currencyDecimals(currency));
      }),
    );
  });
});
