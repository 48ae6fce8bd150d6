import { test } from 'node:test';
import assert from 'node:assert/strict';
import { migrate } from '../../src/db/migrate.ts';
import { migrations } from '../../src/db/migrations.generated.ts';
import { renderMigrationsModule } from '../../scripts/generate-migrations.ts';
import { readFileSync } from 'node:fs';
import { createTestDatabase } from '../helpers/db.ts';

test('the embedded migrations module matches src/db/migrations/*.sql', () => {
  const current = readFileSync(new URL('../../src/db/migrations.generated.ts', import.meta.url), 'utf8');
  assert.equal(current, renderMigrationsModule(), 'run `npx tsx scripts/generate-migrations.ts`');
});

test('migrates an empty database, then again as a no-op', async () => {
  const db = await createTestDatabase({ empty: true });
  const first = await migrate(db.pool);
  assert.deepEqual(first.applied.length, migrations.length);
  const { rows } = await db.pool.query(`select count(*)::int as n from graphile_worker.migrations`);
  assert.ok(rows[0].n > 0, 'graphile-worker schema installed');
  const tables = await db.pool.query(
    `select table_name from information_schema.tables where table_schema = 'public' order by 1`,
  );
  for (const t of ['application_logs', 'catalog_runs', 'space_prices', 'spaces', 'stripe_events', 'users']) {
    assert.ok(tables.rows.some((r) => r.table_name === t), `table ${t} exists`);
  }
  const second = await migrate(db.pool);
  assert.deepEqual(second.applied, []);
});

test('two concurrent migrators apply each migration once', async () => {
  const db = await createTestDatabase({ empty: true });
  const [a, b] = await Promise.all([migrate(db.pool), migrate(db.pool)]);
  assert.equal(a.applied.length + b.applied.length, migrations.length);
  const { rows } = await db.pool.query('select id from public.spacesync_migrations order by id');
  assert.deepEqual(rows.map((r) => r.id), migrations.map((m) => m.id));
});

test('every table in public has row level security enabled', async () => {
  const db = await createTestDatabase();
  const { rows } = await db.pool.query(
    `select relname from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r'
       and not relrowsecurity`,
  );
  assert.deepEqual(rows, []);
});
