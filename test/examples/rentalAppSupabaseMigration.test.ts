// examples/rental-app attached by the Supabase route, as its users would do it: its own migrations
// pushed with the real Supabase CLI into a Supabase-shaped database, rooms added by their hosts, then
// `spacesync supabase install --mapping` and a second push (the attach migration brings the rooms in).
// The worker syncs through the emulator with the real SDK; hosts edit their rooms as the app does
// (role `authenticated` with their JWT claims, under the app's RLS) and Stripe follows with the calls
// a native space costs; a changed mapping is a new attach migration; a detach migration stops it and
// leaves the app's rows as they were.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from '../../src/db/pool.ts';
import type { RunningEmulator } from '../../src/emulator/index.ts';
import { assertInSync, emulatorState, endpoints, insertSpace, nextRequestIndex, requestsSince, waitAllSynced } from '../sync/helpers.ts';
import { addHost, addRoom, appRows, asHost, checkout, dbPush, openApp, spaceOf, spacesync, type AppEnv, type Host } from './rentalApp.ts';
import type { SupabaseProject } from './supabaseProject.ts';

test('supabase install --mapping refuses, writing nothing, a mapping that is invalid or names a column the migrations do not create', async () => {
  const dir = checkout();
  try {
    const files = readdirSync(join(dir, 'supabase/migrations')).sort();
    const mapping = JSON.parse(readFileSync(join(dir, 'spacesync.mapping.json'), 'utf8'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...mapping, fields: { ...mapping.fields, kind: { value: 'castle' } } }));
    const invalid = await spacesync(['supabase', 'install', '--project-dir', dir, '--mapping', join(dir, 'bad.json')]);
    assert.equal(invalid.code, 1, invalid.out);
    assert.match(invalid.out, /bad\.json is not a valid mapping \(docs\/ATTACH\.md, "The mapping"\):\n {2}fields\.kind\.value must be one of "meeting_room", .* \(got "castle"\)/);
    writeFileSync(join(dir, 'typo.json'), JSON.stringify({ ...mapping, fields: { ...mapping.fields, capacity: 'seat_count' } }));
    const typo = await spacesync(['supabase', 'install', '--project-dir', dir, '--mapping', join(dir, 'typo.json')]);
    assert.equal(typo.code, 1, typo.out);
    assert.match(typo.out, /fields\.capacity names the column "seat_count", which public\.rooms does not have in supabase\/migrations \(its columns: id, owner_id, title, summary, city, seats,/);
    const missing = await spacesync(['supabase', 'install', '--project-dir', dir, '--mapping', join(dir, 'nope.json')]);
    assert.equal(missing.code, 1, missing.out);
    assert.match(missing.out, /--mapping .*nope\.json does not exist/);
    assert.deepEqual(readdirSync(join(dir, 'supabase/migrations')).sort(), files, 'nothing written');
    assert.deepEqual(readdirSync(join(dir, 'supabase')).sort(), ['config.toml', 'migrations']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('the rental app attached through a Supabase migration', () => {
  let project: SupabaseProject;
  let dir: string;
  let pool: Pool;
  let emulator: RunningEmulator;
  let app: AppEnv | undefined;
  let alice: Host;
  let bruno: Host;
  const rooms: Record<string, string> = {};

  before(async () => {
    app = await openApp('rental_app');
    ({ project, dir, pool, emulator } = app);
  });
  after(() => app?.stop());

  async function roomRow(roomId: string) {
    return (await pool.query(`select * from public.rooms where id = $1`, [roomId])).rows[0];
  }

  /** The room's write-back columns hold its product and default price ids. */
  async function assertWrittenBack(roomId: string) {
    const space = await spaceOf(pool, roomId);
    const { rows } = await pool.query(`select stripe_price_id from public.space_prices where space_id = $1 and active and deleted_at is null order by position, created_at limit 1`, [space.id]);
    const room = await roomRow(roomId);
    assert.equal(room.stripe_product_id, space.stripe_product_id, 'rooms.stripe_product_id');
    assert.equal(room.stripe_price_id, space.stripe_product_id ? rows[0]?.stripe_price_id ?? null : null, 'rooms.stripe_price_id');
  }

  /** Runs `fn`, waits for the worker, and gives the Stripe calls it caused. */
  async function callsOf(fn: () => Promise<unknown>): Promise<string[]> {
    const since = await nextRequestIndex(emulator.url);
    await fn();
    await waitAllSynced(pool);
    return endpoints(await requestsSince(emulator.url, since)).sort();
  }

  test('the app as it stands: its migrations pushed, hosts and their rooms', async () => {
    dbPush(dir, project.url);
    alice = await addHost(pool, 'alice@example.com');
    bruno = await addHost(pool, 'bruno@example.com');
    rooms.loft = await addRoom(pool, alice, { title: 'Le Loft', summary: 'Sunny loft by the canal', city: 'Paris', seats: 12, photo_urls: ['https://images.example.com/loft.jpg'], hourly_rate: '25.50', daily_rate: '180.00', is_published: true });
    rooms.cave = await addRoom(pool, alice, { title: 'La Cave', city: 'Paris', seats: 30, hourly_rate: '40.00', is_published: true });
    rooms.draft = await addRoom(pool, bruno, { title: 'Atelier (draft)', city: 'Lyon', seats: 4, hourly_rate: '12.00' });
    // The app's RLS, as it is: a host sees their own drafts, nobody else does.
    const seenByAlice = await asHost(alice, pool, async (c) => (await c.query(`select title from public.rooms order by title`)).rows.map((r) => r.title));
    assert.deepEqual(seenByAlice, ['La Cave', 'Le Loft']);
  });

  test('supabase install --mapping, then db push: the attach migration comes last and brings the rooms in', async () => {
    const before = await appRows(pool);
    const ownFiles = readdirSync(join(dir, 'supabase/migrations')).sort();
    const dryRun = await spacesync(['supabase', 'install', '--project-dir', dir, '--mapping', join(dir, 'spacesync.mapping.json'), '--dry-run']);
    assert.equal(dryRun.code, 0, dryRun.out);
    assert.match(dryRun.out, /would add the attach migration \d{14}_spacesync_attach_rooms\.sql/);
    assert.deepEqual(readdirSync(join(dir, 'supabase/migrations')).sort(), ownFiles, 'a dry run writes nothing');
    const installed = await spacesync(['supabase', 'install', '--project-dir', dir, '--mapping', join(dir, 'spacesync.mapping.json')]);
    assert.equal(installed.code, 0, installed.out);
    const files = readdirSync(join(dir, 'supabase/migrations')).sort();
    const attachFile = files.at(-1)!;
    assert.match(attachFile, /^\d{14}_spacesync_attach_rooms\.sql$/);
    assert.match(installed.out, new RegExp(`added the attach migration ${attachFile}`));
    assert.match(readFileSync(join(dir, 'supabase/migrations', attachFile), 'utf8'), /^-- spacesync attach rooms: keeps spacesync's catalog in step with public\.rooms \(mapping spacesync\.mapping\.json\)\./);
    const again = await spacesync(['supabase', 'install', '--project-dir', dir, '--mapping', join(dir, 'spacesync.mapping.json')]);
    assert.match(again.out, /the attach migration is up to date: nothing to add for this mapping/);
    assert.deepEqual(readdirSync(join(dir, 'supabase/migrations')).sort(), files, 'a second install with the same mapping adds nothing');

    dbPush(dir, project.url);
    assert.deepEqual(await appRows(pool), before, "the app's rows are as they were");
    const { rows: sources } = await pool.query(`select name, source_table, detached_at, backfilled_at from public.spacesync_sources`);
    assert.equal(sources.length, 1);
    assert.equal(sources[0].source_table, 'public.rooms');
    assert.ok(sources[0].backfilled_at, 'backfilled');
    const loft = await spaceOf(pool, rooms.loft);
    assert.equal(loft.name, 'Le Loft');
    assert.equal(loft.description, 'Sunny loft by the canal');
    assert.equal(loft.capacity, 12);
    assert.equal(loft.location, 'Paris');
    assert.deepEqual(loft.images, ['https://images.example.com/loft.jpg']);
    assert.equal(loft.active, true);
    assert.deepEqual(loft.metadata, { host_id: alice.id });
    const { rows: prices } = await pool.query(`select source_key, pricing_type, unit_amount, currency from public.space_prices where space_id = $1 order by position`, [loft.id]);
    assert.deepEqual(prices, [
      { source_key: 'hourly_rate', pricing_type: 'hourly', unit_amount: 2550, currency: 'eur' },
      { source_key: 'daily_rate', pricing_type: 'daily', unit_amount: 18000, currency: 'eur' },
    ]);
    assert.equal((await spaceOf(pool, rooms.draft)).active, false, 'an unpublished room is an inactive space');
  });

  test('the worker syncs them: a product and its prices per published room, as many calls as a native space', async () => {
    const attached = await callsOf(() => app!.startWorker());
    const native = await callsOf(() =>
      insertSpace(pool, { name: 'Salle native', capacity: 12, location: 'Paris' }, [
        { pricing_type: 'hourly', unit_amount: 2550 },
        { pricing_type: 'daily', unit_amount: 18000 },
      ]).then(() => insertSpace(pool, { name: 'Salle native 2' }, [{ pricing_type: 'hourly', unit_amount: 4000 }])),
    );
    assert.deepEqual(attached, native, 'two published rooms (2 and 1 prices) cost what two native spaces do');
    assert.equal(attached.filter((e) => e === 'POST /v1/products').length, 2, attached.join(', '));
    const state = await emulatorState(emulator.url);
    for (const key of ['loft', 'cave']) await assertInSync({ pool, emulatorUrl: emulator.url }, (await spaceOf(pool, rooms[key])).id, state);
    const draft = await spaceOf(pool, rooms.draft);
    assert.equal(draft.stripe_product_id, null, 'an unpublished room is not sold');
    // The mapping's write-back: the app's booking page finds its Stripe ids in its own rows.
    for (const key of ['loft', 'cave', 'draft']) await assertWrittenBack(rooms[key]);
    assert.match((await roomRow(rooms.loft)).stripe_price_id, /^price_/);
  });

  /** A native space like the loft, synced, for the same edit to be made on both. */
  async function nativeTwin(name: string): Promise<string> {
    const { spaceId } = await insertSpace(pool, { name, capacity: 12, location: 'Paris' }, [
      { pricing_type: 'hourly', unit_amount: 2550 },
      { pricing_type: 'daily', unit_amount: 18000 },
    ]);
    await waitAllSynced(pool);
    return spaceId;
  }

  async function editRoom(host: Host, roomId: string, set: string, values: unknown[] = []): Promise<number> {
    return asHost(host, pool, async (c) => (await c.query(`update public.rooms set ${set} where id = $1`, [roomId, ...values])).rowCount ?? 0);
  }

  async function assertSynced(roomId: string) {
    await assertInSync({ pool, emulatorUrl: emulator.url }, (await spaceOf(pool, roomId)).id);
    await assertWrittenBack(roomId);
  }

  test('a host renames their room: one product update, as for a native space; another host cannot', async () => {
    const twin = await nativeTwin('Twin rename');
    const attached = await callsOf(() => editRoom(alice, rooms.loft, `title = 'Le Grand Loft', summary = 'Sunny loft, canal view'`));
    const native = await callsOf(() => pool.query(`update spaces set name = 'Twin renamed', description = 'x' where id = $1`, [twin]));
    assert.deepEqual(attached, native);
    assert.deepEqual(attached, ['POST /v1/products/:id']);
    await assertSynced(rooms.loft);
    const loft = await spaceOf(pool, rooms.loft);
    const product = (await emulatorState(emulator.url)).products.find((p) => p.id === loft.stripe_product_id)!;
    assert.equal(product.name, 'Le Grand Loft');
    assert.equal(product.description, 'Sunny loft, canal view');
    // Bruno's session, under the app's RLS: his update of Alice's room touches no row, so no space.
    const version = (await spaceOf(pool, rooms.loft)).version;
    assert.equal(await editRoom(bruno, rooms.loft, `title = 'Mine now'`), 0);
    assert.equal((await spaceOf(pool, rooms.loft)).version, version);
    // The write-back columns are spacesync's to write: the app's users may not.
    await assert.rejects(editRoom(alice, rooms.loft, `stripe_price_id = 'price_forged'`), { code: '42501' });
  });

  test('a rate change: a new price with the lookup key moved to it, the old one archived, as for a native space', async () => {
    const twin = await nativeTwin('Twin rate');
    const before = await spaceOf(pool, rooms.loft);
    const { rows: [oldRow] } = await pool.query(`select stripe_price_id, lookup_key from public.space_prices where space_id = $1 and source_key = 'hourly_rate'`, [before.id]);
    const attached = await callsOf(() => editRoom(alice, rooms.loft, `hourly_rate = 27.00`));
    const native = await callsOf(() => pool.query(`update space_prices set unit_amount = 2700 where space_id = $1 and pricing_type = 'hourly'`, [twin]));
    assert.deepEqual(attached, native);
    assert.ok(attached.includes('POST /v1/prices'), attached.join(', '));
    const { rows: [newRow] } = await pool.query(`select stripe_price_id, lookup_key, unit_amount from public.space_prices where space_id = $1 and source_key = 'hourly_rate' and deleted_at is null`, [before.id]);
    assert.equal(newRow.unit_amount, 2700);
    assert.notEqual(newRow.stripe_price_id, oldRow.stripe_price_id);
    const state = await emulatorState(emulator.url);
    const oldPrice = state.prices.find((p) => p.id === oldRow.stripe_price_id)!;
    const newPrice = state.prices.find((p) => p.id === newRow.stripe_price_id)!;
    assert.equal(oldPrice.active, false, 'the old price is archived');
    assert.equal(oldPrice.lookup_key, null, 'its lookup key moved…');
    assert.equal(newPrice.lookup_key, oldRow.lookup_key, '…to the new price');
    assert.equal(newPrice.unit_amount, 2700);
    assert.equal(state.products.find((p) => p.id === before.stripe_product_id)!.default_price, newPrice.id, 'the new price is the default');
    await assertSynced(rooms.loft);
    assert.equal((await roomRow(rooms.loft)).stripe_price_id, newPrice.id, 'the app links to the new price');
  });

  test('a rate emptied archives its price; unpublishing archives the product, publishing sells it again', async () => {
    const twin = await nativeTwin('Twin unpublish');
    const loft = await spaceOf(pool, rooms.loft);
    const { rows: [daily] } = await pool.query(`select stripe_price_id from public.space_prices where space_id = $1 and source_key = 'daily_rate'`, [loft.id]);
    const emptied = await callsOf(() => editRoom(alice, rooms.loft, `daily_rate = null`));
    const nativeDeleted = await callsOf(() => pool.query(`delete from space_prices where space_id = $1 and pricing_type = 'daily'`, [twin]));
    assert.deepEqual(emptied, nativeDeleted);
    assert.equal((await emulatorState(emulator.url)).prices.find((p) => p.id === daily.stripe_price_id)!.active, false);
    await assertSynced(rooms.loft);

    const unpublished = await callsOf(() => editRoom(alice, rooms.loft, `is_published = false`));
    const nativeInactive = await callsOf(() => pool.query(`update spaces set active = false where id = $1`, [twin]));
    assert.deepEqual(unpublished, nativeInactive);
    let state = await emulatorState(emulator.url);
    assert.equal(state.products.find((p) => p.id === loft.stripe_product_id)!.active, false, 'archived');
    assert.ok(state.prices.filter((p) => p.product === loft.stripe_product_id).every((p) => !p.active), 'every price archived');
    await assertSynced(rooms.loft);

    const republished = await callsOf(() => editRoom(alice, rooms.loft, `is_published = true`));
    const nativeActive = await callsOf(() => pool.query(`update spaces set active = true where id = $1`, [twin]));
    assert.deepEqual(republished, nativeActive);
    state = await emulatorState(emulator.url);
    assert.equal(state.products.find((p) => p.id === loft.stripe_product_id)!.active, true);
    await assertSynced(rooms.loft);
  });

  test('a draft published, a room added, a room deleted by its host: created and archived as native spaces are', async () => {
    // A native space never sold yet: inactive from its first write.
    const { rows: [{ id: twin }] } = await pool.query(`insert into spaces (name, active) values ('Twin draft', false) returning id`);
    await pool.query(`insert into space_prices (space_id, pricing_type, unit_amount, currency) values ($1, 'hourly', 1200, 'eur')`, [twin]);
    await waitAllSynced(pool);
    const published = await callsOf(() => editRoom(bruno, rooms.draft, `is_published = true, title = 'Atelier'`));
    const nativePublished = await callsOf(() => pool.query(`update spaces set active = true, name = 'Twin published' where id = $1`, [twin]));
    assert.deepEqual(published, nativePublished);
    assert.equal(published.filter((e) => e === 'POST /v1/products').length, 1);
    await assertSynced(rooms.draft);

    const added = await callsOf(async () => {
      rooms.studio = await addRoom(pool, alice, { title: 'Studio', city: 'Nantes', seats: 2, hourly_rate: '9.90', is_published: true });
    });
    const nativeAdded = await callsOf(() => insertSpace(pool, { name: 'Twin studio' }, [{ pricing_type: 'hourly', unit_amount: 990 }]));
    assert.deepEqual(added, nativeAdded);
    await assertSynced(rooms.studio);

    const cave = await spaceOf(pool, rooms.cave);
    const deleted = await callsOf(() => editRoom(alice, rooms.cave, `deleted_at = now()`));
    const nativeDeleted = await callsOf(() => pool.query(`update spaces set deleted_at = now() where name = 'Twin studio'`));
    assert.deepEqual(deleted, nativeDeleted);
    assert.equal((await emulatorState(emulator.url)).products.find((p) => p.id === cave.stripe_product_id)!.active, false);
    assert.ok((await spaceOf(pool, rooms.cave)).deleted_at, 'its space is deleted');
  });

  test('a changed mapping: the install writes a new attach migration; pushed, it replaces the triggers and updates every space', async () => {
    const file = join(dir, 'spacesync.mapping.json');
    const mapping = JSON.parse(readFileSync(file, 'utf8'));
    mapping.fields.metadata.listing = { sql: "'rooms/' || id::text" };
    writeFileSync(file, JSON.stringify(mapping, null, 2));
    const before = readdirSync(join(dir, 'supabase/migrations')).sort();
    const installed = await spacesync(['supabase', 'install', '--project-dir', dir, '--mapping', file]);
    assert.equal(installed.code, 0, installed.out);
    const added = readdirSync(join(dir, 'supabase/migrations')).sort().filter((f) => !before.includes(f));
    assert.equal(added.length, 1);
    assert.match(added[0], /_spacesync_attach_rooms\.sql$/);
    assert.ok(added[0] > before.at(-1)!, 'after the first attach migration');
    const since = await nextRequestIndex(emulator.url);
    dbPush(dir, project.url);
    await waitAllSynced(pool);
    const requests = await requestsSince(emulator.url, since);
    assert.ok(requests.every((r) => r.method === 'POST' && /^\/v1\/products\/prod_/.test(r.path)), endpoints(requests).join(', '));
    const { rows: products } = await pool.query(`select stripe_product_id as id from public.spaces where source = 'rooms' and stripe_product_id is not null order by 1`);
    assert.deepEqual(requests.map((r) => r.path.slice('/v1/products/'.length)).sort(), products.map((p) => p.id), 'one product update per room in Stripe');
    const state = await emulatorState(emulator.url);
    const loft = await spaceOf(pool, rooms.loft);
    assert.equal(state.products.find((p) => p.id === loft.stripe_product_id)!.metadata.listing, `rooms/${rooms.loft}`);
    await assertSynced(rooms.loft);
    // And the triggers follow the new mapping.
    await callsOf(() => editRoom(alice, rooms.studio, `title = 'Studio Nord'`));
    await assertSynced(rooms.studio);
  });

  test('a detach migration: the triggers go, the app and the catalog stay as they were, later edits stay in the app', async () => {
    await waitAllSynced(pool);
    const app = await appRows(pool);
    const catalog = (await pool.query(`select id, version, name, stripe_product_id, deleted_at from public.spaces order by id`)).rows;
    const installed = await spacesync(['supabase', 'install', '--project-dir', dir, '--detach', 'rooms']);
    assert.equal(installed.code, 0, installed.out);
    const detachFile = readdirSync(join(dir, 'supabase/migrations')).sort().at(-1)!;
    assert.match(detachFile, /^\d{14}_spacesync_detach_rooms\.sql$/);
    assert.match((await spacesync(['supabase', 'install', '--project-dir', dir, '--detach', 'rooms'])).out, /rooms is detached by the latest migration already: nothing to add/);
    dbPush(dir, project.url);
    assert.deepEqual(await appRows(pool), app, "the app's rows are untouched");
    assert.deepEqual((await pool.query(`select id, version, name, stripe_product_id, deleted_at from public.spaces order by id`)).rows, catalog, 'the spaces stay');
    const { rows: triggers } = await pool.query(`select tgname from pg_trigger where tgrelid in ('public.rooms'::regclass, 'public.room_rates'::regclass) and tgname like 'spacesync%'`);
    assert.deepEqual(triggers, []);
    assert.ok((await pool.query(`select detached_at from public.spacesync_sources where name = 'rooms'`)).rows[0].detached_at);

    const since = await nextRequestIndex(emulator.url);
    assert.equal(await editRoom(alice, rooms.loft, `title = 'Loft (after detach)', hourly_rate = 30`), 1);
    assert.deepEqual((await pool.query(`select id, version, name, stripe_product_id, deleted_at from public.spaces order by id`)).rows, catalog, 'no space follows the edit');
    assert.equal((await pool.query(`select count(*)::int as n from graphile_worker.jobs`)).rows[0].n, 0, 'nothing queued');
    assert.deepEqual(await requestsSince(emulator.url, since), []);
  });
});
