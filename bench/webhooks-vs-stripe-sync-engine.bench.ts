// Webhook ingestion beside @supabase/stripe-sync-engine, the tool a Supabase user would otherwise run
// for the Stripe→Postgres direction. One process tree: this process generates the load; spacesync
// (its Node server, as `spacesync start` serves it) and the peer (StripeSync.processWebhook behind a
// plain node:http server, revalidation off, its own migrations) each run in a child process, each on
// its own database of the same Postgres. The same 10,000 signed deliveries (8,000 distinct events,
// 20% duplicates) go to each, at 16 and 64 keep-alive connections, 3 repetitions in alternating order.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import http from 'node:http';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startBenchPostgres, type BenchDatabase } from './db.ts';
import { figure, round, summarize, writeReport, type Figure, type Row } from './lib.ts';

const SECRET = 'whsec_bench_0123456789abcdefghijklmnop';
const DELIVERIES = Number(process.env.WEBHOOK_BENCH_DELIVERIES ?? 10_000);
const DUPLICATE_RATE = 0.2;
const CONNECTIONS = (process.env.WEBHOOK_BENCH_CONNECTIONS ?? '16,64').split(',').map(Number);
const REPETITIONS = Number(process.env.WEBHOOK_BENCH_REPETITIONS ?? 3);
const POOL_SIZE = 20;
const PEER = '@supabase/stripe-sync-engine';
const require = createRequire(import.meta.url);
const PEER_VERSION = (JSON.parse(readFileSync(join(dirname(require.resolve(PEER)), '../package.json'), 'utf8')) as { version: string }).version;
const AIM = 1.5;
const CLOCK_TICKS = 100; // USER_HZ on Linux
const PRODUCTS = 500;
const PRICES = 1000;

type Role = 'spacesync' | 'peer';
const role = process.env.WEBHOOK_BENCH_ROLE as Role | undefined;

function announce(port: number) {
  process.stdout.write(JSON.stringify({ port }) + '\n');
  // The parent asks for this process's CPU time before and after each run.
  process.on('message', () => process.send?.(process.cpuUsage()));
}

if (role === 'spacesync') {
  // The real app and the Node server entry's request path, as `spacesync start` / `api` serve it.
  const { createApp } = await import('../src/api/app.ts');
  const { loadConfig } = await import('../src/config.ts');
  const { createPool } = await import('../src/db/pool.ts');
  const { silentLogger } = await import('../src/log.ts');
  const { createStripeClient } = await import('../src/stripe/createStripeClient.ts');
  const { createApiServer } = await import('../src/node/webhookListener.ts');
  const config = loadConfig({ STRIPE_WEBHOOK_SECRET: SECRET, JWT_SECRET: 'x'.repeat(40), STRIPE_API_URL: 'http://127.0.0.1:9' });
  const pool = createPool(process.env.WEBHOOK_BENCH_DB as string, { max: POOL_SIZE });
  const app = createApp({ config, pool, stripe: createStripeClient({ apiUrl: config.stripeApiUrl }), log: silentLogger });
  const server = createApiServer(app.fetch, { pool, log: silentLogger, webhookSecret: SECRET });
  server.listen(0, '127.0.0.1', () => announce((server.address() as { port: number }).port));
  process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
} else if (role === 'peer') {
  // The peer as its README sets it up: migrations, then StripeSync.processWebhook per delivery.
  // Its CommonJS build: the ESM one resolves its migrations folder through __dirname.
  const { StripeSync, runMigrations } = require(PEER) as typeof import('@supabase/stripe-sync-engine');
  const databaseUrl = process.env.WEBHOOK_BENCH_DB as string;
  await runMigrations({ databaseUrl, schema: 'stripe' });
  const sync = new StripeSync({
    databaseUrl, schema: 'stripe', stripeSecretKey: 'sk_test_bench', stripeWebhookSecret: SECRET,
    poolConfig: {}, maxPostgresConnections: POOL_SIZE, backfillRelatedEntities: false, revalidateObjectsViaStripeApi: [],
  });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      sync.processWebhook(Buffer.concat(chunks), req.headers['stripe-signature'] as string).then(
        () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"received":true}');
        },
        (error: unknown) => {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
        },
      );
    });
  });
  server.listen(0, '127.0.0.1', () => announce((server.address() as { port: number }).port));
  process.on('SIGTERM', () => server.close(() => sync.postgresClient.pool.end().then(() => process.exit(0))));
} else {
  await main();
}

