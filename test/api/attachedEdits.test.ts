// Edits of attached spaces through the API: they land in the app's own rows (rooms with price columns,
// venues with a rates table), never in `spaces` directly; read-only fields are refused with the field
// and the reason; deleting sets the soft-delete column or deletes the row; a detached source's spaces
// are edited like native ones. The spaces here are linked to the app's rows by hand (no triggers), so
// every assertion is about what reached the app's tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mappingSchema, type MappingInput } from '../../src/attach/mapping.ts';
import { currencyDecimals, STRIPE_CURRENCIES } from '../../src/catalog/index.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { adminToken, json, sign, testApp, userToken } from './helpers.ts';

const db = await createTestDatabase();
const app = testApp(db.pool);
const admin = await adminToken();
const user = await userToken();

await db.pool.query(`
  create table public.rooms (
    id bigserial primary key, title varchar(120) not null, city text, district text, seats int,
    hourly_rate numeric(10,2), daily_rate numeric(10,2), is_published boolean not null default true,
    floor text, deleted_at timestamptz);
  create table public.venues (id uuid primary key default gen_random_uuid(), label text not null, currency text not null default 'eur');
  create table public.venue_rates (
    id bigserial primary key, venue_id uuid not null references public.venues (id), kind text not null,
    cents integer not null, removed boolean not null default false);
  alter table public.rooms enable row level security;
  alter table public.venues enable row level security;
  alter table public.venue_rates enable row level security;`);

const roomsMapping: MappingInput = {
  name: 'rooms',
  table: 'public.rooms',
  key: 'id',
  fields: {
    name: 'title',
    capacity: 'seats',
    location: { sql: "city || ', ' || district" },
    active: 'is_published',
    kind: { value: 'meeting_room' },
    metadata: { floor: 'floor', city: { sql: 'city' } },
  },
  delete: { softDeleteColumn: 'deleted_at' },
  prices: { columns: [{ column: 'hourly_rate', pricingType: 'hourly', units: 'major' }, { column: 'daily_rate', pricingType: 'daily', units: 'major' }] },
};

const venuesMapping: MappingInput = {
  name: 'venues',
  table: 'venues',
  key: 'id',
  fields: { name: 'label', currency: 'currency' },
  prices: { table: 'public.venue_rates', key: 'id', spaceKey: 'venue_id', pricingType: 'kind', amount: 'cents', units: 'minor', softDeleteColumn: 'removed' },
};

async function register(mapping: MappingInput): Promise<void> {
  const parsed = mappingSchema.parse(mapping);
  await db.pool.query(`insert into spacesync_sources (name, source_table, mapping) values ($1, $2, $3)`, [parsed.name, parsed.table, JSON.stringify(parsed)]);
}
await register(roomsMapping);
await register(venuesMapping);

type Price = { id: string; pricing_type: string; unit_amount: number; currency: string; recurring_interval: string | null };
type Space = {
  id: string; name: string; kind: string; capacity: number | null; location: string | null; active: boolean; currency: string;
  metadata: Record<string, string>; source: string | null; source_key: string | null; prices: Price[];
  editable?: Record<string, true | { code: string; message: string; sql?: string }>; deleted_at: string | null;
};

/** A room row and its space linked by hand, as attach would have left them. */
async function room(title = 'Salle Lumière'): Promise<{ roomId: string; spaceId: string; hourlyId: string }> {
  const { rows: [r] } = await db.pool.query<{ id: string }>(
    `insert into rooms (title, city, district, seats, hourly_rate, floor) values ($1, 'Lyon', 'Part-Dieu', 6, 25.50, '2') returning id::text`, [title]);
  const { rows: [s] } = await db.pool.query<{ id: string }>(
    `insert into spaces (name, capacity, location, metadata, source, source_key) values ($1, 6, 'Lyon, Part-Dieu', '{"floor":"2","city":"Lyon"}', 'rooms', $2) returning id`, [title, r.id]);
  const { rows: [p] } = await db.pool.query<{ id: string }>(
    `insert into space_prices (space_id, pricing_type, unit_amount, currency, source_key) values ($1, 'hourly', 2550, 'eur', 'hourly_rate') returning id`, [s.id]);
  return { roomId: r.id, spaceId: s.id, hourlyId: p.id };
}

