// One Stripe budget for every worker: 3 worker processes (graphile-worker, 8 jobs at once each) sync
// a new catalog of 2,000 spaces × 3 prices against an emulator enforcing Stripe's 100 requests/s,
// each worker configured with STRIPE_RATE_LIMIT = RATE and sharing the budget through Postgres.
// Measured from the emulator's request log: the most requests in any one-second window, the 429s it
// answered, the accepted request rate ÷ the limit. One worker is killed (SIGKILL) part way through:
// how much of the budget it held at that moment, and how long until the two others use it all.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createPool } from '../src/db/pool.ts';
import { startEmulator } from '../src/emulator/index.ts';
import { createStripeClient } from '../src/stripe/createStripeClient.ts';
import { createStripeBudget } from '../src/sync/stripeBudget.ts';
import { startWorker } from '../src/sync/worker.ts';
import { startBenchDatabase } from './db.ts';
import { figure, type Figure } from './figures.ts';
import { round, writeReport, type Row } from './lib.ts';

const STRIPE_LIMIT = 100;
const RATE = Number(process.env.BENCH_GATEWAY_RATE ?? 97);
const WORKERS = 3;
const CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 8);
const SPACES = Number(process.env.BENCH_SPACES ?? 2000);
const KILL_AFTER_REQUESTS = Math.round(SPACES * 4 * 0.4);

// Child mode: one worker process.
if (process.argv[2] === '--worker') {
  const [dbUrl, emulatorUrl] = process.argv.slice(3);
  const pool = createPool(dbUrl, { max: CONCURRENCY + 6 });
  const stripe = createStripeClient({ apiUrl: emulatorUrl, maxNetworkRetries: 2 });
  const limiter = createStripeBudget(pool, { ratePerSecond: RATE, ...(process.env.BENCH_MAX_LATE_MS ? { maxLateMs: Number(process.env.BENCH_MAX_LATE_MS) } : {}) });
  if (process.env.BENCH_NO_RESERVE === '1') (limiter as { reserve: () => void }).reserve = () => {};
  const worker = await startWorker({ pool, stripe, limiter, config: { stripeRateLimit: RATE, workerConcurrency: CONCURRENCY, driftPolicy: 'enforce' } });
  process.on('SIGTERM', () => {
    const limiter = worker.gateway.limiter as { stats?: unknown };
    const stats = { ...worker.gateway.stats, budget: limiter.stats };
    void worker.stop().then(() => pool.end()).then(() => {
      console.log(JSON.stringify(stats));
      process.exit(0);
    });
  });
  console.log('ready');
  await new Promise(() => {});
}

interface Logged {
  method: string;
  status: number | null;
  time: string;
}

function maxInAnyWindow(sorted: number[], windowMs: number): number {
  let best = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

function spawnWorker(dbUrl: string, emulatorUrl: string): Promise<{ child: ChildProcess; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--worker', dbUrl, emulatorUrl], { env: process.env });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d) => {
      out += String(d);
      if (out.includes('ready')) resolve({ child, output: () => out });
    });
    child.stderr?.on('data', (d) => (err += String(d)));
    child.on('exit', (code) => {
      if (!out.includes('ready')) reject(new Error(`worker exited (${code}) before it was ready: ${err}`));
    });
  });
}

const db = await startBenchDatabase({ poolSize: 10 });
const { pool } = db;
const emu = await startEmulator({ port: 0, rateLimit: STRIPE_LIMIT });

const workers = await Promise.all(Array.from({ length: WORKERS }, () => spawnWorker(db.url, emu.url)));
console.log(`${WORKERS} workers ready; inserting ${SPACES} spaces × 3 prices`);

// The catalog, inserted as an admin would in bulk: every space's sync job is queued by the trigger.
for (let i = 0; i < SPACES; i += 500) {
  const n = Math.min(500, SPACES - i);
  await pool.query(
    `with s as (insert into spaces (name, capacity) select 'Budget ' || g, 1 + g % 20 from generate_series($1::int, $1::int + $2 - 1) g returning id)
     insert into space_prices (space_id, pricing_type, unit_amount, currency, recurring_interval, position)
     select s.id, t.pricing_type, t.amount, 'eur', t.interval, t.pos from s
     cross join (values ('hourly', 2500, null, 0), ('daily', 15000, null, 1), ('monthly', 250000, 'month', 2)) as t(pricing_type, amount, interval, pos)`,
    [i, n],
  );
}

const requestCount = async () => ((await (await fetch(`${emu.url}/_emulator/requests?since=${lastIndex}`)).json()) as { requests: unknown[] }).requests.length + lastIndex;
let lastIndex = 0;
let killedAt: number | null = null;
let heldAtKillMs: number | null = null;
const started = performance.now();
for (;;) {
  await new Promise((r) => setTimeout(r, 250));
  lastIndex = await requestCount();
  if (killedAt === null && lastIndex >= KILL_AFTER_REQUESTS) {
    workers[WORKERS - 1].child.kill('SIGKILL');
    killedAt = Date.now();
    // What the budget had leased ahead at that moment (ms past now): the most the dead one can hold.
    const { rows } = await pool.query(`select tat_ms - extract(epoch from clock_timestamp()) * 1000 as ahead from stripe_rate_budgets where name = 'stripe'`);
    heldAtKillMs = Math.max(0, rows[0]?.ahead ?? 0);
    console.log(`killed worker ${WORKERS} after ${lastIndex} requests; budget leased ahead: ${round(heldAtKillMs, 1)} ms`);
  }
  // Done when every space is synced, except those whose job the killed worker held (locked for hours).
  const { rows } = await pool.query(
    `select (select count(*) from spaces where sync_status = 'synced' and synced_version = version)::int as synced,
            (select count(*) from graphile_worker._private_jobs where locked_at is null)::int as waiting`,
  );
  if (process.stdout.isTTY) process.stdout.write(`\r${rows[0].synced}/${SPACES} synced, ${lastIndex} requests, ${Math.round((performance.now() - started) / 1000)} s`);
  if (rows[0].waiting === 0 && rows[0].synced >= SPACES - CONCURRENCY) {
    // Let the running syncs finish.
    await new Promise((r) => setTimeout(r, 1000));
    break;
  }
  if (performance.now() - started > 15 * 60_000) throw new Error('the bench did not finish in 15 minutes');
}
process.stdout.write('\n');