interface Run {
  role: Role;
  connections: number;
  repetition: number;
  eventsPerSecond: number;
  seconds: number;
  p50: number;
  p99: number;
  /** CPU of the server process and its Postgres backends, per delivery. */
  cpuMsPerEvent: number;
  serverCpuMs: number;
  postgresCpuMs: number;
  non2xx: number;
  storedOnce: boolean;
  stored: string;
}

async function main() {
  const postgres = await startBenchPostgres();
  const children: ChildProcess[] = [];
  try {
    const ours = await postgres.createDatabase();
    const theirs = await postgres.createDatabase({ empty: true });
    const start = async (r: Role, url: string) => {
      const profile = process.env.WEBHOOK_BENCH_PROFILE;
      const child = spawn(process.execPath, [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), '--import', 'tsx', fileURLToPath(import.meta.url)], {
        env: { ...process.env, WEBHOOK_BENCH_ROLE: r, WEBHOOK_BENCH_DB: url },
        stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      });
      children.push(child);
      cpuOf[r] = () => new Promise<number>((resolve) => {
        child.once('message', (m: NodeJS.CpuUsage) => resolve((m.user + m.system) / 1000));
        child.send('cpu');
      });
      return new Promise<number>((resolve, reject) => {
        child.stdout!.once('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString()).port));
        child.once('exit', (code) => reject(new Error(`the ${r} server exited with ${code}`)));
      });
    };
    const cpuOf = {} as Record<Role, () => Promise<number>>;
    const dbOf: Record<Role, BenchDatabase> = { spacesync: ours, peer: theirs };
    /** CPU ms used so far by the role's server process and by the Postgres backends of its database. */
    const cpu = async (r: Role) => {
      const { rows } = await ours.pool.query<{ pid: number }>(`select pid from pg_stat_activity where datname = $1 and application_name <> 'spacesync-bench'`, [new URL(dbOf[r].url).pathname.slice(1)]);
      const backends = new Map(rows.map(({ pid }) => [pid, processCpuMs(pid)]));
      return { server: await cpuOf[r](), backends };
    };
    const ports: Record<Role, number> = { spacesync: await start('spacesync', ours.url), peer: await start('peer', theirs.url) };
    const { rows: [peerTables] } = await theirs.pool.query(`select to_regclass('stripe.products') is not null and to_regclass('stripe.prices') is not null as ok`);
    if (!peerTables.ok) throw new Error(`${PEER}'s migrations did not create stripe.products and stripe.prices`);

    const unique = Math.round(DELIVERIES * (1 - DUPLICATE_RATE));
    const reset = async (r: Role) => {
      if (r === 'spacesync') await ours.pool.query('truncate stripe_events, graphile_worker._private_jobs cascade');
      else await theirs.pool.query('truncate stripe.products, stripe.prices cascade');
    };
    const check = async (r: Role): Promise<{ ok: boolean; text: string }> => {
      if (r === 'spacesync') {
        const { rows: [c] } = await ours.pool.query(`select (select count(*)::int from stripe_events) as events, (select count(distinct id)::int from stripe_events) as distinct_events,
          (select count(*)::int from graphile_worker._private_jobs where key like 'process_stripe_event:%') as jobs`);
        return { ok: c.events === unique && c.distinct_events === unique && c.jobs === unique, text: `${c.events} events / ${c.jobs} jobs` };
      }
      const { rows: [c] } = await theirs.pool.query(`select (select count(*)::int from stripe.products) as products, (select count(*)::int from stripe.prices) as prices`);
      // Events alternate product / price, the n-th of each kind about object n modulo their count.
      const products = Math.min(PRODUCTS, Math.ceil(unique / 2));
      const prices = Math.min(PRICES, Math.floor(unique / 2));
      return { ok: c.products === products && c.prices === prices, text: `${c.products} products / ${c.prices} prices` };
    };

    // Warm-up of both (JIT, pools, plans), not counted.
    for (const r of ['spacesync', 'peer'] as Role[]) {
      await drive(ports[r], deliveries(500, 500, 'warm'), 16);
      await reset(r);
    }

    const runs: Run[] = [];
    for (let repetition = 1; repetition <= REPETITIONS; repetition++) {
      for (const [ci, connections] of CONNECTIONS.entries()) {
        const order: Role[] = (repetition + ci) % 2 === 1 ? ['spacesync', 'peer'] : ['peer', 'spacesync'];
        for (const r of order) {
          await reset(r);
          await ours.pool.query('checkpoint');
          const plan = deliveries(DELIVERIES, unique, `r${repetition}c${connections}`);
          const before = await cpu(r);
          const result = await drive(ports[r], plan, connections);
          const after = await cpu(r);
          // Backends gone during the run are lost to the count; new ones are counted from zero.
          let backendCpuMs = 0;
          for (const [pid, ms] of after.backends) backendCpuMs += ms - (before.backends.get(pid) ?? 0);
          const cpuMsPerEvent = round((after.server - before.server + backendCpuMs) / DELIVERIES, 3);
          const stored = await check(r);
          const s = summarize(result.latencies);
          const run: Run = {
            role: r, connections, repetition, eventsPerSecond: round(DELIVERIES / result.seconds, 0), seconds: round(result.seconds, 3),
            p50: round(s.p50), p99: round(s.p99), cpuMsPerEvent, serverCpuMs: round(after.server - before.server, 0), postgresCpuMs: round(backendCpuMs, 0), non2xx: result.non2xx, storedOnce: stored.ok, stored: stored.text,
          };
          runs.push(run);
          console.log(JSON.stringify(run));
        }
      }
    }
    report(runs, unique, postgres.postgresVersion);
    if (runs.some((r) => r.non2xx > 0 || !r.storedOnce)) process.exitCode = 1;
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
    await postgres.stop();
  }
}

