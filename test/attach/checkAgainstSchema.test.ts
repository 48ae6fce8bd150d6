// A mapping against a described schema (pure): missing tables and columns, wrong types, keys that do
// not identify a row, a rates reference of another type; each named by field and table.column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAgainstSchema } from '../../src/attach/checkAgainstSchema.ts';
import type { LiveSchema, LiveColumn } from '../../src/attach/liveSchema.ts';
import { COLUMN_MAPPING, RATES_MAPPING, mapping } from './appSchema.ts';

const col = (name: string, type: string, extra: Partial<LiveColumn> = {}): LiveColumn => ({ name, type, notNull: false, unique: false, ...extra });

function live(overrides: Record<string, LiveColumn> = {}, rates: Record<string, LiveColumn> = {}): LiveSchema {
  const rooms = [
    col('id', 'int8', { notNull: true, unique: true }), col('owner_id', 'uuid', { notNull: true }), col('title', 'text', { notNull: true }),
    col('summary', 'text'), col('city', 'text'), col('district', 'text'), col('seats', 'int4'), col('photos', '_text', { notNull: true }),
    col('hourly_rate', 'numeric'), col('day_rate', 'numeric'), col('is_published', 'bool', { notNull: true }), col('deleted_at', 'timestamptz'),
  ].map((c) => overrides[c.name] ?? c);
  const roomRates = [
    col('id', 'uuid', { notNull: true, unique: true }), col('room_id', 'int8', { notNull: true }), col('kind', 'text', { notNull: true }),
    col('amount', 'numeric', { notNull: true }), col('billing_interval', 'text'), col('archived_at', 'timestamptz'),
  ].map((c) => rates[c.name] ?? c);
  return {
    'public.rooms': { schema: 'public', table: 'rooms', columns: rooms },
    'public.room_rates': { schema: 'public', table: 'room_rates', columns: roomRates },
  };
}

test('the example mappings fit the example schema', () => {
  assert.deepEqual(checkAgainstSchema(mapping(COLUMN_MAPPING), live()), []);
  assert.deepEqual(checkAgainstSchema(mapping(RATES_MAPPING), live()), []);
});

test('a missing table or column is named, with a near name when there is one', () => {
  assert.deepEqual(checkAgainstSchema(mapping(COLUMN_MAPPING, { table: 'venues' }), live()).map((p) => p.message), [
    'table: table public.venues does not exist (create the app\'s tables first, or fix the name)',
  ]);
  const p = checkAgainstSchema(mapping(COLUMN_MAPPING, { fields: { name: 'titles' } }), live());
  assert.deepEqual(p, [{ path: 'fields.name', message: 'fields.name: column public.rooms.titles does not exist (did you mean "title"?)' }]);
});

test('wrong types: price columns must be numbers, active a boolean, images text[], capacity an integer', () => {
  const cases: [Record<string, LiveColumn>, string, RegExp][] = [
    [{ hourly_rate: col('hourly_rate', 'text') }, 'prices.columns[0].column', /public\.rooms\.hourly_rate is text, but prices\.columns\[0\]\.column needs numeric or an integer/],
    [{ hourly_rate: col('hourly_rate', 'float8') }, 'prices.columns[0].column', /is float8/],
    [{ is_published: col('is_published', 'text') }, 'fields.active', /is text, but fields\.active needs bool/],
    [{ photos: col('photos', 'jsonb') }, 'fields.images', /needs text\[\]/],
    [{ seats: col('seats', 'numeric') }, 'fields.capacity', /needs an integer/],
    [{ title: col('title', 'int4') }, 'fields.name', /needs text-like/],
    [{ deleted_at: col('deleted_at', 'text') }, 'delete.softDeleteColumn', /needs a timestamp, date or boolean/],
  ];
  for (const [override, path, message] of cases) {
    const p = checkAgainstSchema(mapping(COLUMN_MAPPING), live(override));
    assert.equal(p.length, 1, JSON.stringify(p));
    assert.equal(p[0]!.path, path);
    assert.match(p[0]!.message, message);
  }
  // Metadata takes any scalar (an owner's uuid), the key any type.
  assert.deepEqual(checkAgainstSchema(mapping(COLUMN_MAPPING), live({ id: col('id', 'uuid', { notNull: true, unique: true }) })), []);
});

test('the key must identify one row: unique alone and not null', () => {
  for (const id of [col('id', 'int8', { notNull: true }), col('id', 'int8', { unique: true })]) {
    const p = checkAgainstSchema(mapping(COLUMN_MAPPING), live({ id }));
    assert.deepEqual(p.map((x) => x.path), ['key']);
    assert.match(p[0]!.message, /must be NOT NULL with a primary key or unique index on it alone/);
  }
  const p = checkAgainstSchema(mapping(RATES_MAPPING), live({}, { id: col('id', 'uuid') }));
  assert.deepEqual(p.map((x) => x.path), ['prices.key']);
});

test("the rates' reference has the key's type (integers of any width match)", () => {
  assert.deepEqual(checkAgainstSchema(mapping(RATES_MAPPING), live({}, { room_id: col('room_id', 'int4', { notNull: true }) })), []);
  const p = checkAgainstSchema(mapping(RATES_MAPPING), live({}, { room_id: col('room_id', 'uuid', { notNull: true }) }));
  assert.deepEqual(p, [{ path: 'prices.spaceKey', message: 'prices.spaceKey: column public.room_rates.room_id is uuid but the key public.rooms.id is int8: name the column that holds the key of its space' }]);
  const missing = checkAgainstSchema(mapping(RATES_MAPPING, { prices: { ...(RATES_MAPPING.prices as object), table: 'rates' } as never }), live());
  assert.deepEqual(missing.map((x) => x.message), ["prices.table: table public.rates does not exist (create the app's tables first, or fix the name)"]);
});
