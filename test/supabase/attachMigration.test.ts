// The pure half of `spacesync supabase install --mapping`: the columns a project's migrations give a
// table, a mapping checked against them, and when an attach (or detach) migration is (not) written.
// No database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableColumnsInMigrations } from '../../src/supabase/migrationColumns.ts';
import { attachSourceOf, mappingProblemsInMigrations, planAttachMigration, planDetachMigration } from '../../src/supabase/attachMigration.ts';
import { checkMapping } from '../../src/attach/checkMapping.ts';
import { mappingSchema, type Mapping } from '../../src/attach/mapping.ts';

const example = join(import.meta.dirname, '../../examples/rental-app');
const exampleSqls = readdirSync(join(example, 'supabase/migrations')).sort().map((f) => readFileSync(join(example, 'supabase/migrations', f), 'utf8'));
function readMapping(file: string): Mapping {
  const checked = checkMapping(readFileSync(join(example, file), 'utf8'), file);
  assert.ok(checked.ok, JSON.stringify(checked));
  return checked.mapping;
}
const exampleMapping = () => readMapping('spacesync.mapping.json');

test('the columns a table has after the migrations: create table, then alter table add/drop/rename, quoted or not', () => {
  const sqls = [
    `-- create table public.rooms (ignored text) in a comment
     create table if not exists "public"."rooms" (
       id uuid primary key default gen_random_uuid(),
       "title" text not null check (length(title) > 0),
       price numeric(10, 2),
       constraint rooms_price_positive check (price > 0),
       unique (title, price)
     );
     create table public.rooms_archive (id uuid, gone text);`,
    `alter table public.rooms add column city text, add column if not exists seats int;
     alter table only rooms rename column price to hourly_rate;
     alter table rooms drop column if exists city, drop constraint rooms_price_positive;`,
  ];
  assert.deepEqual(tableColumnsInMigrations(sqls, 'public.rooms'), ['id', 'title', 'hourly_rate', 'seats']);
  assert.deepEqual(tableColumnsInMigrations(sqls, 'rooms'), ['id', 'title', 'hourly_rate', 'seats']);
  assert.deepEqual(tableColumnsInMigrations(sqls, 'public.rooms_archive'), ['id', 'gone']);
  assert.equal(tableColumnsInMigrations(sqls, 'app.rooms'), undefined, 'another schema: not made by these migrations');
  assert.equal(tableColumnsInMigrations(sqls, 'public.venues'), undefined);
});

test('the example app: its migrations give rooms and room_rates every column its two mappings name', () => {
  assert.deepEqual(tableColumnsInMigrations(exampleSqls, 'public.rooms'), [
    'id', 'owner_id', 'title', 'summary', 'city', 'seats', 'photo_urls', 'hourly_rate', 'daily_rate', 'is_published', 'created_at', 'updated_at', 'deleted_at',
    'stripe_product_id', 'stripe_price_id',
  ]);
  assert.deepEqual(mappingProblemsInMigrations(exampleMapping(), exampleSqls), []);
  const rates = readMapping('spacesync.rates.mapping.json');
  assert.deepEqual(mappingProblemsInMigrations(rates, exampleSqls), []);
});

test('a mapped column the table does not have is named, with the mapping key and the columns there are', () => {
  const mapping = mappingSchema.parse({
    name: 'rooms',
    table: 'rooms',
    key: 'id',
    fields: { name: 'titel', capacity: { sql: 'seats * 2' }, metadata: { host: 'host_id' } },
    delete: { softDeleteColumn: 'deleted_at' },
    prices: { table: 'public.room_rates', key: 'id', spaceKey: 'room', pricingType: 'period', amount: 'amount', units: 'major' },
  });
  const problems = mappingProblemsInMigrations(mapping, exampleSqls);
  assert.deepEqual(problems, [
    'fields.name names the column "titel", which public.rooms does not have in supabase/migrations (its columns: id, owner_id, title, summary, city, seats, photo_urls, hourly_rate, daily_rate, is_published, created_at, updated_at, deleted_at, stripe_product_id, stripe_price_id)',
    'fields.metadata.host names the column "host_id", which public.rooms does not have in supabase/migrations (its columns: id, owner_id, title, summary, city, seats, photo_urls, hourly_rate, daily_rate, is_published, created_at, updated_at, deleted_at, stripe_product_id, stripe_price_id)',
    'prices.spaceKey names the column "room", which public.room_rates does not have in supabase/migrations (its columns: id, room_id, period, amount, currency, billing_interval, active, created_at)',
  ]);
  // An expression is not judged here (the attach's own check against the live schema does it).
  assert.ok(!problems.some((p) => p.includes('capacity')));
  // A table the migrations do not create is not judged either.
  assert.deepEqual(mappingProblemsInMigrations({ ...mapping, table: 'public.listings', prices: undefined }, exampleSqls), []);
});

test('an attach migration: after the given version, named for the source; not again while its SQL is the same; again when it changed', () => {
  const mapping = exampleMapping();
  const first = planAttachMigration(mapping, 'spacesync.mapping.json', 'select 1;', [], '20250101000095');
  assert.ok(first);
  assert.equal(first.file, '20250101000096_spacesync_attach_rooms.sql');
  assert.equal(attachSourceOf(first.sql), 'rooms');
  assert.ok(first.sql.endsWith('\n\nselect 1;\n'));
  const project = [{ file: first.file, sql: first.sql }];
  assert.equal(planAttachMigration(mapping, 'other/path.json', 'select 1;\n', project, '20250101000096'), undefined, 'same SQL (the file named differently): nothing to add');
  const changed = planAttachMigration(mapping, 'spacesync.mapping.json', 'select 2;', project, '20250101000096');
  assert.equal(changed?.file, '20250101000097_spacesync_attach_rooms.sql');
  // Compared with the latest one for the source: going back to the first SQL writes it again.
  const back = planAttachMigration(mapping, 'spacesync.mapping.json', 'select 1;', [...project, { file: changed!.file, sql: changed!.sql }], '20250101000097');
  assert.equal(back?.file, '20250101000098_spacesync_attach_rooms.sql');
  // Another source's attach is not this one's.
  const venues = planAttachMigration({ ...mapping, name: 'venues' }, 'v.json', 'select 1;', project, '20250101000096');
  assert.equal(venues?.file, '20250101000097_spacesync_attach_venues.sql');
  // A project without migrations: the version is the current UTC time.
  const fresh = planAttachMigration(mapping, 'm.json', 'select 1;', [], undefined);
  assert.match(fresh!.version, /^20\d{12}$/);
});

test('a detach migration: once after an attach; then an attach with the same SQL is written again', () => {
  const mapping = exampleMapping();
  const attach = planAttachMigration(mapping, 'm.json', 'select 1;', [], '20250101000095')!;
  const project = [{ file: attach.file, sql: attach.sql }];
  const detach = planDetachMigration('rooms', 'select 0;', project, attach.version);
  assert.equal(detach?.file, '20250101000097_spacesync_detach_rooms.sql');
  assert.equal(attachSourceOf(detach!.sql), 'rooms');
  assert.ok(detach!.sql.endsWith('\n\nselect 0;\n'));
  project.push({ file: detach!.file, sql: detach!.sql });
  assert.equal(planDetachMigration('rooms', 'select 0;', project, detach!.version), undefined, 'detached already');
  assert.equal(planAttachMigration(mapping, 'm.json', 'select 1;', project, detach!.version)?.file, '20250101000098_spacesync_attach_rooms.sql', 'attached again');
});