/**
 * `total` signed deliveries of `unique` distinct events (the rest are duplicates, shuffled in),
 * half product.updated and half price.updated, signed now (the signature is only 300 s valid).
 */
function deliveries(total: number, unique: number, tag: string): Array<{ payload: string; header: string }> {
  const now = Math.floor(Date.now() / 1000);
  const bodies: Array<{ payload: string; header: string }> = [];
  for (let i = 0; i < unique; i++) {
    const j = i >> 1; // each kind in turn, so every product and every price is touched
    const product = `prod_bench_${j % PRODUCTS}`;
    const object = i % 2 === 0
      ? { id: product, object: 'product', active: true, name: `Space ${i}`, description: 'A meeting room for eight', created: now - 86_400, updated: now, livemode: false, images: [], default_price: `price_bench_${j % PRICES}`, metadata: { space_id: '00000000-0000-4000-8000-000000000000', managed_by: 'spacesync' }, marketing_features: [], shippable: null, statement_descriptor: null, unit_label: null, url: null, package_dimensions: null }
      : { id: `price_bench_${j % PRICES}`, object: 'price', active: true, currency: 'eur', unit_amount: 2500 + i, unit_amount_decimal: String(2500 + i), product, type: 'one_time', recurring: null, billing_scheme: 'per_unit', created: now - 86_400, livemode: false, lookup_key: `space_${j % PRICES}_hourly`, nickname: null, tiers_mode: null, transform_quantity: null, metadata: { space_id: '00000000-0000-4000-8000-000000000000', managed_by: 'spacesync' } };
    const payload = JSON.stringify({
      id: `evt_${tag}_${i}`, object: 'event', api_version: '2025-01-27.acacia', created: now, livemode: false, pending_webhooks: 1,
      request: { id: null, idempotency_key: null }, type: `${object.object}.updated`, data: { object, previous_attributes: { name: 'Old' } },
    });
    const v1 = createHmac('sha256', SECRET).update(`${now}.${payload}`).digest('hex');
    bodies.push({ payload, header: `t=${now},v1=${v1}` });
  }
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const plan = [...bodies];
  for (let i = unique; i < total; i++) plan.push(bodies[Math.floor(rand() * unique)]);
  for (let i = plan.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [plan[i], plan[j]] = [plan[j], plan[i]];
  }
  return plan;
}

