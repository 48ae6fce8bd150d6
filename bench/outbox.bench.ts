// The transactional outbox's cost: an update with and without the enqueue trigger (10,000 updates
// each), and commit → job picked up by a listening graphile-worker, p50/p99 over 1,000 edits.
import { run } from 'graphile-worker';
import { Logger } from 'graphile-worker';
import { startBenchDatabase } from './db.ts';
import { round, summarize, writeReport } from './lib.ts';

const UPDATES = 10_000;
const SPACES = 1_000;
const EDITS = 1_000;

const db = await startBenchDatabase();
const { pool } = db;
await pool.query(`insert into spaces (name) select 'Space ' || i from generate_series(1, $1) i`, [SPACES]);
const ids: string[] = (await pool.query('select id from spaces order by id')).rows.map((r) => r.id);

async function timeUpdates(label: string): Promise<number> {
  const client = await pool.connect();
  try {
    // Warm up plans and caches.
    for (let i = 0; i < 200; i++) await client.query('update spaces set capacity = $2 where id = $1', [ids[i % SPACES], 1 + (i % 50)]);
    const started = performance.now();
    for (let i = 0; i < UPDATES; i++) {
      await client.query('update spaces set capacity = $2 where id = $1', [ids[i % SPACES], 1 + ((i + 7) % 97)]);
    }
    const us = ((performance.now() - started) * 1000) / UPDATES;
    console.log(`${label}: ${us.toFixed(1)} µs per update`);
    return us;
  } finally {
    client.release();
  }
}

await pool.query('alter table spaces disable trigger _900_enqueue_sync');
const without = await timeUpdates('without the enqueue trigger');
await pool.query('alter table spaces enable trigger _900_enqueue_sync');
const withTrigger = await timeUpdates('with the enqueue trigger');
await pool.query('delete from graphile_worker._private_jobs');

// Commit → job started by a listening worker.
const committedAt = new Map<string, number>();
const waiters = new Map<string, (ms: number) => void>();
const runner = await run({
  pgPool: pool,
  concurrency: 1,
  noHandleSignals: true,
  pollInterval: 60_000, // wake-ups come from LISTEN/NOTIFY, not polling
  logger: new Logger(() => () => {}),
  taskList: {
    sync_space: async (payload) => {
      const id = (payload as { space_id: string }).space_id;
      const t0 = committedAt.get(id);
      if (t0 !== undefined) waiters.get(id)?.(performance.now() - t0);
    },
  },
});
const latencies: number[] = [];
for (let i = 0; i < EDITS; i++) {
  const id = ids[i % SPACES];
  const seen = new Promise<number>((resolve) => waiters.set(id, resolve));
  const client = await pool.connect();
  await client.query('begin');
  await client.query('update spaces set name = $2 where id = $1', [id, `Edited ${i}`]);
  committedAt.set(id, performance.now());
  await client.query('commit');
  client.release();
  latencies.push(await seen);
  waiters.delete(id);
}
await runner.stop();
const s = summarize(latencies);

writeReport({
  name: 'outbox',
  description: `enqueue trigger cost over ${UPDATES} autocommit updates, and commit → job started by a listening worker over ${EDITS} edits (Postgres ${db.postgresVersion})`,
  rows: [
    { measure: 'update without enqueue trigger', value: round(without, 1), unit: 'µs/update' },
    { measure: 'update with enqueue trigger', value: round(withTrigger, 1), unit: 'µs/update' },
    { measure: 'trigger overhead', value: round(withTrigger - without, 1), unit: 'µs/update' },
    { measure: 'commit → job started, p50', value: round(s.p50, 2), unit: 'ms' },
    { measure: 'commit → job started, p99', value: round(s.p99, 2), unit: 'ms' },
    { measure: 'commit → job started, max', value: round(s.max, 2), unit: 'ms' },
  ],
  details: { updates: UPDATES, spaces: SPACES, edits: EDITS, postgres: db.postgresVersion },
});
await db.stop();
