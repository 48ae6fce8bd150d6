// Catalog sync at scale.
//  A. Apply: 2,000 new spaces × 3 prices against an emulator enforcing Stripe's 100 requests/s,
//     the gateway's limiter at RATE/s: achieved request rate ÷ 100, 429s, failed syncs.
//  B. No-op: 10,000 spaces × 3 prices already in Stripe: list calls, time and peak RSS of a catalog
//     sync that finds nothing to do (measured in a fresh child process, so setup does not count).
// Setup goes through the engine itself with no rate limit (HTTP to the emulator), which is fast.
import { fileURLToPath } from 'node:url';
import { createPool } from '../src/db/pool.ts';
import { startEmulator } from '../src/emulator/index.ts';
import { createStripeClient } from '../src/stripe/createStripeClient.ts';
import { createStripeGateway } from '../src/stripe/stripeGateway.ts';
import { syncCatalog } from '../src/sync/syncCatalog.ts';
import { startBenchDatabase } from './db.ts';
import { round, writeReport, type Row } from './lib.ts';

const STRIPE_LIMIT = 100;
// 97/s: a little under the limit so network jitter rarely pushes a request into a full window
// (at 100/s, about 3% of requests are refused and retried, and fewer are accepted per second).
const RATE = Number(process.env.BENCH_GATEWAY_RATE ?? 97);

async function insertSpaces(pool: import('../src/db/pool.ts').Pool, count: number, prefix: string): Promise<void> {
  for (let i = 0; i < count; i += 1000) {
    const n = Math.min(1000, count - i);
    await pool.query(
      `with s as (insert into spaces (name, capacity) select $2 || ' ' || g, 1 + g % 20 from generate_series($1::int, $1::int + $3 - 1) g returning id)
       insert into space_prices (space_id, pricing_type, unit_amount, currency, recurring_interval, position)
       select s.id, t.pricing_type, t.amount, 'eur', t.interval, t.pos from s
       cross join (values ('hourly', 2500, null, 0), ('daily', 15000, null, 1), ('monthly', 250000, 'month', 2)) as t(pricing_type, amount, interval, pos)`,
      [i, prefix, n],
    );
  }
  await pool.query(`delete from graphile_worker._private_jobs`); // no worker here: the catalog run does the work
}

async function newRun(pool: import('../src/db/pool.ts').Pool, dryRun: boolean): Promise<string> {
  return (await pool.query(`insert into catalog_runs (dry_run) values ($1) returning id`, [dryRun])).rows[0].id;
}

// Child mode (part B's measurement): node bench/sync-catalog.bench.ts --noop <dbUrl> <emulatorUrl>
if (process.argv[2] === '--noop') {
  const [dbUrl, emulatorUrl] = process.argv.slice(3);
  const pool = createPool(dbUrl, { max: 10 });
  const gateway = createStripeGateway({ stripe: createStripeClient({ apiUrl: emulatorUrl, maxNetworkRetries: 2 }), ratePerSecond: RATE });
  const started = performance.now();
  const result = await syncCatalog({ pool, gateway }, { runId: await newRun(pool, false), dryRun: false });
  const ms = performance.now() - started;
  await pool.end();
  console.log(JSON.stringify({ ms, calls: result.progress.calls, totals: result.plan.totals, planned: result.plan.calls, peakRssMb: process.resourceUsage().maxRSS / 1024, timings: result.timings }));
  process.exit(0);
}

const db = await startBenchDatabase({ poolSize: 30 });
const { pool } = db;
const emu = await startEmulator({ port: 0 });
const stripe = createStripeClient({ apiUrl: emu.url, maxNetworkRetries: 2 });
const rows: Row[] = [];