const stats: unknown[] = [];
for (const w of workers.slice(0, WORKERS - 1)) {
  const exited = new Promise((r) => w.child.on('exit', r));
  w.child.kill('SIGTERM');
  await exited;
  const line = w.output().trim().split('\n').pop() ?? '{}';
  stats.push(JSON.parse(line));
}

const log = ((await (await fetch(`${emu.url}/_emulator/requests`)).json()) as { requests: Logged[] }).requests;
const times = log.map((r) => Date.parse(r.time)).sort((a, b) => a - b);
const accepted = log.filter((r) => r.status !== 429);
const refused = log.length - accepted.length;
const spanS = (times[times.length - 1] - times[0]) / 1000;
const acceptedRate = accepted.length / spanS;
const maxWindow = maxInAnyWindow(times, 1000);

// After the kill: the longest gap between two requests in the next 2 s, against the longest gap in
// the 2 s before it; and the requests in the one-second window that starts at the kill.
const kill = killedAt ?? times[0];
const gaps = (from: number, to: number) => {
  const inside = times.filter((t) => t >= from && t < to);
  let g = 0;
  for (let i = 1; i < inside.length; i++) g = Math.max(g, inside[i] - inside[i - 1]);
  return g;
};
const gapAfter = gaps(kill, kill + 2000);
const gapBefore = gaps(kill - 2000, kill);
const firstSecondAfter = times.filter((t) => t >= kill && t < kill + 1000).length;
// Recovery: from the kill, the first 100 ms step after which every one-second window holds ≥ 0.95 × RATE.
let recoveryMs = NaN;
for (let s = 0; s <= 3000; s += 100) {
  let ok = true;
  for (let w = s; w <= s + 1000; w += 100) {
    const n = times.filter((t) => t >= kill + w && t < kill + w + 1000).length;
    if (n < 0.95 * RATE) ok = false;
  }
  if (ok) {
    recoveryMs = s;
    break;
  }
}
const synced = (await pool.query(`select count(*)::int as n from spaces where sync_status = 'synced' and synced_version = version`)).rows[0].n;

const rows: Row[] = [
  { measure: `worker processes (${CONCURRENCY} jobs at once each), one killed part way`, value: WORKERS, aim: null },
  { measure: 'spaces synced (those held by the killed worker stay locked)', value: synced, aim: `≥ ${SPACES - CONCURRENCY}` },
  { measure: 'Stripe requests', value: log.length, aim: null },
  { measure: `most requests in any 1 s window (limit ${STRIPE_LIMIT})`, value: maxWindow, aim: `≤ ${STRIPE_LIMIT}` },
  { measure: '429s answered by the emulator', value: refused, aim: '0' },
  { measure: `accepted requests/s ÷ limit (each worker at ${RATE}/s)`, value: round(acceptedRate / STRIPE_LIMIT, 3), aim: '≥ 0.95' },
  { measure: 'budget leased ahead when the worker was killed (ms)', value: round(heldAtKillMs ?? NaN, 1), aim: '≤ 1000' },
  { measure: 'after the kill: 1 s windows all ≥ 0.95 × rate from (ms)', value: recoveryMs, aim: '≤ 2000' },
  { measure: 'requests in the second after the kill', value: firstSecondAfter, aim: null },
  { measure: 'longest gap between requests, 2 s after / before the kill (ms)', value: `${gapAfter} / ${gapBefore}`, aim: null },
];
const figures: Figure[] = [
  figure('most Stripe requests in any second, 3 workers', maxWindow, 'requests', { kind: 'limit', name: "Stripe's rate limit (emulator)", value: STRIPE_LIMIT }, 'lower'),
  figure('429s from Stripe, 3 workers', refused, 'responses', { kind: 'limit', name: 'none allowed', value: 0 }, 'lower'),
  figure('accepted Stripe requests per second, 3 workers', round(acceptedRate, 1), 'requests/s', { kind: 'minimum', name: "0.95 × Stripe's limit", value: 0.95 * STRIPE_LIMIT }, 'higher'),
  figure("a killed worker's budget back after", recoveryMs, 'ms', { kind: 'aim', name: 'within 2 s', value: 2000 }, 'lower'),
];
const report = {
  name: 'stripe-budget',
  description: `${WORKERS} worker processes sharing one Stripe budget through Postgres (each at ${RATE}/s) sync ${SPACES} spaces × 3 prices against an emulator enforcing ${STRIPE_LIMIT} requests/s; one worker is killed after ${KILL_AFTER_REQUESTS} requests (Postgres ${db.postgresVersion})`,
  rows,
  figures,
  details: { workerConcurrency: CONCURRENCY, workerStats: stats, spanSeconds: round(spanS, 1), gatewayRate: RATE, stripeLimit: STRIPE_LIMIT, killAfterRequests: KILL_AFTER_REQUESTS },
};
writeReport(report);
await emu.stop();
await db.stop();
process.exit(0);
