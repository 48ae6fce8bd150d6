// Bursts cost what they change: 100 edits to one space in about 300 ms (one transaction each: its
// name, and the amounts of its 3 prices in turn) with a worker running, then the single edit of a
// quiet space, edit committed → Stripe holds it (alternating blocks against the peer below with a
// per-process limiter, so both see the same load).
//
// Each burst is run twice in the same process tree: with spacesync's scheduling (edits that follow a
// sync wait for the settle window), and with the peer "every edit queued at once" (add_job in
// 'replace' mode, the scheduling before the settle window), on fresh spaces each time. Counted:
// syncs (sync.finished/failed/retry logs), Stripe requests (emulator log), Stripe prices created for
// each price row. Single edits: t0 before COMMIT, t1 in the emulator's store write hook.
import { createPool, type Pool } from '../src/db/pool.ts';
import { startEmulator } from '../src/emulator/index.ts';
import { createStripeClient } from '../src/stripe/createStripeClient.ts';
import { createRateLimiter, type RateLimiter } from '../src/stripe/rateLimiter.ts';
import { createStripeBudget } from '../src/sync/stripeBudget.ts';
import { startWorker } from '../src/sync/worker.ts';
import { startBenchDatabase } from './db.ts';
import { figure, round, summarize, writeReport, type Row, type Figure } from './lib.ts';

const EDITS = 100;
const BURST_MS = 300;
const BURSTS = Number(process.env.BENCH_BURSTS ?? 5);
const SINGLE_EDITS = Number(process.env.BENCH_SINGLE_EDITS ?? 200);

const db = await startBenchDatabase({ poolSize: 20 });
const { pool } = db;
const editPool = createPool(db.url, { max: 16 });
const emu = await startEmulator({ port: 0 });
const stripe = createStripeClient({ apiUrl: emu.url, maxNetworkRetries: 2 });
// The worker's limiter: the shared budget (ours), or for the peer runs the per-process limiter.
const budget = createStripeBudget(pool, { ratePerSecond: 90 });
const local = createRateLimiter({ ratePerSecond: 90 });
let usePeer = false;
const limiter: RateLimiter = {
  ratePerSecond: 90,
  get admitted() {
    return budget.admitted + local.admitted;
  },
  acquire: (signal) => (usePeer ? local.acquire(signal) : budget.acquire(signal)),
  reserve: () => (usePeer ? undefined : budget.reserve()),
};
const worker = await startWorker({ pool, stripe, limiter, config: { stripeRateLimit: 90, workerConcurrency: 4, driftPolicy: 'enforce' } });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitIdle(spaceIds: string[], timeoutMs = 30_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query(
      `select (select count(*) from graphile_worker._private_jobs)::int as jobs,
              (select count(*) from spaces where id = any($1::uuid[]) and (sync_status <> 'synced' or synced_version is distinct from version))::int as busy`,
      [spaceIds],
    );
    if (rows[0].jobs === 0 && rows[0].busy === 0) return;
    if (performance.now() > until) throw new Error(`not idle after ${timeoutMs} ms: ${JSON.stringify(rows[0])}`);
    await sleep(2);
  }
}

async function newSyncedSpace(name: string): Promise<{ id: string; priceIds: string[] }> {
  const { rows } = await pool.query(`insert into spaces (name) values ($1) returning id`, [name]);
  const id = rows[0].id as string;
  const prices = await pool.query(
    `insert into space_prices (space_id, pricing_type, unit_amount, currency, recurring_interval)
     values ($1, 'hourly', 2000, 'eur', null), ($1, 'daily', 9000, 'eur', null), ($1, 'monthly', 150000, 'eur', 'month') returning id`,
    [id],
  );
  await waitIdle([id]);
  return { id, priceIds: prices.rows.map((r) => r.id as string) };
}

// The peer: every edit queues its sync at once (job_key 'replace' mode), as before the settle window.
const ourScheduling = (await pool.query(`select pg_get_functiondef('public.spacesync_enqueue_sync(uuid)'::regprocedure) as def`)).rows[0].def as string;
async function useImmediateScheduling(p: Pool): Promise<void> {
  await p.query(`
    create or replace function public.spacesync_enqueue_sync(space_id uuid) returns void
      language plpgsql volatile security definer set search_path = pg_catalog, public
      as $$
      begin
        perform graphile_worker.add_job('sync_space', json_build_object('space_id', space_id),
          job_key => 'sync_space:' || space_id::text, max_attempts => 25);
      end
      $$`);
}

