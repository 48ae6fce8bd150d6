// examples/rental-app with its rates table, attached with spacesync's CLI: the app's migrations and
// spacesync's schema pushed with the real Supabase CLI, then `spacesync attach --mapping` on the app's
// database (checked, triggers, backfill, a catalog sync through the emulator with the real SDK); a
// host's rate changes cost what a native space's do; `spacesync detach` stops it and leaves the app's
// rows as they were.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from '../../src/db/pool.ts';
import type { RunningEmulator } from '../../src/emulator/index.ts';
import { assertInSync, emulatorState, endpoints, insertSpace, nextRequestIndex, requestsSince, waitAllSynced } from '../sync/helpers.ts';
import { addHost, addRoom, appRows, asHost, dbPush, openApp, spaceOf, spacesync, type AppEnv, type Host } from './rentalApp.ts';
import type { SupabaseProject } from './supabaseProject.ts';

describe('the rental app with its rates table, attached with the CLI', () => {
  let project: SupabaseProject;
  let dir: string;
  let pool: Pool;
  let emulator: RunningEmulator;
  let app: AppEnv | undefined;
  let carla: Host;
  const rooms: Record<string, string> = {};
  const env = () => ({ DATABASE_URL: project.url, STRIPE_API_URL: emulator.url, STRIPE_SECRET_KEY: '' });

  before(async () => {
    app = await openApp('rental_app_cli');
    ({ project, dir, pool, emulator } = app);
  });
  after(() => app?.stop());

  async function addRate(host: Host, roomId: string, period: string, amount: string, interval: string | null = null): Promise<string> {
    return asHost(host, pool, async (c) => (await c.query(`insert into public.room_rates (room_id, period, amount, billing_interval) values ($1, $2, $3, $4) returning id`, [roomId, period, amount, interval])).rows[0].id);
  }

  test('spacesync attach --mapping on the app database: checked, triggers, backfill with progress, then a catalog sync', async () => {
    dbPush(dir, project.url);
    carla = await addHost(pool, 'carla@example.com');
    rooms.hall = await addRoom(pool, carla, { title: 'Salle des fêtes', city: 'Lille', seats: 120, is_published: true });
    rooms.desk = await addRoom(pool, carla, { title: 'Bureau partagé', city: 'Lille', seats: 1, is_published: true });
    await addRate(carla, rooms.hall, 'daily', '450.00');
    await addRate(carla, rooms.hall, 'monthly', '3900.00', 'month');
    await addRate(carla, rooms.desk, 'weekly', '95.00');
    // spacesync's schema by the Supabase route, without a mapping; the attach comes from the CLI.
    const installed = await spacesync(['supabase', 'install', '--project-dir', dir]);
    assert.equal(installed.code, 0, installed.out);
    dbPush(dir, project.url);

    // A mapping naming a column the table lacks is refused by the database check, nothing written.
    const wrong = join(dir, 'wrong.mapping.json');
    writeFileSync(wrong, JSON.stringify({ ...JSON.parse(readFileSync(join(dir, 'spacesync.rates.mapping.json'), 'utf8')), key: 'uuid' }));
    const refused = await spacesync(['attach', '--mapping', wrong], env());
    assert.notEqual(refused.code, 0, refused.out);
    assert.match(refused.out, /key: column public\.rooms\.uuid does not exist/);
    assert.equal((await pool.query(`select count(*)::int as n from public.spacesync_sources`)).rows[0].n, 0);

    const before = await appRows(pool);
    const attached = await spacesync(['attach', '--mapping', join(dir, 'spacesync.rates.mapping.json')], env());
    assert.equal(attached.code, 0, attached.out);
    assert.match(attached.out, /Attached: source "rooms"/);
    assert.match(attached.out, /Backfilled 2 row\(s\) and 3 rate\(s\)/);
    assert.deepEqual(await appRows(pool), before, "the app's rows are as they were");
    const state = await emulatorState(emulator.url);
    assert.equal(state.products.length, 2, 'the catalog sync sent both rooms');
    for (const key of ['hall', 'desk']) await assertInSync({ pool, emulatorUrl: emulator.url }, (await spaceOf(pool, rooms[key])).id, state);
    const hall = await spaceOf(pool, rooms.hall);
    const { rows: hallPrices } = await pool.query(`select pricing_type, unit_amount, recurring_interval from public.space_prices where space_id = $1 and deleted_at is null order by pricing_type`, [hall.id]);
    assert.deepEqual(hallPrices, [
      { pricing_type: 'daily', unit_amount: 45000, recurring_interval: null },
      { pricing_type: 'monthly', unit_amount: 390000, recurring_interval: 'month' },
    ]);

    const again = await spacesync(['attach', '--mapping', join(dir, 'spacesync.rates.mapping.json'), '--no-sync'], env());
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /Already attached, unchanged/);
    assert.equal((await spaceOf(pool, rooms.hall)).version, hall.version, 'attaching again changes nothing');
  });

  test('a rate changed by its host: a new price with the lookup key moved, the old archived, as for a native space', async () => {
    await app!.startWorker();
    const { spaceId: twin } = await insertSpace(pool, { name: 'Twin hall' }, [{ pricing_type: 'daily', unit_amount: 45000 }, { pricing_type: 'monthly', unit_amount: 390000, recurring_interval: 'month' }]);
    await waitAllSynced(pool);

    const hall = await spaceOf(pool, rooms.hall);
    const { rows: [old] } = await pool.query(`select stripe_price_id, lookup_key from public.space_prices where space_id = $1 and pricing_type = 'daily' and deleted_at is null`, [hall.id]);
    const since = await nextRequestIndex(emulator.url);
    await asHost(carla, pool, (c) => c.query(`update public.room_rates set amount = 480 where room_id = $1 and period = 'daily'`, [rooms.hall]));
    await waitAllSynced(pool);
    const attached = endpoints(await requestsSince(emulator.url, since)).sort();
    const nativeSince = await nextRequestIndex(emulator.url);
    await pool.query(`update space_prices set unit_amount = 48000 where space_id = $1 and pricing_type = 'daily'`, [twin]);
    await waitAllSynced(pool);
    assert.deepEqual(attached, endpoints(await requestsSince(emulator.url, nativeSince)).sort());
    const { rows: [now] } = await pool.query(`select stripe_price_id, lookup_key from public.space_prices where space_id = $1 and pricing_type = 'daily' and deleted_at is null`, [hall.id]);
    const state = await emulatorState(emulator.url);
    const oldPrice = state.prices.find((p) => p.id === old.stripe_price_id)!;
    const newPrice = state.prices.find((p) => p.id === now.stripe_price_id)!;
    assert.notEqual(newPrice.id, oldPrice.id);
    assert.equal(newPrice.unit_amount, 48000);
    assert.equal(oldPrice.active, false);
    assert.equal(oldPrice.lookup_key, null);
    assert.equal(newPrice.lookup_key, old.lookup_key);
    await assertInSync({ pool, emulatorUrl: emulator.url }, hall.id);

    // A rate retired by the host archives its price; a new one is a new price.
    await asHost(carla, pool, (c) => c.query(`update public.room_rates set active = false where room_id = $1 and period = 'monthly'`, [rooms.hall]));
    await addRate(carla, rooms.hall, 'hourly', '60.00');
    await waitAllSynced(pool);
    await assertInSync({ pool, emulatorUrl: emulator.url }, hall.id);
    const live = (await emulatorState(emulator.url)).prices.filter((p) => p.product === hall.stripe_product_id && p.active).map((p) => p.unit_amount).sort((a, b) => a! - b!);
    assert.deepEqual(live, [6000, 48000]);
  });

  test('spacesync detach --source: the triggers go, the app rows stay, edits stay in the app', async () => {
    const app = await appRows(pool);
    const detached = await spacesync(['detach', '--source', 'rooms'], env());
    assert.equal(detached.code, 0, detached.out);
    assert.deepEqual(await appRows(pool), app, "the app's rows are untouched");
    const hall = await spaceOf(pool, rooms.hall);
    await asHost(carla, pool, (c) => c.query(`update public.room_rates set amount = 999 where room_id = $1 and period = 'daily'`, [rooms.hall]));
    await asHost(carla, pool, (c) => c.query(`update public.rooms set title = 'Renamed after detach' where id = $1`, [rooms.hall]));
    assert.equal((await spaceOf(pool, rooms.hall)).version, hall.version, 'the space does not follow');
    const { rows: [daily] } = await pool.query(`select unit_amount from public.space_prices where space_id = $1 and pricing_type = 'daily' and deleted_at is null`, [hall.id]);
    assert.equal(daily.unit_amount, 48000);
  });
});
