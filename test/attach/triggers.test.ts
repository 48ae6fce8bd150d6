// The attach triggers in a real database (no Stripe here: what reaches the catalog, and what does
// not): the app's own users editing under its RLS, soft and hard deletes, restores, prices from
// columns and from a rates table, write-back without loops, re-attach, detach, and the guard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { attachSource, checkMappingAgainstDatabase, detachSource } from '../../src/attach/attachSource.ts';
import { backfill } from '../../src/attach/backfill.ts';
import { renderAttachSql } from '../../src/attach/renderAttachSql.ts';
import type { Mapping } from '../../src/attach/mapping.ts';
import { asOwner, COLUMN_MAPPING, createAppTables, mapping, OWNER, RATES_MAPPING, spacesOf, STRANGER, tableDefinition } from './appSchema.ts';

async function appDb(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  await createAppTables(db.pool);
  return db;
}

async function attach(db: TestDatabase, m: Mapping) {
  await attachSource(db.pool, m);
  return backfill(db.pool, m, { batchSize: 2 });
}

/** What changes when the catalog is written: versions, queued syncs, change-log rows. */
async function activity(db: TestDatabase) {
  const { rows } = await db.pool.query(
    `select (select coalesce(sum(version), 0)::bigint from spaces) as versions,
            (select count(*)::int from spaces) as spaces,
            (select count(*)::int from space_prices) as prices,
            (select count(*)::int from graphile_worker.jobs where task_identifier = 'sync_space') as jobs,
            (select coalesce(max(id), 0)::bigint from spacesync_changes) as changes`,
  );
  return rows[0];
}

async function insertRoom(db: TestDatabase, values: Record<string, unknown>, who = OWNER): Promise<number> {
  const cols = Object.keys(values);
  const rows = await asOwner<{ id: number }>(db.pool, `insert into rooms (${cols.join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')}) returning id`, Object.values(values), who);
  return rows[0]!.id;
}

test('attach brings in the rows already there (batched), leaves soft-deleted rows out, and alters nothing of the app table', async () => {
  const db = await appDb();
  await insertRoom(db, { title: 'Blue', city: 'Paris', district: '11e', seats: 8, photos: ['https://img.example/blue.jpg'], hourly_rate: 25.5, day_rate: 180, is_published: true });
  await insertRoom(db, { title: 'Red', city: 'Lyon', hourly_rate: null, is_published: false });
  await insertRoom(db, { title: 'Gone', is_published: true, deleted_at: new Date() });
  for (let i = 0; i < 4; i++) await insertRoom(db, { title: `Desk ${i}`, hourly_rate: 5 + i, is_published: true });
  const before = await tableDefinition(db.pool, 'public.rooms');
  const progress: number[] = [];
  await attachSource(db.pool, mapping(COLUMN_MAPPING));
  const result = await backfill(db.pool, mapping(COLUMN_MAPPING), { batchSize: 3, onProgress: (p) => progress.push(p.done) });
  assert.deepEqual(progress, [0, 3, 6, 7], 'progress after each batch of 3');
  assert.equal(result.rows, 7);
  assert.equal(result.spacesCreated, 6);
  assert.deepEqual(await tableDefinition(db.pool, 'public.rooms'), before, 'columns, constraints, policies, indexes, grants unchanged');

  const spaces = await spacesOf(db.pool);
  assert.deepEqual(spaces.map((s) => s.source_key), ['1', '2', '4', '5', '6', '7']);
  const blue = spaces[0];
  assert.equal(blue.name, 'Blue');
  assert.equal(blue.location, 'Paris, 11e');
  assert.equal(blue.capacity, 8);
  assert.deepEqual(blue.images, ['https://img.example/blue.jpg']);
  assert.equal(blue.active, true);
  assert.equal(blue.kind, 'meeting_room');
  assert.equal(blue.metadata.owner, OWNER.sub);
  assert.deepEqual(blue.prices.map((p: { source_key: string; unit_amount: number; pricing_type: string }) => [p.source_key, p.pricing_type, p.unit_amount]), [['hourly_rate', 'hourly', 2550], ['day_rate', 'daily', 18000]]);
  assert.equal(spaces[1].active, false, 'unpublished → inactive');
  assert.equal(spaces[1].location, 'Lyon');
  assert.deepEqual(spaces[1].prices, [], 'no rate, no price');
  const source = (await db.pool.query(`select * from spacesync_sources where name = 'rooms'`)).rows[0];
  assert.ok(source.backfilled_at, 'backfilled_at set');
  assert.equal(source.source_table, 'public.rooms');
});

