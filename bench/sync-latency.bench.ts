// Edit committed → Stripe updated, over 500 renames, with a real graphile-worker (default poll
// interval: wake-ups come from LISTEN/NOTIFY) and the emulator at 0 ms latency, in one process.
//
// How it is measured, without distorting it: t0 is taken just before COMMIT is sent (so the commit
// itself is included); t1 is taken inside the emulator's store write hook when the product gets the
// new name — the moment Stripe holds the change, before its HTTP answer is even sent back. No
// polling on either side. After each edit the bench waits for the job to finish before the next.
import { startEmulator } from '../src/emulator/index.ts';
import { createStripeClient } from '../src/stripe/createStripeClient.ts';
import { startWorker } from '../src/sync/worker.ts';
import { syncSpace } from '../src/sync/syncSpace.ts';
import { createStripeGateway } from '../src/stripe/stripeGateway.ts';
import { startBenchDatabase } from './db.ts';
import { round, summarize, writeReport } from './lib.ts';

const EDITS = 500;
const SPACES = 100;
// A space edited less than the settle window (500 ms) after its last sync waits for the window to
// close (bursts are coalesced): each edit here is of a quiet space, its last edit 650 ms ago or more.
const QUIET_MS = 650;
const lastEdit = new Map<string, number>();
const db = await startBenchDatabase({ poolSize: 20 });
const { pool } = db;
const emu = await startEmulator({ port: 0 });
const stripe = createStripeClient({ apiUrl: emu.url, maxNetworkRetries: 2 });

// Spaces with 2 prices each, created in Stripe beforehand.
const ids: string[] = [];
const setupGateway = createStripeGateway({ stripe, ratePerSecond: 100_000 });
for (let i = 0; i < SPACES; i++) {
  const { rows } = await pool.query(`insert into spaces (name) values ($1) returning id`, [`Latency ${i}`]);
  const id = rows[0].id as string;
  await pool.query(`insert into space_prices (space_id, pricing_type, unit_amount, currency) values ($1, 'hourly', 2000, 'eur'), ($1, 'daily', 9000, 'eur')`, [id]);
  await syncSpace({ pool, gateway: setupGateway }, { spaceId: id });
  ids.push(id);
}
await pool.query(`delete from graphile_worker._private_jobs`);

let expect: { name: string; resolve: (t: number) => void } | null = null;
const store = emu.emulator.store;
store.onWrite = () => {
  if (expect === null) return;
  const name = expect.name;
  // The write just made: is it a product now named as expected? (O(products) scan avoided: check the newest update.)
  for (const p of store.products.values()) {
    if (p.name === name) {
      const r = expect.resolve;
      expect = null;
      r(performance.now());
      return;
    }
  }
};

const worker = await startWorker({ pool, stripe, config: { stripeRateLimit: 90, workerConcurrency: 4, driftPolicy: 'enforce' } });
// Warm up (connections, JIT).
for (let i = 0; i < 20; i++) {
  await pool.query(`update spaces set name = $2 where id = $1`, [ids[i % SPACES], `warm ${i}`]);
}
await waitIdle();

const samples: number[] = [];
const client = await pool.connect();
for (let i = 0; i < EDITS; i++) {
  const id = ids[i % SPACES];
  const since = performance.now() - (lastEdit.get(id) ?? -Infinity);
  if (since < QUIET_MS) await new Promise((r) => setTimeout(r, QUIET_MS - since));
  const name = `Renamed ${i}`;
  const applied = new Promise<number>((resolve) => (expect = { name, resolve }));
  await client.query('begin');
  await client.query(`update spaces set name = $2 where id = $1`, [id, name]);
  const t0 = performance.now();
  await client.query('commit');
  samples.push((await applied) - t0);
  await waitIdle();
  lastEdit.set(id, performance.now());
}
client.release();

async function waitIdle(): Promise<void> {
  for (;;) {
    const { rows } = await pool.query(`select (select count(*) from graphile_worker._private_jobs)::int as jobs, (select count(*) from spaces where sync_status <> 'synced')::int as busy`);
    if (rows[0].jobs === 0 && rows[0].busy === 0) return;
    await new Promise((r) => setTimeout(r, 1));
  }
}

await worker.stop();
const s = summarize(samples);
writeReport({
  name: 'sync-latency',
  description: `edit committed → emulator holds the new name, ${EDITS} renames, graphile-worker (LISTEN/NOTIFY, default poll interval), emulator at 0 ms latency, same process (Postgres ${db.postgresVersion})`,
  rows: [
    { measure: 'p50', value: round(s.p50, 2), unit: 'ms', aim: '≤ 20' },
    { measure: 'p99', value: round(s.p99, 2), unit: 'ms', aim: '≤ 60' },
    { measure: 'mean', value: round(s.mean, 2), unit: 'ms', aim: null },
    { measure: 'max', value: round(s.max, 2), unit: 'ms', aim: null },
  ],
  details: { edits: EDITS, spaces: SPACES, method: 't0 before COMMIT is sent; t1 in the emulator store write hook when the product has the new name' },
});
await emu.stop();
await db.stop();
