// The database's constraints and the shared zod schema hold the same lists: a value the form accepts
// is never refused by the database, and the other way round.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../helpers/db.ts';
import { PRICING_TYPES, RECURRING_INTERVALS, SPACE_KINDS, STRIPE_CURRENCIES, TAX_BEHAVIORS } from '../../src/catalog/index.ts';

const db = await createTestDatabase();

/** The quoted values of a check constraint, e.g. `kind in ('a', 'b')` → ['a', 'b']. */
async function constraintValues(name: string): Promise<string[]> {
  const { rows } = await db.pool.query(`select pg_get_constraintdef(oid) as def from pg_constraint where conname = $1`, [name]);
  assert.equal(rows.length, 1, `constraint ${name} exists`);
  return [...rows[0].def.matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1]);
}

const sorted = (values: readonly string[]) => [...new Set(values)].sort();

test('currencies: the SQL function accepts exactly STRIPE_CURRENCIES', async () => {
  const { rows } = await db.pool.query(`select prosrc from pg_proc where proname = 'spacesync_is_currency'`);
  const sql = rows[0].prosrc.match(/'\{([a-z,]+)\}'/)[1].split(',');
  assert.deepEqual(sorted(sql), sorted(STRIPE_CURRENCIES));
});

for (const [name, values] of [
  ['spaces_kind_valid', SPACE_KINDS],
  ['space_prices_pricing_type_valid', PRICING_TYPES],
  ['space_prices_recurring_interval_valid', RECURRING_INTERVALS],
  ['space_prices_tax_behavior_valid', TAX_BEHAVIORS],
] as const) {
  test(`${name} allows exactly the schema's values`, async () => {
    assert.deepEqual(sorted(await constraintValues(name)), sorted(values));
  });
}