test("the app's users edit under its own RLS: each mapped change reaches the catalog, nothing else writes it", async () => {
  const db = await appDb();
  await attach(db, mapping(COLUMN_MAPPING));
  // Not an admin of spacesync: an owner of rooms in the app, through the app's own policies.
  const id = await insertRoom(db, { title: 'Studio', hourly_rate: 30, is_published: true });
  let [s] = await spacesOf(db.pool);
  assert.equal(s.name, 'Studio');
  assert.equal(s.version, 2, 'the space and its price: two versions, as a native insert with a price');
  const jobs = (await activity(db)).jobs;
  assert.equal(jobs, 1, 'one sync queued');

  // An unmapped column, a no-op update: nothing is written to the catalog.
  const quiet = await activity(db);
  await asOwner(db.pool, `update rooms set created_at = created_at - interval '1 day' where id = $1`, [id]);
  await asOwner(db.pool, `update rooms set title = title where id = $1`, [id]);
  assert.deepEqual(await activity(db), quiet, 'no version, no job, no change-log row');

  // A stranger's update is refused by the app's RLS, so nothing follows either.
  const n = await asOwner(db.pool, `update rooms set title = 'Hijacked' where id = $1 returning id`, [id], STRANGER);
  assert.equal(n.length, 0);
  assert.deepEqual(await activity(db), quiet);

  await asOwner(db.pool, `update rooms set title = 'Studio 2', hourly_rate = 32.5, day_rate = 200 where id = $1`, [id]);
  [s] = await spacesOf(db.pool);
  assert.equal(s.name, 'Studio 2');
  assert.deepEqual(s.prices.map((p: { source_key: string; unit_amount: number }) => [p.source_key, p.unit_amount]), [['hourly_rate', 3250], ['day_rate', 20000]]);

  // Unpublish, soft delete, restore; a cleared rate removes its price.
  await asOwner(db.pool, `update rooms set is_published = false where id = $1`, [id]);
  assert.equal((await spacesOf(db.pool))[0].active, false);
  await asOwner(db.pool, `update rooms set deleted_at = now() where id = $1`, [id]);
  assert.ok((await spacesOf(db.pool))[0].deleted_at, 'soft-deleted');
  await asOwner(db.pool, `update rooms set deleted_at = null, is_published = true where id = $1`, [id]);
  [s] = await spacesOf(db.pool);
  assert.equal(s.deleted_at, null, 'restored');
  assert.equal(s.active, true);
  await asOwner(db.pool, `update rooms set day_rate = null where id = $1`, [id]);
  [s] = await spacesOf(db.pool);
  assert.deepEqual(s.prices.map((p: { source_key: string; deleted: boolean }) => [p.source_key, p.deleted]), [['hourly_rate', false], ['day_rate', true]]);
  // A hard delete by the app archives too (the row stays in the catalog, soft-deleted).
  await asOwner(db.pool, `delete from rooms where id = $1`, [id]);
  [s] = await spacesOf(db.pool);
  assert.ok(s.deleted_at);
  assert.equal((await spacesOf(db.pool)).length, 1);
});

test('a row the catalog refuses fails the app write with a message naming the row and the fix', async () => {
  const db = await appDb();
  await attach(db, mapping(COLUMN_MAPPING));
  await assert.rejects(insertRoom(db, { title: '  ', is_published: true }), (e: Error & { hint?: string }) => {
    assert.match(e.message, /^spacesync cannot take public\.rooms row id = \d+ into its catalog: .*spaces_name_not_empty/);
    assert.match(e.hint ?? '', /spacesync detach --source rooms/);
    return true;
  });
  await assert.rejects(
    db.pool.query(`insert into rooms (title, hourly_rate, owner_id) values ('Huge', 99999999.99, $1)`, [OWNER.sub]),
    /public\.rooms\.hourly_rate = 99999999\.99 is out of Stripe's range/,
  );
  assert.equal((await spacesOf(db.pool)).length, 0, 'nothing half-written');
});