async function venue(): Promise<{ venueId: string; spaceId: string; rateId: string; priceId: string }> {
  const { rows: [v] } = await db.pool.query<{ id: string }>(`insert into venues (label) values ('Hall') returning id`);
  const { rows: [r] } = await db.pool.query<{ id: string }>(`insert into venue_rates (venue_id, kind, cents) values ($1, 'daily', 50000) returning id::text`, [v.id]);
  const { rows: [s] } = await db.pool.query<{ id: string }>(`insert into spaces (name, kind, source, source_key) values ('Hall', 'venue', 'venues', $1) returning id`, [v.id]);
  const { rows: [p] } = await db.pool.query<{ id: string }>(
    `insert into space_prices (space_id, pricing_type, unit_amount, currency, source_key) values ($1, 'daily', 50000, 'eur', $2) returning id`, [s.id, r.id]);
  return { venueId: v.id, spaceId: s.id, rateId: r.id, priceId: p.id };
}

async function roomRow(id: string) {
  return (await db.pool.query(`select title, seats, hourly_rate::text, daily_rate::text, is_published, floor, deleted_at from rooms where id = $1`, [id])).rows[0];
}

async function get(id: string, token?: string): Promise<Space> {
  const res = await app.request(`/api/spaces/${id}`, json('GET', undefined, token));
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as Space;
}

async function patch(id: string, body: unknown, token = admin) {
  const res = await app.request(`/api/spaces/${id}`, json('PATCH', body, token));
  return { status: res.status, body: (await res.json()) as Space & { error?: { code: string; message: string; fields?: Record<string, string> } } };
}

test('list and detail show source and source_key; the detail tells admins which fields are editable and why not', async () => {
  const { roomId, spaceId } = await room();
  const detail = await get(spaceId, admin);
  assert.equal(detail.source, 'rooms');
  assert.equal(detail.source_key, roomId);
  assert.equal(detail.editable?.name, true);
  assert.equal(detail.editable?.capacity, true);
  assert.equal(detail.editable?.prices, true);
  assert.equal(detail.editable?.['metadata.floor'], true);
  const location = detail.editable?.location;
  assert.ok(location !== true && location?.code === 'expression' && location.sql === "city || ', ' || district", JSON.stringify(location));
  assert.match(location.message, /location is read-only here: it is computed by the expression city \|\| ', ' \|\| district over public\.rooms/);
  const kind = detail.editable?.kind;
  assert.ok(kind !== true && kind?.code === 'constant', JSON.stringify(kind));
  const description = detail.editable?.description;
  assert.ok(description !== true && description?.code === 'unmapped');

  const anon = await get(spaceId);
  assert.equal(anon.source, 'rooms');
  assert.equal(anon.editable, undefined, 'the mapping is for admins only');

  const list = (await (await app.request('/api/spaces?limit=500', json('GET', undefined, admin))).json()) as { data: Space[] };
  const row = list.data.find((s) => s.id === spaceId);
  assert.equal(row?.source, 'rooms');
  assert.equal(row?.source_key, roomId);
  const native = await (await app.request('/api/spaces', json('POST', { name: 'Native room', prices: [] }, admin))).json() as Space;
  assert.equal(native.source, null);
  assert.equal((await get(native.id, admin)).editable, undefined);
});

test('PATCH of an attached space writes the app row (typed by its columns), not the space', async () => {
  const { roomId, spaceId } = await room();
  const before = (await db.pool.query(`select name, version from spaces where id = $1`, [spaceId])).rows[0];
  const res = await patch(spaceId, { name: 'Salle Soleil', capacity: 10, active: false, metadata: { floor: '3', city: 'Lyon' } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(await roomRow(roomId), { title: 'Salle Soleil', seats: 10, hourly_rate: '25.50', daily_rate: null, is_published: false, floor: '3', deleted_at: null });
  const after = (await db.pool.query(`select name, version from spaces where id = $1`, [spaceId])).rows[0];
  assert.deepEqual(after, before, 'the space itself is left to the app’s triggers');
  assert.equal(res.body.editable?.name, true, 'the answer carries editable too');
});

test('a read-only field is refused with its name and reason, and nothing is written', async () => {
  const { roomId, spaceId } = await room();
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ name: 'Changed', location: 'Paris' }, 'location', /expression city \|\| ', ' \|\| district over public\.rooms; change it in your app/],
    [{ kind: 'desk' }, 'kind', /constant "meeting_room"/],
    [{ description: 'A new text' }, 'description', /reads it from no column/],
    [{ metadata: { floor: '2', city: 'Paris' } }, 'metadata.city', /expression city/],
    [{ metadata: { floor: '2', city: 'Lyon', wifi: 'yes' } }, 'metadata.wifi', /reads it from no column/],
  ];
  for (const [body, field, reason] of cases) {
    const res = await patch(spaceId, body);
    assert.equal(res.status, 400, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error?.code, 'validation_failed');
    assert.match(res.body.error?.fields?.[field] ?? '', reason, JSON.stringify(res.body.error));
    assert.equal((await roomRow(roomId)).title, 'Salle Lumière', 'the whole edit was rolled back');
  }
});

