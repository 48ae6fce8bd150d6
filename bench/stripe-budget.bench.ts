// One Stripe budget for every process, shared through Postgres, against an emulator enforcing
// Stripe's 100 requests/s, each process configured with STRIPE_RATE_LIMIT = RATE:
//  A. the budget alone: 3 processes each sending as fast as their budget allows (24 requests in
//     flight each, far more than the limit), 20 s; one is killed (SIGKILL) after 8 s;
//  B. the whole sync: 3 worker processes (graphile-worker, 8 jobs at once each) sync a new catalog of
//     2,000 spaces × 3 prices; one is killed part way through.
// Measured from the emulator's request log: the most requests in any one-second window, the 429s it
// answered, the accepted request rate ÷ the limit, and after the kill how long until the others use
// the whole budget again; from the surviving processes, the share of leased start times they dropped
// (too late). On a busy machine B is bound by the CPU the workers
// get, not the budget, and start times are dropped where a process was held up: A is the budget's
// own figure.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createPool } from '../src/db/pool.ts';
import { startEmulator } from '../src/emulator/index.ts';
import { createStripeClient } from '../src/stripe/createStripeClient.ts';
import { createStripeGateway } from '../src/stripe/stripeGateway.ts';
import { createStripeBudget } from '../src/sync/stripeBudget.ts';
import { startWorker } from '../src/sync/worker.ts';
import { startBenchDatabase } from './db.ts';
import { figure, round, writeReport, type Row, type Figure } from './lib.ts';

const STRIPE_LIMIT = 100;
const RATE = Number(process.env.BENCH_GATEWAY_RATE ?? 96);
const WORKERS = 3;
const CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 8);
const SPACES = Number(process.env.BENCH_SPACES ?? 2000);
const KILL_AFTER_REQUESTS = Math.round(SPACES * 4 * 0.4);
// The budget's tolerances, when not its defaults (ms).
const budgetOptions = {
  ...(process.env.BENCH_MAX_LATE_MS ? { maxLateMs: Number(process.env.BENCH_MAX_LATE_MS) } : {}),
};

// Child mode: one worker process.
if (process.argv[2] === '--worker') {
  const [dbUrl, emulatorUrl] = process.argv.slice(3);
  const pool = createPool(dbUrl, { max: CONCURRENCY + 6 });
  const stripe = createStripeClient({ apiUrl: emulatorUrl, maxNetworkRetries: 2 });
  const limiter = createStripeBudget(pool, { ratePerSecond: RATE, ...budgetOptions });
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

// Child mode: a process that only sends cheap requests through its budget, as fast as it allows.
if (process.argv[2] === '--client') {
  const [dbUrl, emulatorUrl, durationMs] = process.argv.slice(3);
  const pool = createPool(dbUrl, { max: 4 });
  const stripe = createStripeClient({ apiUrl: emulatorUrl, maxNetworkRetries: 2 });
  const limiter = createStripeBudget(pool, { ratePerSecond: RATE, ...budgetOptions });
  const gateway = createStripeGateway({ stripe, limiter });
  const until = performance.now() + Number(durationMs);
  console.log('ready');
  await Promise.all(
    Array.from({ length: 24 }, async () => {
      while (performance.now() < until) await gateway.request('GET /v1/products', (o) => stripe.products.list({ limit: 1 }, o));
    }),
  );
  await limiter.close();
  await pool.end();
  console.log(JSON.stringify({ ...gateway.stats, budget: limiter.stats }));
  process.exit(0);
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

interface Child {
  child: ChildProcess;
  output: () => string;
  errors: () => string;
  exited: Promise<number | null>;
}

function spawnChild(args: string[]): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...args], { env: process.env });
    let out = '';
    let err = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.stdout?.on('data', (d) => {
      out += String(d);
      if (out.includes('ready')) resolve({ child, output: () => out, errors: () => err, exited });
    });
    child.stderr?.on('data', (d) => (err += String(d)));
    void exited.then((code) => {
      if (!out.includes('ready')) reject(new Error(`child exited (${code}) before it was ready: ${err}`));
    });
  });
}

function lastJson(c: Child): unknown {
  const line = c.output().trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    return { error: c.errors().slice(-2000) };
  }
}

interface Analysis {
  maxWindow: number;
  refused: number;
  acceptedRate: number;
  spanS: number;
  recoveryMs: number;
  firstSecondAfter: number;
  rateBefore: number;
  rateAfter: number;
  gapAfter: number;
  gapBefore: number;
}