test('a rates table: one price per rate; a changed amount updates it, archived or deleted rates archive it, a moved rate follows its room', async () => {
  const db = await appDb();
  const a = await insertRoom(db, { title: 'A', is_published: true });
  const b = await insertRoom(db, { title: 'B', is_published: true });
  await asOwner(db.pool, `insert into room_rates (room_id, kind, amount) values ($1, 'hourly', 20), ($1, 'daily', 100)`, [a]);
  await attach(db, mapping(RATES_MAPPING));
  const prices = async (key: number) => (await spacesOf(db.pool)).find((s) => s.source_key === String(key)).prices;
  assert.deepEqual((await prices(a)).map((p: { pricing_type: string; unit_amount: number }) => [p.pricing_type, p.unit_amount]).sort(), [['daily', 10000], ['hourly', 2000]]);

  await asOwner(db.pool, `update room_rates set amount = 22.5 where kind = 'hourly'`);
  await asOwner(db.pool, `insert into room_rates (room_id, kind, amount, billing_interval) values ($1, 'monthly', 900, 'month')`, [b]);
  await asOwner(db.pool, `update room_rates set archived_at = now() where kind = 'daily'`);
  const pa = await prices(a);
  assert.deepEqual(pa.map((p: { pricing_type: string; unit_amount: number; deleted: boolean }) => [p.pricing_type, p.unit_amount, p.deleted]).sort(), [['daily', 10000, true], ['hourly', 2250, false]]);
  assert.deepEqual((await prices(b)).map((p: { recurring_interval: string; unit_amount: number }) => [p.recurring_interval, p.unit_amount]), [['month', 90000]]);

  await asOwner(db.pool, `update room_rates set room_id = $1 where kind = 'hourly'`, [b]);
  assert.ok((await prices(a)).every((p: { deleted: boolean }) => p.deleted), 'gone from A');
  assert.equal((await prices(b)).filter((p: { deleted: boolean }) => !p.deleted).length, 2, 'now on B');
  await asOwner(db.pool, `delete from room_rates where kind = 'monthly'`);
  assert.equal((await prices(b)).filter((p: { deleted: boolean }) => !p.deleted).length, 1);

  // A bad pricing type is refused, naming the rate.
  await assert.rejects(asOwner(db.pool, `insert into room_rates (room_id, kind, amount) values ($1, 'yearly', 1)`, [a]), /public\.rooms row id = \d+ into its catalog: rate [0-9a-f-]+: .*space_prices_pricing_type_valid/);
  // Hard delete of the room (delete: "hard") archives its space; the cascade archives its rates.
  await asOwner(db.pool, `delete from rooms where id = $1`, [b]);
  const gone = (await spacesOf(db.pool)).find((s) => s.source_key === String(b));
  assert.ok(gone.deleted_at);
  assert.ok(gone.prices.every((p: { deleted: boolean }) => p.deleted));
});

test('write-back fills the named columns of the app row, without looping and without a new sync', async () => {
  const db = await appDb();
  const m = mapping(COLUMN_MAPPING, { writeBack: { productId: 'stripe_product_id', defaultPriceId: 'stripe_price_id', status: 'sync_state' } });
  const id = await insertRoom(db, { title: 'Loft', hourly_rate: 40, is_published: true });
  await attach(db, m);
  let room = (await db.pool.query(`select * from rooms where id = $1`, [id])).rows[0];
  assert.equal(room.sync_state, 'pending', 'written back on insert');
  const [space] = await spacesOf(db.pool);
  // Counts every update of an app row from here on.
  await db.pool.query(`create table room_updates (n integer not null);
    insert into room_updates values (0);
    create function count_room_update() returns trigger language plpgsql security definer as $$ begin update room_updates set n = n + 1; return null; end $$;
    create trigger count_room_update after update on rooms for each row execute function count_room_update();`);
  const updates = async () => (await db.pool.query(`select n from room_updates`)).rows[0].n as number;
  const before = await activity(db);
  // What the worker writes when Stripe answered (sync state only).
  await db.pool.query(`update space_prices set stripe_price_id = 'price_1' where space_id = $1`, [space.id]);
  await db.pool.query(`update spaces set stripe_product_id = 'prod_1', sync_status = 'synced', synced_version = version where id = $1`, [space.id]);
  room = (await db.pool.query(`select * from rooms where id = $1`, [id])).rows[0];
  assert.deepEqual([room.stripe_product_id, room.stripe_price_id, room.sync_state], ['prod_1', 'price_1', 'synced']);
  const after = await activity(db);
  assert.equal(after.versions, before.versions, 'no version bump');
  assert.equal(after.jobs, before.jobs, 'no sync queued');
  assert.equal(await updates(), 1, 'one write of the app row, not re-entered');
  // The same state written again: the app row is not touched.
  const xmin = (await db.pool.query(`select xmin::text from rooms where id = $1`, [id])).rows[0].xmin;
  await db.pool.query(`update spaces set sync_status = 'synced' where id = $1`, [space.id]);
  assert.equal((await db.pool.query(`select xmin::text from rooms where id = $1`, [id])).rows[0].xmin, xmin, 'row not rewritten');
  // An app edit writes back "pending" in the app's own transaction, and syncs once.
  await asOwner(db.pool, `update rooms set title = 'Loft 2' where id = $1`, [id]);
  room = (await db.pool.query(`select * from rooms where id = $1`, [id])).rows[0];
  assert.equal(room.sync_state, 'pending');
  const edited = await activity(db);
  assert.equal(edited.jobs, 1, 'its sync queued (one job per space)');
  assert.equal(Number(edited.versions), Number(before.versions) + 1, 'one version for the edit');
  assert.equal(await updates(), 3, "the app's own update and the write-back of pending");
});