// ---- A. apply 2,000 × 3 under Stripe's limit --------------------------------------------------
const skipA = process.env.BENCH_SKIP_A === '1'; // iterate on part B alone
await insertSpaces(pool, 2000, 'Catalog A');
if (!skipA) {
await fetch(`${emu.url}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rateLimit: STRIPE_LIMIT }) });
const limited = createStripeGateway({ stripe, ratePerSecond: RATE });
let applyStart = 0;
const a = await syncCatalog(
  { pool, gateway: limited },
  { runId: await newRun(pool, false), dryRun: false, concurrency: 16, onPlan: () => (applyStart = performance.now()) },
);
const applySeconds = (performance.now() - applyStart) / 1000;
const log = ((await (await fetch(`${emu.url}/_emulator/requests`)).json()) as { requests: Array<{ status: number | null; method: string; time: string }> }).requests;
const applyRequests = log.filter((r) => r.method === 'POST');
const accepted = applyRequests.filter((r) => r.status === 200).length;
const refused = log.filter((r) => r.status === 429).length;
const achieved = applyRequests.length / applySeconds;
const synced = (await pool.query(`select count(*)::int as n from spaces where sync_status = 'synced' and synced_version = version`)).rows[0].n;
rows.push(
  { case: 'A: apply 2,000 × 3 (create)', measure: 'spaces synced', value: synced, aim: '2000' },
  { case: 'A', measure: 'failed syncs', value: a.progress.failed, aim: '0' },
  { case: 'A', measure: 'Stripe writes sent (min 4/space)', value: applyRequests.length, aim: '8000' },
  { case: 'A', measure: 'apply time (s)', value: round(applySeconds, 1), aim: null },
  { case: 'A', measure: `accepted writes/s ÷ Stripe limit (${STRIPE_LIMIT}/s; gateway ${RATE}/s)`, value: round(accepted / applySeconds / STRIPE_LIMIT, 3), aim: '≥ 0.95' },
  { case: 'A', measure: 'requests sent/s ÷ limit (429s included)', value: round(achieved / STRIPE_LIMIT, 3), aim: null },
  { case: 'A', measure: '429s answered by the emulator (retried)', value: refused, aim: null },
);
}

// ---- B. no-op over 10,000 × 3 -------------------------------------------------------------------
await fetch(`${emu.url}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rateLimit: 0 }) });
await insertSpaces(pool, 8000, 'Catalog B');
const fast = createStripeGateway({ stripe, ratePerSecond: 100_000 });
const setup = await syncCatalog({ pool, gateway: fast }, { runId: await newRun(pool, false), dryRun: false, concurrency: 24 });
if (setup.progress.failed) throw new Error(`setup failed: ${JSON.stringify(setup.failures.slice(0, 3))}`);
const count = (await pool.query(`select (select count(*) from spaces)::int as s, (select count(*) from space_prices)::int as p`)).rows[0];
await fetch(`${emu.url}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rateLimit: STRIPE_LIMIT }) });
// The child needs the emulator served by this process: run it without blocking our event loop.
const child = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
  import('node:child_process').then(({ spawn }) => {
    const c = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--noop', db.url, emu.url], { env: process.env });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += String(d)));
    c.stderr.on('data', (d) => (stderr += String(d)));
    c.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
});
if (child.status !== 0) throw new Error(`no-op child failed: ${child.stderr}`);
const b = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { ms: number; calls: number; totals: Record<string, number>; planned: number; peakRssMb: number; timings: Record<string, number> };
rows.push(
  { case: `B: no-op ${count.s} spaces × 3 (${count.p} prices)`, measure: 'entries unchanged', value: b.totals.unchanged, aim: String(count.s) },
  { case: 'B', measure: 'Stripe calls (list pages only)', value: b.calls, aim: `${Math.ceil(count.s / 100) + Math.ceil(count.p / 100)}` },
  { case: 'B', measure: 'time (s)', value: round(b.ms / 1000, 2), aim: '≤ 10' },
  { case: 'B', measure: 'peak RSS (MB)', value: round(b.peakRssMb, 0), aim: '≤ 256' },
);

writeReport({
  name: 'sync-catalog',
  description: `catalog sync: apply of 2,000 spaces × 3 prices with the emulator enforcing ${STRIPE_LIMIT} req/s (gateway ${RATE}/s), and a no-op run over 10,000 × 3`,
  rows,
  details: { noopTimings: b.timings, concurrency: 16, gatewayRate: RATE, stripeLimit: STRIPE_LIMIT },
});
await emu.stop();
await db.stop();
