// Edits of attached spaces through the API with the real triggers of `spacesync attach`
// (renderAttachSql): the edit lands in the app's row, the triggers bring the space and its prices in
// step in the same transaction, so the answer already shows the change and its sync is enqueued once.
// Read-only fields change nothing; deleting archives; after a detach the spaces are edited natively.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mappingSchema } from '../../src/attach/mapping.ts';
import { renderAttachSql, renderDetachSql } from '../../src/attach/renderAttachSql.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { adminToken, json, testApp } from './helpers.ts';

const db = await createTestDatabase();
const app = testApp(db.pool);
const admin = await adminToken();

await db.pool.query(`
  create table public.rooms (
    id uuid primary key default gen_random_uuid(), title text not null, city text, district text, seats integer,
    hourly_rate numeric(10,2), daily_rate numeric(10,2), is_published boolean not null default true, deleted_at timestamptz);
  create table public.listings (id bigserial primary key, label text not null, currency text not null default 'eur');
  create table public.listing_rates (
    id bigserial primary key, listing_id bigint not null references public.listings (id) on delete cascade,
    kind text not null, cents integer not null, removed_at timestamptz);
  alter table public.rooms enable row level security;
  alter table public.listings enable row level security;
  alter table public.listing_rates enable row level security;
  insert into public.rooms (title, city, district, seats, hourly_rate) values ('Salle Lumière', 'Lyon', 'Part-Dieu', 6, 25.50);
  insert into public.listings (label) values ('Loft');
  insert into public.listing_rates (listing_id, kind, cents) select id, 'daily', 40000 from public.listings;`);

const rooms = mappingSchema.parse({
  name: 'rooms', table: 'rooms', key: 'id',
  fields: { name: 'title', capacity: 'seats', location: { sql: "city || ', ' || district" }, active: 'is_published' },
  delete: { softDeleteColumn: 'deleted_at' },
  prices: { columns: [{ column: 'hourly_rate', pricingType: 'hourly', units: 'major' }, { column: 'daily_rate', pricingType: 'daily', units: 'major' }] },
});
const listings = mappingSchema.parse({
  name: 'listings', table: 'listings', key: 'id', fields: { name: 'label', currency: 'currency' },
  prices: { table: 'listing_rates', key: 'id', spaceKey: 'listing_id', pricingType: 'kind', amount: 'cents', units: 'minor', softDeleteColumn: 'removed_at' },
});
await db.pool.query(renderAttachSql(rooms, { backfill: true }));
await db.pool.query(renderAttachSql(listings, { backfill: true }));

type Price = { id: string; pricing_type: string; unit_amount: number; currency: string };
type Space = { id: string; name: string; version: number; location: string; deleted_at: string | null; prices: Price[]; source: string; editable?: Record<string, unknown>; error?: { fields?: Record<string, string> } };

async function spaceOf(source: string): Promise<Space> {
  const { rows: [r] } = await db.pool.query<{ id: string }>(`select id from spaces where source = $1`, [source]);
  const res = await app.request(`/api/spaces/${r.id}`, json('GET', undefined, admin));
  return (await res.json()) as Space;
}

async function patch(id: string, body: unknown): Promise<{ status: number; body: Space }> {
  const res = await app.request(`/api/spaces/${id}`, json('PATCH', body, admin));
  return { status: res.status, body: (await res.json()) as Space };
}

async function jobs(spaceId: string): Promise<number> {
  return (await db.pool.query(`select count(*)::int as n from graphile_worker._private_jobs where key = $1`, [`sync_space:${spaceId}`])).rows[0].n;
}