test('re-attach with the same mapping changes nothing; a changed mapping replaces triggers and prices', async () => {
  const db = await appDb();
  await insertRoom(db, { title: 'One', hourly_rate: 10, day_rate: 70, is_published: true });
  await attach(db, mapping(COLUMN_MAPPING));
  const triggers = async () => (await db.pool.query(`select tgrelid::regclass::text as t, tgname from pg_trigger where tgname like 'spacesync\\_%' order by 1, 2`)).rows;
  const first = await triggers();
  const before = await activity(db);
  const source = (await db.pool.query(`select * from spacesync_sources`)).rows;
  assert.equal((await attachSource(db.pool, mapping(COLUMN_MAPPING))).state, 'same');
  await backfill(db.pool, mapping(COLUMN_MAPPING));
  assert.deepEqual(await triggers(), first);
  assert.deepEqual(await activity(db), before, 'no catalog write');
  const again = (await db.pool.query(`select * from spacesync_sources`)).rows;
  assert.deepEqual(again.map((r) => ({ ...r, backfilled_at: null })), source.map((r) => ({ ...r, backfilled_at: null })));

  const changed = mapping(COLUMN_MAPPING, { prices: { columns: [{ column: 'hourly_rate', pricingType: 'hourly', units: 'major' }] } });
  assert.equal((await attachSource(db.pool, changed)).state, 'changed');
  await backfill(db.pool, changed);
  const [s] = await spacesOf(db.pool);
  assert.deepEqual(s.prices.map((p: { source_key: string; deleted: boolean }) => [p.source_key, p.deleted]), [['hourly_rate', false], ['day_rate', true]]);
  // From a column mapping to a rates mapping: the column triggers' replacement covers the rates table.
  await attachSource(db.pool, mapping(RATES_MAPPING));
  assert.deepEqual((await triggers()).map((t) => t.tgname).sort(), [
    'spacesync_rooms_delete', 'spacesync_rooms_insert', 'spacesync_rooms_rate_delete', 'spacesync_rooms_rate_insert', 'spacesync_rooms_rate_truncate',
    'spacesync_rooms_rate_update', 'spacesync_rooms_truncate', 'spacesync_rooms_update',
  ]);
});

test('detach removes the triggers and functions, keeps every row, and stops the syncing', async () => {
  const db = await appDb();
  const m = mapping(RATES_MAPPING, { writeBack: { status: 'sync_state' } });
  const id = await insertRoom(db, { title: 'Kept', is_published: true });
  await asOwner(db.pool, `insert into room_rates (room_id, kind, amount) values ($1, 'hourly', 20)`, [id]);
  const defs = { rooms: await tableDefinition(db.pool, 'public.rooms'), rates: await tableDefinition(db.pool, 'public.room_rates') };
  await attach(db, m);
  const appRows = (await db.pool.query(`select * from rooms order by id`)).rows;
  const spaces = await spacesOf(db.pool);
  await detachSource(db.pool, 'rooms');
  assert.deepEqual((await db.pool.query(`select tgname from pg_trigger where tgname like 'spacesync\\_rooms%'`)).rows, []);
  assert.deepEqual((await db.pool.query(`select proname from pg_proc where proname like 'spacesync\\_src\\_%'`)).rows, []);
  assert.deepEqual(await tableDefinition(db.pool, 'public.rooms'), defs.rooms);
  assert.deepEqual(await tableDefinition(db.pool, 'public.room_rates'), defs.rates);
  assert.deepEqual((await db.pool.query(`select * from rooms order by id`)).rows, appRows, "the app's rows as they were");
  assert.deepEqual(await spacesOf(db.pool), spaces, 'the spaces and prices as they were');
  assert.ok((await db.pool.query(`select detached_at from spacesync_sources`)).rows[0].detached_at);
  const quiet = await activity(db);
  await asOwner(db.pool, `update rooms set title = 'Not synced' where id = $1`, [id]);
  await asOwner(db.pool, `update room_rates set amount = 99`);
  assert.deepEqual(await activity(db), quiet, 'edits no longer reach the catalog');
  // Attached again: the backfill catches up with what changed meanwhile.
  assert.equal((await attachSource(db.pool, m)).state, 'reattached');
  await backfill(db.pool, m);
  const [s] = await spacesOf(db.pool);
  assert.equal(s.name, 'Not synced');
  assert.equal(s.prices.find((p: { deleted: boolean }) => !p.deleted).unit_amount, 9900);
});