async function drive(port: number, plan: Array<{ payload: string; header: string }>, connections: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const post = (d: { payload: string; header: string }) =>
    new Promise<{ status: number; ms: number }>((resolve) => {
      const t0 = performance.now();
      const req = http.request({ host: '127.0.0.1', port, path: '/webhooks/stripe', method: 'POST', agent, headers: { 'content-type': 'application/json', 'stripe-signature': d.header, 'content-length': Buffer.byteLength(d.payload) } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
      });
      // A connection lost is a failed delivery (counted), not the end of the benchmark.
      req.on('error', () => resolve({ status: 0, ms: performance.now() - t0 }));
      req.end(d.payload);
    });
  const latencies: number[] = [];
  let next = 0;
  let non2xx = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, async () => {
    while (next < plan.length) {
      const r = await post(plan[next++]);
      latencies.push(r.ms);
      if (r.status < 200 || r.status > 299) non2xx++;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { seconds, latencies, non2xx };
}

/** utime + stime of a process, in ms (Linux /proc); 0 when it is gone. */
function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function report(runs: Run[], unique: number, postgresVersion: string) {
  const peerName = `${PEER} ${PEER_VERSION}`;
  const rows: Row[] = [];
  const figures: Figure[] = [];
  for (const connections of CONNECTIONS) {
    const ours = runs.filter((r) => r.connections === connections && r.role === 'spacesync');
    const theirs = runs.filter((r) => r.connections === connections && r.role === 'peer');
    // Ratios within each repetition (both measured back to back), then their median.
    const rateRatios = ours.map((o, i) => o.eventsPerSecond / theirs[i].eventsPerSecond);
    const p99Ratios = ours.map((o, i) => o.p99 / theirs[i].p99);
    const rateRatio = round(median(rateRatios), 2);
    const p99Ratio = round(median(p99Ratios), 2);
    rows.push({
      connections,
      'spacesync events/s': ours.map((r) => r.eventsPerSecond).join(' / '),
      [`${PEER} events/s`]: theirs.map((r) => r.eventsPerSecond).join(' / '),
      'ratio (median)': rateRatio,
      'spacesync p50/p99 ms': ours.map((r) => `${r.p50}/${r.p99}`).join(' · '),
      'peer p50/p99 ms': theirs.map((r) => `${r.p50}/${r.p99}`).join(' · '),
      'p99 ratio (median)': p99Ratio,
      'CPU ms/event spacesync · peer': `${round(median(ours.map((r) => r.cpuMsPerEvent)), 3)} · ${round(median(theirs.map((r) => r.cpuMsPerEvent)), 3)}`,
      'stored once': ours.every((r) => r.storedOnce) && theirs.every((r) => r.storedOnce) ? 'yes' : 'NO',
      ok: rateRatio >= AIM && p99Ratio <= 1,
    });
    const oursRate = median(ours.map((r) => r.eventsPerSecond));
    const theirsRate = median(theirs.map((r) => r.eventsPerSecond));
    figures.push(
      figure(`webhook ingestion, ${connections} connections`, oursRate, 'events/s', 'higher', { kind: 'peer', name: peerName, value: theirsRate }),
      figure(`webhook p99 latency, ${connections} connections`, median(ours.map((r) => r.p99)), 'ms', 'lower', { kind: 'peer', name: peerName, value: median(theirs.map((r) => r.p99)) }),
      figure(`webhook CPU per event (server + its Postgres backends), ${connections} connections`, round(median(ours.map((r) => r.cpuMsPerEvent)), 3), 'ms', 'lower', { kind: 'peer', name: peerName, value: round(median(theirs.map((r) => r.cpuMsPerEvent)), 3) }),
      figure(`webhook events/s ÷ ${PEER}, ${connections} connections (median of same-run ratios)`, rateRatio, '×', 'higher', { kind: 'aim', name: `at least ${AIM}×`, value: AIM }),
      figure(`webhook p99 ÷ ${PEER}, ${connections} connections (median of same-run ratios)`, p99Ratio, '×', 'lower', { kind: 'aim', name: 'no worse than the peer', value: 1 }),
    );
  }
  writeReport({
    name: 'webhooks-vs-stripe-sync-engine',
    description: `POST /webhooks/stripe into spacesync (verify, store once, enqueue) vs ${peerName} (StripeSync.processWebhook behind node:http, revalidation off: verify, upsert the object), ${DELIVERIES} signed deliveries (${unique} distinct events, ${DUPLICATE_RATE * 100}% duplicates), ${REPETITIONS} repetitions in alternating order, both servers, Postgres and the load generator on ${availableParallelism()} shared cores, each with a ${POOL_SIZE}-connection pool on its own database of the same Postgres`,
    figures,
    rows,
    details: { deliveries: DELIVERIES, unique, connections: CONNECTIONS, repetitions: REPETITIONS, poolSize: POOL_SIZE, postgres: postgresVersion, peer: peerName, runs },
  });
}