interface BurstResult {
  syncs: number;
  calls: number;
  pricesPerRow: number[];
  ms: number;
  settledMs: number;
}

async function burst(label: string, i: number): Promise<BurstResult> {
  const { id, priceIds } = await newSyncedSpace(`${label} ${i}`);
  const logBefore = (await pool.query(`select coalesce(max(id), 0) as id from application_logs`)).rows[0].id as number;
  await fetch(`${emu.url}/_emulator/requests`, { method: 'DELETE' });
  // Each edit is sent at its time, without waiting for the one before (a loaded machine would
  // otherwise stretch the burst): edits of one row still commit one after the other.
  const t0 = performance.now();
  const sent: Array<Promise<unknown>> = [];
  for (let e = 0; e < EDITS; e++) {
    const due = t0 + (e * BURST_MS) / EDITS;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    if (e % 2 === 0) sent.push(editPool.query(`update spaces set name = $2 where id = $1`, [id, `${label} ${i} edit ${e}`]));
    else sent.push(editPool.query(`update space_prices set unit_amount = $2 where id = $1`, [priceIds[(e >> 1) % 3], 1000 + e]));
  }
  await Promise.all(sent);
  const ms = performance.now() - t0;
  await waitIdle([id]);
  const settledMs = performance.now() - t0;
  const syncs = (
    await pool.query(`select count(*)::int as n from application_logs where id > $1 and space_id = $2 and event in ('sync.finished', 'sync.failed', 'sync.retry')`, [logBefore, id])
  ).rows[0].n as number;
  const log = ((await (await fetch(`${emu.url}/_emulator/requests`)).json()) as { requests: Array<{ method: string; path: string; params: { metadata?: Record<string, string> } }> }).requests;
  const created = new Map<string, number>(priceIds.map((p) => [p, 0]));
  for (const r of log) {
    const row = r.params?.metadata?.space_price_id;
    if (r.method === 'POST' && r.path === '/v1/prices' && row && created.has(row)) created.set(row, (created.get(row) ?? 0) + 1);
  }
  return { syncs, calls: log.length, pricesPerRow: [...created.values()], ms, settledMs };
}

async function bursts(label: string): Promise<BurstResult[]> {
  const out: BurstResult[] = [];
  for (let i = 0; i < BURSTS; i++) out.push(await burst(label, i));
  return out;
}

// Warm up (connections, JIT).
await burst('Warm-up', 0);

const ours = await bursts('Coalesced');
await useImmediateScheduling(pool);
const peer = await bursts('Immediate');
await pool.query(ourScheduling);

// ---- single edits of quiet spaces -------------------------------------------------------------
const QUIET = 40;
const quiet: string[] = [];
for (let i = 0; i < QUIET; i++) quiet.push((await newSyncedSpace(`Quiet ${i}`)).id);
await sleep(600); // every one of them synced more than a settle window ago
let expect: { name: string; resolve: (t: number) => void } | null = null;
const store = emu.emulator.store;
store.onWrite = () => {
  if (expect === null) return;
  for (const p of store.products.values()) {
    if (p.name === expect.name) {
      const r = expect.resolve;
      expect = null;
      r(performance.now());
      return;
    }
  }
};
const lastEdit = new Map<string, number>();
const samples: number[] = [];
const peerSamples: number[] = [];
const client = await pool.connect();
// Blocks of 20 edits, alternately with spacesync's scheduling and budget and with the peer
// (immediate scheduling, a per-process limiter), so both see the same machine load.
for (let i = 0; i < 2 * SINGLE_EDITS; i++) {
  const peerBlock = Math.floor(i / 20) % 2 === 1;
  if (peerBlock !== usePeer) {
    usePeer = peerBlock;
    if (usePeer) await useImmediateScheduling(pool);
    else await pool.query(ourScheduling);
  }
  const id = quiet[i % QUIET];
  // A quiet space: its last sync more than a settle window (500 ms) ago.
  const since = performance.now() - (lastEdit.get(id) ?? -Infinity);
  if (since < 650) await sleep(650 - since);
  const name = `Single ${i}`;
  const applied = new Promise<number>((resolve) => (expect = { name, resolve }));
  await client.query('begin');
  await client.query(`update spaces set name = $2 where id = $1`, [id, name]);
  const t0 = performance.now();
  await client.query('commit');
  (usePeer ? peerSamples : samples).push((await applied) - t0);
  await waitIdle([id]);
  lastEdit.set(id, performance.now());
}
await pool.query(ourScheduling);
client.release();
await worker.stop();
await budget.close();
await editPool.end();