test('name and price edited through the API: the app row changes and the space follows in the same request', async () => {
  const space = await spaceOf('rooms');
  assert.equal(space.name, 'Salle Lumière');
  assert.equal(space.location, 'Lyon, Part-Dieu');
  const [hourly] = space.prices;
  assert.equal(hourly.unit_amount, 2550);
  await db.pool.query(`delete from graphile_worker._private_jobs`);

  const res = await patch(space.id, {
    name: 'Salle Soleil', location: 'Lyon, Part-Dieu',
    prices: [{ id: hourly.id, pricing_type: 'hourly', unit_amount: 3200, currency: 'eur' }, { pricing_type: 'daily', unit_amount: 15000, currency: 'eur' }],
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.name, 'Salle Soleil');
  assert.ok(res.body.version > space.version, 'a new version');
  const amounts = Object.fromEntries(res.body.prices.map((p) => [p.pricing_type, p.unit_amount]));
  assert.deepEqual(amounts, { hourly: 3200, daily: 15000 });
  assert.equal(res.body.prices.find((p) => p.pricing_type === 'hourly')?.id, hourly.id, 'the same price row, updated: the worker makes the new Stripe price');
  const { rows: [row] } = await db.pool.query(`select title, hourly_rate::text, daily_rate::text from rooms`);
  assert.deepEqual(row, { title: 'Salle Soleil', hourly_rate: '32.00', daily_rate: '150.00' });
  assert.equal(await jobs(space.id), 1, 'one sync enqueued');
});

test('a read-only field refused: neither the app row nor the space changes', async () => {
  const space = await spaceOf('rooms');
  const res = await patch(space.id, { name: 'Elsewhere', location: 'Paris' });
  assert.equal(res.status, 400);
  assert.match(res.body.error?.fields?.location ?? '', /computed by the expression city \|\| ', ' \|\| district over public\.rooms/);
  const after = await spaceOf('rooms');
  assert.equal(after.name, space.name);
  assert.equal(after.version, space.version);
});

test('a rates table: a new rate becomes a price, a removed one is soft-deleted and its price goes', async () => {
  const space = await spaceOf('listings');
  const [daily] = space.prices;
  assert.equal(daily.unit_amount, 40000);
  let res = await patch(space.id, { prices: [daily, { pricing_type: 'hourly', unit_amount: 6000, currency: 'eur' }] });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.prices.map((p) => [p.pricing_type, p.unit_amount]).sort(), [['daily', 40000], ['hourly', 6000]]);
  res = await patch(space.id, { prices: res.body.prices.filter((p) => p.pricing_type === 'hourly') });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.prices.map((p) => p.pricing_type), ['hourly']);
  const { rows } = await db.pool.query(`select kind, removed_at is not null as removed from listing_rates order by id`);
  assert.deepEqual(rows, [{ kind: 'daily', removed: true }, { kind: 'hourly', removed: false }]);
});

test('DELETE sets the app’s soft-delete column and the space is archived; the app row stays', async () => {
  const space = await spaceOf('rooms');
  const res = await app.request(`/api/spaces/${space.id}`, json('DELETE', undefined, admin));
  assert.equal(res.status, 200);
  assert.ok(((await res.json()) as Space).deleted_at, 'the space is deleted (its product will be archived)');
  const { rows } = await db.pool.query(`select deleted_at is not null as deleted from rooms`);
  assert.deepEqual(rows, [{ deleted: true }]);
});