test("the script's guard names the column and field when the schema does not fit (as a migration would fail)", async () => {
  const db = await appDb();
  await db.pool.query(`create view published_rooms as select * from rooms where is_published`);
  const cases: [Mapping, RegExp][] = [
    [mapping(COLUMN_MAPPING, { fields: { name: 'titel' } }), /spacesync attach "rooms": column public\.rooms\.titel does not exist \(mapping field fields\.name\)/],
    [mapping(COLUMN_MAPPING, { fields: { name: 'title', capacity: 'title' } }), /column public\.rooms\.title is text; mapping field fields\.capacity needs an integer/],
    [mapping(COLUMN_MAPPING, { key: 'owner_id' }), /column public\.rooms\.owner_id \(mapping field key\) must be NOT NULL with a primary key or unique index/],
    [mapping(COLUMN_MAPPING, { table: 'venues' }), /table public\.venues does not exist \(mapping field table\)/],
    [mapping(COLUMN_MAPPING, { table: 'published_rooms' }), /public\.published_rooms is not a table \(mapping field table\): triggers need the table itself, not a view/],
    [mapping(COLUMN_MAPPING, { fields: { name: { sql: 'upper(titl)' } } }), /mapping field fields\.name: the sql expression upper\(titl\) fails on public\.rooms: column "titl" does not exist/],
    [mapping(RATES_MAPPING, { prices: { ...(RATES_MAPPING.prices as object), spaceKey: 'id' } as never }), /column public\.room_rates\.id is uuid but the key public\.rooms\.id is int8 \(mapping field prices\.spaceKey\)/],
  ];
  for (const [m, message] of cases) {
    await assert.rejects(db.pool.query(renderAttachSql(m, { backfill: true })), message);
  }
  assert.equal((await db.pool.query(`select count(*)::int as n from spacesync_sources`)).rows[0].n, 0, 'nothing registered');
  // The same checks from the live schema, before any SQL runs.
  assert.deepEqual(await checkMappingAgainstDatabase(db.pool, mapping(COLUMN_MAPPING)), []);
  assert.deepEqual(await checkMappingAgainstDatabase(db.pool, mapping(COLUMN_MAPPING, { fields: { name: { sql: 'upper(titl)' } } })), [
    { path: 'fields.name.sql', message: 'fields.name.sql: "upper(titl)" fails on public.rooms: column "titl" does not exist' },
  ]);
  assert.deepEqual((await checkMappingAgainstDatabase(db.pool, mapping(COLUMN_MAPPING, { fields: { name: 'titel' } }))).map((p) => p.message), [
    'fields.name: column public.rooms.titel does not exist (did you mean "title"?)',
  ]);
});

test('the same row brought in by two transactions at once (a backfill beside the app): one space, both succeed', async () => {
  const db = await appDb();
  await attach(db, mapping(COLUMN_MAPPING));
  const values = (name: string, rate: number) => JSON.stringify({ space: { name }, deleted: false, prices: [{ key: 'hourly_rate', pricing_type: 'hourly', amount: rate, units: 'major', what: 'public.rooms.hourly_rate' }] });
  const a = await db.pool.connect();
  const b = await db.pool.connect();
  try {
    await a.query('begin');
    await b.query('begin');
    await a.query(`select spacesync_attach_apply('rooms', '42', $1::jsonb)`, [values('First', 10)]);
    // B meets A's uncommitted row on the unique key and waits for it.
    const second = b.query(`select spacesync_attach_apply('rooms', '42', $1::jsonb)`, [values('Second', 12)]);
    await new Promise((r) => setTimeout(r, 200));
    await a.query('commit');
    await second;
    await b.query('commit');
  } finally {
    a.release();
    b.release();
  }
  const spaces = await spacesOf(db.pool);
  assert.equal(spaces.length, 1);
  assert.equal(spaces[0].name, 'Second', "the later write's values");
  assert.deepEqual(spaces[0].prices.map((p: { unit_amount: number; deleted: boolean }) => [p.unit_amount, p.deleted]), [[1200, false]]);
});
