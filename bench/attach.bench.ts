// What attaching an app's table costs: an app's update of its own row with the attach trigger (which
// writes the space, bumps its version, queues its sync) against the same edit made on a native
// space, and the backfill's rate over 2,000 existing rows with two price columns against inserting
// the same spaces and prices natively, in transactions of the same size.
import { startBenchDatabase } from './db.ts';
import { figure, round, writeReport } from './lib.ts';
import { attachSource } from '../src/attach/attachSource.ts';
import { backfill } from '../src/attach/backfill.ts';
import { mappingSchema } from '../src/attach/mapping.ts';

const ROWS = 2_000;
const UPDATES = 2_000;
const BATCH = 500;

const db = await startBenchDatabase();
const { pool } = db;
await pool.query(`
  create table public.rooms (
    id bigint generated always as identity primary key,
    title text not null, city text, seats integer,
    hourly_rate numeric(10, 2), day_rate numeric(10, 2),
    is_published boolean not null default true, deleted_at timestamptz
  );
  insert into public.rooms (title, city, seats, hourly_rate, day_rate)
  select 'Room ' || i, 'City ' || (i % 50), 1 + i % 30, 10 + i % 90, 100 + i % 400 from generate_series(1, ${ROWS}) i;
  insert into public.spaces (name) select 'Space ' || i from generate_series(1, 1000) i;`);
const mapping = mappingSchema.parse({
  name: 'rooms', table: 'rooms', key: 'id',
  fields: { name: 'title', location: 'city', capacity: 'seats', active: 'is_published' },
  delete: { softDeleteColumn: 'deleted_at' },
  prices: { columns: [{ column: 'hourly_rate', pricingType: 'hourly', units: 'major' }, { column: 'day_rate', pricingType: 'daily', units: 'major' }] },
});

async function timeUpdates(sql: string, keys: unknown[]): Promise<number> {
  const client = await pool.connect();
  try {
    for (let i = 0; i < 200; i++) await client.query(sql, [keys[i % keys.length], `Warm ${i}`]);
    const started = performance.now();
    for (let i = 0; i < UPDATES; i++) await client.query(sql, [keys[i % keys.length], `Edit ${i}`]);
    return ((performance.now() - started) * 1000) / UPDATES;
  } finally {
    client.release();
  }
}

const roomIds = (await pool.query(`select id from rooms order by id limit 1000`)).rows.map((r) => r.id);
const spaceIds = (await pool.query(`select id from spaces order by id`)).rows.map((r) => r.id);
const plain = await timeUpdates(`update rooms set title = $2 where id = $1`, roomIds);

await attachSource(pool, mapping);
const started = performance.now();
const result = await backfill(pool, mapping, { batchSize: BATCH });
const backfillMs = performance.now() - started;
const rate = (result.rows * 1000) / backfillMs;
await pool.query('delete from graphile_worker._private_jobs');

// The same catalog rows written natively: a space and its two prices per row, BATCH rows a transaction.
const nativeStarted = performance.now();
for (let from = 1; from <= ROWS; from += BATCH) {
  await pool.query(
    `do $$
     declare
       r record;
       sid uuid;
     begin
       for r in select * from rooms where id between ${from} and ${from + BATCH - 1} loop
         insert into spaces (name, location, capacity, active) values (r.title, r.city, r.seats, r.is_published) returning id into sid;
         insert into space_prices (space_id, pricing_type, unit_amount, currency, position)
         values (sid, 'hourly', (r.hourly_rate * 100)::bigint, 'eur', 0), (sid, 'daily', (r.day_rate * 100)::bigint, 'eur', 1);
       end loop;
     end $$`,
  );
}
const nativeRate = (ROWS * 1000) / (performance.now() - nativeStarted);
await pool.query('delete from graphile_worker._private_jobs');

const attached = await timeUpdates(`update rooms set title = $2 where id = $1`, roomIds);
await pool.query('delete from graphile_worker._private_jobs');
const native = await timeUpdates(`update spaces set name = $2 where id = $1`, spaceIds);

writeReport({
  name: 'attach',
  description: `an app's update of its own row with and without the attach trigger, against the same edit of a native space (${UPDATES} autocommit updates each), and the backfill of ${ROWS} rows with two price columns against native inserts of the same (Postgres ${db.postgresVersion}; a shared, loaded machine)`,
  rows: [
    { measure: 'app update, not attached', value: round(plain, 1), unit: 'µs/update' },
    { measure: 'app update, attached (space written, version, job)', value: round(attached, 1), unit: 'µs/update' },
    { measure: 'native space update (version, job)', value: round(native, 1), unit: 'µs/update' },
    { measure: 'backfill', value: round(rate, 0), unit: 'rows/s' },
    { measure: 'native inserts of the same spaces and prices', value: round(nativeRate, 0), unit: 'rows/s' },
    { measure: 'backfill spaces created', value: result.spacesCreated, unit: 'spaces' },
  ],
  figures: [
    figure('app update of an attached row (trigger writes its space)', round(attached, 1), 'µs', 'lower', { kind: 'peer', name: 'the same edit of a native space', value: round(native, 1) }),
    figure('attach backfill', round(rate, 0), 'rows/s', 'higher', { kind: 'peer', name: 'inserting the same spaces and prices natively', value: round(nativeRate, 0) }),
  ],
  details: { rows: ROWS, updates: UPDATES, backfillMs: round(backfillMs, 0) },
});
await db.stop();