test('a rates table with its own currency, billing and active columns, in major units: each is written where it is mapped', async () => {
  await db.pool.query(`
    create table public.halls (id uuid primary key default gen_random_uuid(), title text not null);
    create table public.hall_rates (
      id uuid primary key default gen_random_uuid(), hall_id uuid not null references public.halls (id) on delete cascade,
      period text not null, amount numeric(10,2) not null, currency text not null default 'eur',
      billing_interval text, active boolean not null default true, unique (hall_id, period));
    insert into public.halls (title) values ('Hall B');
    insert into public.hall_rates (hall_id, period, amount) select id, 'daily', 400.00 from public.halls;`);
  await db.pool.query(renderAttachSql(mappingSchema.parse({
    name: 'halls', table: 'halls', key: 'id', fields: { name: 'title' },
    prices: { table: 'hall_rates', key: 'id', spaceKey: 'hall_id', pricingType: 'period', amount: 'amount', units: 'major', currency: 'currency', recurringInterval: 'billing_interval', active: 'active' },
  }), { backfill: true }));
  const space = await spaceOf('halls');
  const [daily] = space.prices;
  let res = await patch(space.id, {
    prices: [
      { ...daily, unit_amount: 45000, currency: 'chf', active: false },
      { pricing_type: 'monthly', unit_amount: 120000, currency: 'eur', recurring_interval: 'month' },
    ],
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const rates = async () => (await db.pool.query(`select period, amount::text, currency, billing_interval, active from hall_rates order by period`)).rows;
  assert.deepEqual(await rates(), [
    { period: 'daily', amount: '450.00', currency: 'chf', billing_interval: null, active: false },
    { period: 'monthly', amount: '1200.00', currency: 'eur', billing_interval: 'month', active: true },
  ]);
  const prices = Object.fromEntries(res.body.prices.map((p) => [p.pricing_type, p]));
  assert.equal(prices.daily?.unit_amount, 45000);
  assert.equal(prices.daily?.currency, 'chf');
  assert.equal(prices.monthly?.unit_amount, 120000);

  // Another rate of a period the hall already has (in another currency, which the catalog allows):
  // the app's own unique key refuses it, and nothing is written.
  res = await patch(space.id, { prices: [...res.body.prices, { pricing_type: 'monthly', unit_amount: 1000, currency: 'usd', recurring_interval: 'month' }] });
  assert.equal(res.status, 409, JSON.stringify(res.body));
  assert.equal((await rates()).length, 2);
  const error = (res.body as { error?: { message?: string } }).error;
  assert.match(error?.message ?? '', /the app’s own table public\.hall_rates refused the change: .*\(Key \(hall_id, period\)=\(.*, monthly\) already exists\.\)/);

  // Left out of the list, with no soft-delete column: the rates row is deleted.
  res = await patch(space.id, { prices: (await spaceOf('halls')).prices.filter((p) => p.pricing_type === 'monthly') });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual((await rates()).map((r) => r.period), ['monthly']);
  assert.deepEqual(res.body.prices.map((p) => p.pricing_type), ['monthly']);
});

test('adopting Stripe’s rename of an attached space renames the app’s row; a read-only field refuses it', async () => {
  const { rows: [r] } = await db.pool.query<{ id: string }>(`insert into rooms (title, seats) values ('Salle Jacquard', 4) returning id`);
  const { rows: [s] } = await db.pool.query<{ id: string }>(`select id from spaces where source = 'rooms' and source_key = $1`, [r.id]);
  const drift = (fields: unknown[]) => JSON.stringify({ object: 'product', fields });
  await db.pool.query(`update spaces set drift = $2, sync_status = 'drift' where id = $1`, [s.id, drift([{ field: 'name', catalog: 'Salle Jacquard', stripe: 'Salle Jacquard (Stripe)' }])]);
  const res = await app.request(`/api/spaces/${s.id}/drift`, json('POST', { action: 'adopt' }, admin));
  assert.equal(res.status, 202, await res.clone().text());
  assert.equal((await db.pool.query(`select title from rooms where id = $1`, [r.id])).rows[0].title, 'Salle Jacquard (Stripe)');
  assert.equal((await db.pool.query(`select name from spaces where id = $1`, [s.id])).rows[0].name, 'Salle Jacquard (Stripe)');

  await db.pool.query(`update spaces set drift = $2, sync_status = 'drift' where id = $1`, [s.id, drift([{ field: 'description', catalog: null, stripe: 'Set in Stripe' }])]);
  const refused = await app.request(`/api/spaces/${s.id}/drift`, json('POST', { action: 'adopt' }, admin));
  assert.equal(refused.status, 400);
  assert.match(((await refused.json()) as { error: { fields: Record<string, string> } }).error.fields.description, /description is read-only here/);
  assert.equal((await db.pool.query(`select description from spaces where id = $1`, [s.id])).rows[0].description, null, 'nothing adopted');
});

test('after a detach the spaces are edited like native ones and the app’s rows are left alone', async () => {
  await db.pool.query(renderDetachSql('listings'));
  const space = await spaceOf('listings');
  assert.equal(space.editable, undefined);
  const res = await patch(space.id, { name: 'Loft (kept)' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.name, 'Loft (kept)');
  assert.equal((await db.pool.query(`select label from listings`)).rows[0].label, 'Loft');
});