function analyze(log: Logged[], kill: number): Analysis {
  const times = log.map((r) => Date.parse(r.time)).sort((a, b) => a - b);
  const accepted = log.filter((r) => r.status !== 429).length;
  const spanS = (times[times.length - 1] - times[0]) / 1000;
  const count = (from: number, to: number) => times.filter((t) => t >= from && t < to).length;
  // After the kill: the longest gap between two requests in the next 2 s, against the longest gap
  // in the 2 s before it; and the requests in the one-second window that starts at the kill.
  const gaps = (from: number, to: number) => {
    const inside = times.filter((t) => t >= from && t < to);
    let g = 0;
    for (let i = 1; i < inside.length; i++) g = Math.max(g, inside[i] - inside[i - 1]);
    return g;
  };
  // Recovery: the first 100 ms step after the kill from which every one-second window over the
  // next second holds ≥ 0.95 × RATE requests.
  let recoveryMs = NaN;
  for (let s = 0; s <= 3000 && Number.isNaN(recoveryMs); s += 100) {
    let ok = true;
    for (let w = s; w <= s + 1000; w += 100) if (count(kill + w, kill + w + 1000) < 0.95 * RATE) ok = false;
    if (ok) recoveryMs = s;
  }
  return {
    maxWindow: maxInAnyWindow(times, 1000),
    refused: log.length - accepted,
    acceptedRate: accepted / spanS,
    spanS,
    recoveryMs,
    firstSecondAfter: count(kill, kill + 1000),
    rateBefore: count(kill - 2000, kill) / 2,
    rateAfter: count(kill + 200, kill + 2200) / 2,
    gapAfter: gaps(kill, kill + 2000),
    gapBefore: gaps(kill - 2000, kill),
  };
}

async function requestLog(): Promise<Logged[]> {
  return ((await (await fetch(`${emu.url}/_emulator/requests`)).json()) as { requests: Logged[] }).requests;
}

async function budgetAhead(): Promise<number> {
  // What the budget had leased ahead at that moment (ms past now): the most a dead process can hold.
  const { rows } = await pool.query(`select tat_ms - extract(epoch from clock_timestamp()) * 1000 as ahead from stripe_rate_budgets where name = 'stripe'`);
  return Math.max(0, rows[0]?.ahead ?? 0);
}

const db = await startBenchDatabase({ poolSize: 10 });
const { pool } = db;
const emu = await startEmulator({ port: 0, rateLimit: STRIPE_LIMIT });

// ---- A. the budget alone ------------------------------------------------------------------------
const A_MS = 20_000;
const clients = await Promise.all(Array.from({ length: WORKERS }, () => spawnChild(['--client', db.url, emu.url, String(A_MS)])));
const aStarted = Date.now();
await new Promise((r) => setTimeout(r, 8_000));
clients[WORKERS - 1].child.kill('SIGKILL');
const aKill = Date.now();
const aHeld = await budgetAhead();
const clientStats: unknown[] = [];
for (const c of clients.slice(0, WORKERS - 1)) {
  await c.exited;
  clientStats.push(lastJson(c));
}
console.log(JSON.stringify(clientStats));
const aLog = (await requestLog()).filter((r) => Date.parse(r.time) >= aStarted);
const a = analyze(aLog, aKill);
console.log(`A: ${aLog.length} requests, ${round(a.acceptedRate, 1)}/s accepted, max ${a.maxWindow} in a second, ${a.refused} 429s`);
await fetch(`${emu.url}/_emulator/requests`, { method: 'DELETE' });
await pool.query(`delete from stripe_rate_budgets`);

// ---- B. three sync workers ----------------------------------------------------------------------
const workers = await Promise.all(Array.from({ length: WORKERS }, () => spawnChild(['--worker', db.url, emu.url])));
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
    heldAtKillMs = await budgetAhead();
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
  w.child.kill('SIGTERM');
  await w.exited;
  stats.push(lastJson(w));
}

const b = analyze(await requestLog(), killedAt ?? 0);
const synced = (await pool.query(`select count(*)::int as n from spaces where sync_status = 'synced' and synced_version = version`)).rows[0].n;

// Start times leased by the surviving processes and dropped unused (too late).
function dropShare(all: unknown[]): string {
  let slots = 0;
  let dropped = 0;
  for (const x of all) {
    const b = (x as { budget?: { slots?: number; dropped?: number} }).budget;
    slots += b?.slots ?? 0;
    dropped += b?.dropped ?? 0;
  }
  return `${slots > 0 ? round((100 * dropped) / slots, 1) : NaN}% (${dropped} of ${slots})`;
}

