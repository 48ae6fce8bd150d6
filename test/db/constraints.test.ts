// Bad data is refused by the database itself, and the refusal is described with the field named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../helpers/db.ts';
import { describeDbError, constraintMessages } from '../../src/db/describeDbError.ts';
import { withClaims } from '../../src/db/withClaims.ts';

const db = await createTestDatabase();
const { rows: [space] } = await db.pool.query(`insert into spaces (name) values ('Room') returning id`);

const badSpaces: Array<[string, string, unknown[]]> = [
  ['name', `insert into spaces (name) values ('   ')`, []],
  ['name', `insert into spaces (name) values (repeat('x', 251))`, []],
  ['kind', `insert into spaces (name, kind) values ('x', 'castle')`, []],
  ['capacity', `insert into spaces (name, capacity) values ('x', 0)`, []],
  ['images', `insert into spaces (name, images) values ('x', array['https://a/1','https://a/2','https://a/3','https://a/4','https://a/5','https://a/6','https://a/7','https://a/8','https://a/9'])`, []],
  ['images', `insert into spaces (name, images) values ('x', array['ftp://nope'])`, []],
  ['currency', `insert into spaces (name, currency) values ('x', 'EUR')`, []],
  ['currency', `insert into spaces (name, currency) values ('x', 'xyz')`, []],
  ['metadata', `insert into spaces (name, metadata) values ('x', '{"a[1]": "v"}')`, []],
  ['metadata', `insert into spaces (name, metadata) values ('x', jsonb_build_object(repeat('k', 41), 'v'))`, []],
  ['metadata', `insert into spaces (name, metadata) values ('x', jsonb_build_object('k', repeat('v', 501)))`, []],
  ['metadata', `insert into spaces (name, metadata) values ('x', (select jsonb_object_agg('k' || i, 'v') from generate_series(1, 46) i))`, []],
  ['metadata', `insert into spaces (name, metadata) values ('x', '{"space_id": "mine"}')`, []],
  ['metadata', `insert into spaces (name, metadata) values ('x', '{"n": 1}')`, []],
];

const badPrices: Array<[string, string]> = [
  ['unit_amount', `(space_id, pricing_type, unit_amount, currency) values ($1, 'hourly', 100000000, 'eur')`],
  ['unit_amount', `(space_id, pricing_type, unit_amount, currency) values ($1, 'hourly', -1, 'eur')`],
  ['pricing_type', `(space_id, pricing_type, unit_amount, currency) values ($1, 'fortnightly', 100, 'eur')`],
  ['currency', `(space_id, pricing_type, unit_amount, currency) values ($1, 'hourly', 100, 'euro')`],
  ['recurring_interval', `(space_id, pricing_type, unit_amount, currency, recurring_interval) values ($1, 'monthly', 100, 'eur', 'decade')`],
  ['recurring_interval_count', `(space_id, pricing_type, unit_amount, currency, recurring_interval, recurring_interval_count) values ($1, 'monthly', 100, 'eur', 'month', 13)`],
  ['recurring_interval_count', `(space_id, pricing_type, unit_amount, currency, recurring_interval, recurring_interval_count) values ($1, 'monthly', 100, 'eur', 'year', 2)`],
  ['tax_behavior', `(space_id, pricing_type, unit_amount, currency, tax_behavior) values ($1, 'hourly', 100, 'eur', 'sometimes')`],
  ['currency_options', `(space_id, pricing_type, unit_amount, currency, currency_options) values ($1, 'hourly', 100, 'eur', '{"eur": {"unit_amount": 100}}')`],
  ['currency_options', `(space_id, pricing_type, unit_amount, currency, currency_options) values ($1, 'hourly', 100, 'eur', '{"usd": {"unit_amount": 1.5}}')`],
  ['space_id', `(space_id, pricing_type, unit_amount, currency, nickname) values ('00000000-0000-4000-8000-000000000000', 'hourly', 100, 'eur', $1::text)`],
];

for (const [field, sql, params] of badSpaces) {
  test(`spaces refuses bad ${field}: ${sql.slice(40, 110)}`, async () => {
    const error = await db.pool.query(sql, params).then(() => undefined, (e: unknown) => e);
    assert.ok(error, 'the insert was refused');
    const problem = describeDbError(error);
    assert.equal(problem?.field, field);
    assert.match(problem!.message, new RegExp(`^${field}`));
  });
}

for (const [field, values] of badPrices) {
  test(`space_prices refuses bad ${field}: ${values.slice(60, 150)}`, async () => {
    const error = await db.pool.query(`insert into space_prices ${values}`, [space.id]).then(() => undefined, (e: unknown) => e);
    assert.ok(error, 'the insert was refused');
    assert.equal(describeDbError(error)?.field, field);
  });
}

test('a good recurring price with extra currencies is accepted', async () => {
  await db.pool.query(
    `insert into space_prices (space_id, pricing_type, unit_amount, currency, recurring_interval, recurring_interval_count, currency_options, tax_behavior)
     values ($1, 'monthly', 99999999, 'eur', 'month', 12, '{"usd": {"unit_amount": 120000}}', 'exclusive')`,
    [space.id],
  );
});

test('every check constraint and unique index of the schema has a message', async () => {
  const { rows } = await db.pool.query(
    `select conname as name from pg_constraint where connamespace = 'public'::regnamespace and contype in ('c', 'u', 'f')
     union select indexrelid::regclass::text from pg_index i join pg_class c on c.oid = i.indrelid
       where c.relnamespace = 'public'::regnamespace and i.indisunique and not i.indisprimary`,
  );
  const missing = rows.map((r) => r.name).filter((n) => !constraintMessages[n]);
  assert.deepEqual(missing, []);
});

test('sync_space_with_stripe refuses anon and non-admins with a readable message, and enqueues for admins', async () => {
  for (const claims of [null, { role: 'authenticated', sub: '00000000-0000-4000-8000-000000000001' }]) {
    await assert.rejects(
      withClaims(db.pool, claims, (c) => c.query('select sync_space_with_stripe($1)', [space.id])),
      (e: { code?: string; message?: string }) => e.code === '42501' && /only an admin can sync a space/.test(e.message ?? ''),
    );
  }
  const admin = { role: 'authenticated', sub: '00000000-0000-4000-8000-000000000002', app_metadata: { role: 'admin' } };
  const { rows } = await withClaims(db.pool, admin, (c) => c.query('select sync_space_with_stripe($1) as job_id', [space.id]));
  assert.ok(Number(rows[0].job_id) > 0);
  await assert.rejects(
    withClaims(db.pool, admin, (c) => c.query('select sync_space_with_stripe($1)', ['00000000-0000-4000-8000-00000000dead'])),
    /no space has the id/,
  );
});

test('sync_catalog_with_stripe refuses non-admins and records a run for admins', async () => {
  await assert.rejects(withClaims(db.pool, null, (c) => c.query('select sync_catalog_with_stripe(true)')), /only an admin can sync the catalog/);
  const { rows } = await withClaims(db.pool, { role: 'service_role' }, (c) => c.query('select sync_catalog_with_stripe(true) as job_id'));
  assert.ok(Number(rows[0].job_id) > 0);
  const runs = await db.pool.query('select dry_run, status from catalog_runs');
  assert.deepEqual(runs.rows, [{ dry_run: true, status: 'queued' }]);
});