const maxOf = (rs: BurstResult[], f: (r: BurstResult) => number) => Math.max(...rs.map(f));
const meanOf = (rs: BurstResult[], f: (r: BurstResult) => number) => rs.reduce((s, r) => s + f(r), 0) / rs.length;
const oursSyncs = maxOf(ours, (r) => r.syncs);
const oursPrices = maxOf(ours, (r) => Math.max(...r.pricesPerRow));
const peerSyncs = meanOf(peer, (r) => r.syncs);
const peerPrices = meanOf(peer, (r) => Math.max(...r.pricesPerRow));
const single = summarize(samples);
const peerSingle = summarize(peerSamples);

const rows: Row[] = [
  { case: `burst: ${EDITS} edits in ${BURST_MS} ms, ${BURSTS} runs`, measure: 'syncs (most of any run)', value: oursSyncs, peer: round(peerSyncs, 1), aim: '≤ 2' },
  { case: 'burst', measure: 'Stripe prices created for one price row (most)', value: oursPrices, peer: round(peerPrices, 1), aim: '≤ 2' },
  { case: 'burst', measure: 'Stripe requests (mean)', value: round(meanOf(ours, (r) => r.calls), 1), peer: round(meanOf(peer, (r) => r.calls), 1), aim: null },
  { case: 'burst', measure: 'burst sent in (ms, mean)', value: round(meanOf(ours, (r) => r.ms), 0), peer: round(meanOf(peer, (r) => r.ms), 0), aim: '≈ 300' },
  { case: 'burst', measure: 'last edit in Stripe after the first (ms, mean)', value: round(meanOf(ours, (r) => r.settledMs), 0), peer: round(meanOf(peer, (r) => r.settledMs), 0), aim: null },
  { case: `single edit of a quiet space, ${SINGLE_EDITS} edits`, measure: 'committed → in Stripe p50 (ms)', value: round(single.p50, 2), peer: round(peerSingle.p50, 2), aim: '≤ 5' },
  { case: 'single edit', measure: 'p99 (ms)', value: round(single.p99, 2), peer: round(peerSingle.p99, 2), aim: null },
  { case: 'single edit', measure: 'mean (ms)', value: round(single.mean, 2), peer: round(peerSingle.mean, 2), aim: null },
];
const figures: Figure[] = [
  figure('syncs for a 100-edit burst', oursSyncs, 'syncs', 'lower', { kind: 'limit', name: 'at most 2', value: 2 }),
  figure('syncs for a 100-edit burst, against every edit queued at once', oursSyncs, 'syncs', 'lower', { kind: 'peer', name: 'every edit queued at once (add_job replace)', value: round(peerSyncs, 1) }),
  figure('Stripe prices created per price row in a burst', oursPrices, 'prices', 'lower', { kind: 'limit', name: 'at most 2', value: 2 }),
  figure('Stripe prices created per price row, against every edit queued at once', oursPrices, 'prices', 'lower', { kind: 'peer', name: 'every edit queued at once (add_job replace)', value: round(peerPrices, 1) }),
  figure('single edit of a quiet space, committed → in Stripe, p50', round(single.p50, 2), 'ms', 'lower', { kind: 'limit', name: 'at most 5 ms', value: 5 }),
  figure('single edit of a quiet space, p50, against immediate scheduling and a per-process limiter', round(single.p50, 2), 'ms', 'lower', { kind: 'peer', name: 'immediate scheduling, per-process limiter (same run, alternating blocks)', value: round(peerSingle.p50, 2) }),
  figure('single edit of a quiet space, committed → in Stripe, p99', round(single.p99, 2), 'ms', 'lower', { kind: 'peer', name: 'immediate scheduling, per-process limiter (same run, alternating blocks)', value: round(peerSingle.p99, 2) }),
];
const report = {
  name: 'sync-burst',
  description: `${EDITS} edits to one space in ${BURST_MS} ms (one transaction each) with a worker running, against every edit queued at once; single edits of quiet spaces (Postgres ${db.postgresVersion})`,
  rows,
  figures,
  details: { ours, peer, single: { n: single.n, p50: single.p50, p99: single.p99, max: single.max }, peerSingle: { n: peerSingle.n, p50: peerSingle.p50, p99: peerSingle.p99, max: peerSingle.max }, settleWindowMs: 500 },
};
writeReport(report);
await emu.stop();
await db.stop();
process.exit(0);