const rows: Row[] = [
  { case: 'A: the budget alone, 3 processes × 24 requests in flight, 20 s', measure: `most requests in any 1 s window (limit ${STRIPE_LIMIT})`, value: a.maxWindow, aim: `≤ ${STRIPE_LIMIT}` },
  { case: 'A', measure: '429s answered by the emulator', value: a.refused, aim: '0' },
  { case: 'A', measure: `accepted requests/s ÷ limit (each process at ${RATE}/s)`, value: round(a.acceptedRate / STRIPE_LIMIT, 3), aim: '≥ 0.95' },
  { case: 'A', measure: 'budget leased ahead when one was killed (ms)', value: round(aHeld, 1), aim: '≤ 1000' },
  { case: 'A', measure: 'after the kill: every 1 s window ≥ 0.95 × rate from (ms)', value: a.recoveryMs, aim: '≤ 2000' },
  { case: 'A', measure: 'requests/s: 2 s before the kill (3 processes) / 0.2–2.2 s after (2)', value: `${a.rateBefore} / ${a.rateAfter}`, aim: null },
  { case: 'A', measure: 'longest gap between requests, 2 s after / before the kill (ms)', value: `${a.gapAfter} / ${a.gapBefore}`, aim: null },
  { case: 'A', measure: 'start times leased and dropped unused (the 2 surviving processes)', value: dropShare(clientStats), aim: null },
  { case: `B: 3 sync workers × ${CONCURRENCY} jobs, ${SPACES} spaces × 3 prices`, measure: 'spaces synced (those held by the killed worker stay locked)', value: synced, aim: `≥ ${SPACES - CONCURRENCY}` },
  { case: 'B', measure: `most requests in any 1 s window (limit ${STRIPE_LIMIT})`, value: b.maxWindow, aim: `≤ ${STRIPE_LIMIT}` },
  { case: 'B', measure: '429s answered by the emulator', value: b.refused, aim: '0' },
  { case: 'B', measure: `accepted requests/s ÷ limit (each worker at ${RATE}/s)`, value: round(b.acceptedRate / STRIPE_LIMIT, 3), aim: '≥ 0.95' },
  { case: 'B', measure: 'budget leased ahead when one was killed (ms)', value: round(heldAtKillMs ?? NaN, 1), aim: '≤ 1000' },
  { case: 'B', measure: 'after the kill: every 1 s window ≥ 0.95 × rate from (ms)', value: b.recoveryMs, aim: '≤ 2000' },
  { case: 'B', measure: 'requests/s: 2 s before the kill (3 workers) / 0.2–2.2 s after (2)', value: `${b.rateBefore} / ${b.rateAfter}`, aim: null },
  { case: 'B', measure: 'longest gap between requests, 2 s after / before the kill (ms)', value: `${b.gapAfter} / ${b.gapBefore}`, aim: null },
  { case: 'B', measure: 'start times leased and dropped unused (the 2 surviving workers)', value: dropShare(stats), aim: null },
];
const figures: Figure[] = [
  figure('most Stripe requests in any second, 3 processes on one budget', a.maxWindow, 'requests', 'lower', { kind: 'limit', name: "Stripe's rate limit (emulator)", value: STRIPE_LIMIT }),
  figure('429s from Stripe, 3 processes on one budget', a.refused, 'responses', 'lower', { kind: 'limit', name: 'none allowed', value: 0 }),
  figure('accepted Stripe requests per second, 3 processes on one budget', round(a.acceptedRate, 1), 'requests/s', 'higher', { kind: 'minimum', name: "0.95 × Stripe's limit", value: 0.95 * STRIPE_LIMIT }),
  figure("budget a killed process held back (leased ahead when killed)", round(aHeld, 1), 'ms', 'lower', { kind: 'aim', name: 'back within 2 s', value: 2000 }),
  figure('requests/s of 2 processes after a third was killed, against 3 before', a.rateAfter, 'requests/s', 'higher', { kind: 'peer', name: '3 processes, the 2 s before the kill', value: a.rateBefore }),
  figure('most Stripe requests in any second, 3 sync workers', b.maxWindow, 'requests', 'lower', { kind: 'limit', name: "Stripe's rate limit (emulator)", value: STRIPE_LIMIT }),
  figure('429s from Stripe, 3 sync workers', b.refused, 'responses', 'lower', { kind: 'limit', name: 'none allowed', value: 0 }),
  figure('accepted Stripe requests per second, 3 sync workers', round(b.acceptedRate, 1), 'requests/s', 'higher', { kind: 'minimum', name: "0.95 × Stripe's limit", value: 0.95 * STRIPE_LIMIT }),
];
const report = {
  name: 'stripe-budget',
  description: `one Stripe budget shared through Postgres (each process at ${RATE}/s) against an emulator enforcing ${STRIPE_LIMIT} requests/s: A. 3 processes sending as fast as it allows, one killed after 8 s; B. 3 sync workers on ${SPACES} spaces × 3 prices, one killed after ${KILL_AFTER_REQUESTS} requests (Postgres ${db.postgresVersion})`,
  rows,
  figures,
  details: { workerConcurrency: CONCURRENCY, clientStats, workerStats: stats, spanSecondsA: round(a.spanS, 1), spanSecondsB: round(b.spanS, 1), gatewayRate: RATE, stripeLimit: STRIPE_LIMIT, killAfterRequests: KILL_AFTER_REQUESTS },
};
writeReport(report);
await emu.stop();
await db.stop();
process.exit(0);