test('the whole form sent back, read-only fields unchanged, only applies what changed', async () => {
  const { roomId, spaceId } = await room();
  const loaded = await get(spaceId, admin);
  const res = await patch(spaceId, {
    name: 'Salle Lumière 2', description: null, kind: loaded.kind, capacity: 6, location: loaded.location, images: [], currency: 'eur',
    active: true, metadata: loaded.metadata,
    prices: loaded.prices.map((p) => ({ id: p.id, pricing_type: p.pricing_type, unit_amount: p.unit_amount, currency: p.currency, recurring_interval: p.recurring_interval })),
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const row = await roomRow(roomId);
  assert.equal(row.title, 'Salle Lumière 2');
  assert.equal(row.hourly_rate, '25.50');
});

test('price columns: an amount goes in major units, a new price fills its column, a removed one clears it', async () => {
  const { roomId, spaceId, hourlyId } = await room();
  let res = await patch(spaceId, { prices: [{ id: hourlyId, pricing_type: 'hourly', unit_amount: 3000, currency: 'eur' }, { pricing_type: 'daily', unit_amount: 12050, currency: 'eur' }] });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  let row = await roomRow(roomId);
  assert.equal(row.hourly_rate, '30.00');
  assert.equal(row.daily_rate, '120.50');

  res = await patch(spaceId, { prices: [] });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  row = await roomRow(roomId);
  assert.equal(row.hourly_rate, null, 'the linked hourly price left the list: its column is cleared');

  res = await patch(spaceId, { prices: [{ pricing_type: 'weekly', unit_amount: 100, currency: 'eur' }] });
  assert.equal(res.status, 400);
  assert.match(res.body.error?.fields?.['prices.0.pricing_type'] ?? '', /public\.rooms has no free column for a weekly price \(its price columns: hourly_rate \(hourly\), daily_rate \(daily\)\)/);

  res = await patch(spaceId, { prices: [{ pricing_type: 'hourly', unit_amount: 100, currency: 'usd' }] });
  assert.equal(res.status, 400);
  assert.match(res.body.error?.fields?.['prices.0.currency'] ?? '', /space's currency \(EUR\)/);
});

test('a rates table: amounts in minor units, new rates rows inserted for the venue, removed ones soft-deleted', async () => {
  const { venueId, spaceId, rateId, priceId } = await venue();
  const res = await patch(spaceId, {
    name: 'Grand hall',
    prices: [{ id: priceId, pricing_type: 'daily', unit_amount: 60000, currency: 'eur' }, { pricing_type: 'hourly', unit_amount: 9000, currency: 'eur' }],
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal((await db.pool.query(`select label from venues where id = $1`, [venueId])).rows[0].label, 'Grand hall');
  const rates = (await db.pool.query(`select id::text, kind, cents, removed from venue_rates where venue_id = $1 order by id`, [venueId])).rows;
  assert.deepEqual(rates.map((r) => [r.kind, r.cents, r.removed]), [['daily', 60000, false], ['hourly', 9000, false]]);
  assert.equal(rates[0].id, rateId);

  const removed = await patch(spaceId, { prices: [] });
  assert.equal(removed.status, 200, JSON.stringify(removed.body));
  const after = (await db.pool.query(`select removed from venue_rates where id = $1`, [rateId])).rows[0];
  assert.equal(after.removed, true, 'the linked rate is soft-deleted (the new one was never linked)');

  const usd = await patch(spaceId, { prices: [{ id: priceId, pricing_type: 'daily', unit_amount: 60000, currency: 'usd', recurring_interval: 'month' }] });
  assert.equal(usd.status, 400);
  assert.match(usd.body.error?.fields?.['prices.0.currency'] ?? '', /public\.venue_rates has no currency column/);
});

test('DELETE sets the soft-delete column, or deletes the row when the mapping says hard', async () => {
  const { roomId, spaceId } = await room();
  const res = await app.request(`/api/spaces/${spaceId}`, json('DELETE', undefined, admin));
  assert.equal(res.status, 200, await res.clone().text());
  assert.ok((await roomRow(roomId)).deleted_at instanceof Date);
  const again = await app.request(`/api/spaces/${spaceId}`, json('DELETE', undefined, admin));
  assert.equal(again.status, 200, 'deleting twice is harmless');

  const { venueId, spaceId: venueSpace, rateId } = await venue();
  await db.pool.query(`delete from venue_rates where id = $1`, [rateId]);
  const hard = await app.request(`/api/spaces/${venueSpace}`, json('DELETE', undefined, admin));
  assert.equal(hard.status, 200, await hard.clone().text());
  assert.equal((await db.pool.query(`select count(*)::int as n from venues where id = $1`, [venueId])).rows[0].n, 0);
});

test('the app’s own constraints answer 409 with what to do', async () => {
  const { spaceId } = await venue();
  const res = await app.request(`/api/spaces/${spaceId}`, json('DELETE', undefined, admin));
  assert.equal(res.status, 409, await res.clone().text());
  assert.match(((await res.json()) as { error: { message: string } }).error.message, /the app’s own table public\.venue_rates refused the change: .*venue_rates.*make the change in your app/);
});

test('only admins: the routes answer 403 to a user, the SQL functions refuse with 42501', async () => {
  const { roomId, spaceId } = await room();
  assert.equal((await patch(spaceId, { name: 'x' }, user)).status, 403);
  assert.equal((await app.request(`/api/spaces/${spaceId}`, json('DELETE', undefined, user))).status, 403);
  const client = await db.pool.connect();
  try {
    for (const sql of [`select spacesync_edit_source_row($1, '{"name":"x"}')`, `select spacesync_delete_source_row($1)`]) {
      await client.query('begin');
      await client.query('set local role authenticated');
      await client.query(`select set_config('request.jwt.claims', '{"role":"authenticated","app_metadata":{"role":"user"}}', true)`);
      await assert.rejects(client.query(sql, [spaceId]), (e: { code?: string; message?: string }) => e.code === '42501' && /only an admin/.test(e.message ?? ''));
      await client.query('rollback');
      await client.query('begin');
      await client.query('set local role anon');
      await assert.rejects(client.query(sql, [spaceId]), (e: { code?: string; message?: string }) => e.code === '42501' && /only an admin/.test(e.message ?? ''));
      await client.query('rollback');
    }
  } finally {
    client.release();
  }
  assert.equal((await roomRow(roomId)).title, 'Salle Lumière');
});

test('a detached source’s spaces are edited like native ones; the app row is left alone', async () => {
  await register({ ...roomsMapping, name: 'old_rooms' });
  const { rows: [r] } = await db.pool.query<{ id: string }>(`insert into rooms (title) values ('Old room') returning id::text`);
  const { rows: [s] } = await db.pool.query<{ id: string }>(`insert into spaces (name, source, source_key) values ('Old room', 'old_rooms', $1) returning id`, [r.id]);
  await db.pool.query(`update spacesync_sources set detached_at = now() where name = 'old_rooms'`);
  const res = await patch(s.id, { name: 'Old room, renamed', description: 'now edited here' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.name, 'Old room, renamed');
  assert.equal(res.body.editable, undefined);
  assert.equal((await roomRow(r.id)).title, 'Old room');
});

test('POST with a source is refused: rows of an attached table are created in the app', async () => {
  const res = await app.request('/api/spaces', json('POST', { name: 'New room', source: 'rooms' }, admin));
  assert.equal(res.status, 400);
  const body = (await res.json()) as { error: { message: string; fields: Record<string, string> } };
  assert.match(body.error.message, /create rooms in your app/);
  assert.ok(body.error.fields.source);
});

test('GET /api/sources lists attached sources with their counts, for admins only', async () => {
  const res = await app.request('/api/sources', json('GET', undefined, admin));
  assert.equal(res.status, 200);
  const { data } = (await res.json()) as { data: Array<{ name: string; table: string; attached_at: string; detached_at: string | null; spaces: number; deleted: number; pending: number }> };
  const rooms = data.find((d) => d.name === 'rooms');
  const { rows: [n] } = await db.pool.query(`select count(*) filter (where deleted_at is null)::int as live, count(*) filter (where deleted_at is not null)::int as deleted from spaces where source = 'rooms'`);
  assert.equal(rooms?.table, 'public.rooms');
  assert.equal(rooms?.spaces, n.live);
  assert.equal(rooms?.deleted, n.deleted);
  assert.ok(rooms && rooms.spaces > 0 && rooms.attached_at && rooms.detached_at === null);
  assert.equal((await app.request('/api/sources', json('GET', undefined, user))).status, 403);
  const service = await sign({ role: 'service_role' });
  assert.equal((await app.request('/api/sources', json('GET', undefined, service))).status, 200, 'service_role is an admin');
  assert.equal((await app.request('/api/sources')).status, 401);
});

test('the SQL currency decimals agree with the catalog’s for every Stripe currency', async () => {
  const { rows } = await db.pool.query<{ code: string; decimals: number }>(`select c as code, spacesync_currency_decimals(c) as decimals from unnest($1::text[]) c`, [STRIPE_CURRENCIES]);
  for (const r of rows) assert.equal(r.decimals, currencyDecimals(r.code), r.code);
  const { rows: [a] } = await db.pool.query(`select spacesync_source_amount(1200, 'jpy', 'major') as jpy, spacesync_source_amount(1250, 'kwd', 'major') as kwd, spacesync_source_amount(2550, 'eur', 'minor') as minor`);
  assert.deepEqual([Number(a.jpy), Number(a.kwd), Number(a.minor)], [1200, 1.25, 2550]);
});

test('identifiers are quoted: reserved words and a $ as column and table names', async () => {
  await db.pool.query(`create table public."order" ("user" text primary key, "group" text not null, "price$" integer)`);
  await register({ name: 'orders', table: 'order', key: 'user', fields: { name: 'group' }, prices: { columns: [{ column: 'price$', pricingType: 'daily', units: 'minor' }] } });
  await db.pool.query(`insert into "order" values ('u1', 'Desk row', 700)`);
  const { rows: [s] } = await db.pool.query<{ id: string }>(`insert into spaces (name, source, source_key) values ('Desk row', 'orders', 'u1') returning id`);
  const { rows: [p] } = await db.pool.query<{ id: string }>(`insert into space_prices (space_id, pricing_type, unit_amount, currency, source_key) values ($1, 'daily', 700, 'eur', 'price$') returning id`, [s.id]);
  const res = await patch(s.id, { name: 'Desk row 2', prices: [{ id: p.id, pricing_type: 'daily', unit_amount: 800, currency: 'eur' }] });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual((await db.pool.query(`select "group", "price$" from "order"`)).rows, [{ group: 'Desk row 2', price$: 800 }]);
  assert.equal((await app.request(`/api/spaces/${s.id}`, json('DELETE', undefined, admin))).status, 200);
  assert.equal((await db.pool.query(`select count(*)::int as n from "order"`)).rows[0].n, 0, 'no soft-delete column: the row is deleted');
});

test('the reasons the detail gives are the very messages the edit is refused with', async () => {
  const { spaceId } = await room();
  const detail = await get(spaceId, admin);
  const changes: Record<string, Record<string, unknown>> = {
    location: { location: 'Paris' },
    kind: { kind: 'office' },
    description: { description: 'new' },
    images: { images: ['https://example.com/a.jpg'] },
    currency: { currency: 'usd' },
    'metadata.city': { metadata: { ...detail.metadata, city: 'Paris' } },
  };
  for (const [field, body] of Object.entries(changes)) {
    const reason = detail.editable?.[field];
    assert.ok(reason && reason !== true, `${field} is read-only`);
    const res = await patch(spaceId, body);
    assert.equal(res.status, 400, field);
    assert.equal(res.body.error?.fields?.[field], reason.message, field);
  }
});

test('spacesync_edit_source_row says what it changed, and an unchanged form changes nothing', async () => {
  const { roomId, spaceId } = await room();
  const { venueId, spaceId: venueSpace } = await venue();
  const asAdmin = async (id: string, changes: unknown): Promise<{ changed: string[] }> => {
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await client.query('set local role authenticated');
      await client.query(`select set_config('request.jwt.claims', '{"role":"authenticated","app_metadata":{"role":"admin"}}', true)`);
      const { rows: [r] } = await client.query(`select spacesync_edit_source_row($1, $2::jsonb) as result`, [id, JSON.stringify(changes)]);
      await client.query('commit');
      return r.result;
    } finally {
      client.release();
    }
  };
  const before = (await db.pool.query(`select xmin::text from rooms where id = $1`, [roomId])).rows[0].xmin;
  for (const id of [spaceId, venueSpace]) {
    const s = await get(id, admin);
    const same = await asAdmin(id, { name: s.name, kind: s.kind, capacity: s.capacity, location: s.location, active: s.active, metadata: s.metadata, prices: s.prices });
    assert.deepEqual(same.changed, [], 'nothing differs: nothing written');
  }
  assert.equal((await db.pool.query(`select xmin::text from rooms where id = $1`, [roomId])).rows[0].xmin, before, 'the app row was not even touched');
  const venueRow = await get(venueSpace, admin);
  const r = await asAdmin(venueSpace, { name: 'Hall 2', prices: venueRow.prices.map((p) => ({ ...p, unit_amount: p.unit_amount + 100 })) });
  assert.deepEqual(r.changed, ['name', 'prices']);
  assert.equal((await db.pool.query(`select label from venues where id = $1`, [venueId])).rows[0].label, 'Hall 2');
});
