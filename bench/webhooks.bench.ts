// Webhook ingestion (verify the signature, store once, enqueue) over HTTP: the app served as the Node
// server entry serves it (createApiServer: the direct webhook path, node:crypto) in its own process,
// Postgres beside it, a keep-alive load generator sending
// 20,000 signed deliveries of which 20% are duplicates. Events/s and latency percentiles.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import Stripe from 'stripe';
import { startBenchDatabase } from './db.ts';
import { round, summarize, writeReport } from './lib.ts';

const SECRET = 'whsec_bench_0123456789abcdefghijklmnop';
const DELIVERIES = Number(process.env.WEBHOOK_BENCH_DELIVERIES ?? 20_000);
const DUPLICATE_RATE = 0.2;
const CONCURRENCY = 64;

if (process.env.WEBHOOK_BENCH_SERVER === '1') {
  // The server process: the real app, as `spacesync api` serves it.
  const { createApiServer } = await import('../src/node/webhookListener.ts');
  const { createApp } = await import('../src/api/app.ts');
  const { loadConfig } = await import('../src/config.ts');
  const { createPool } = await import('../src/db/pool.ts');
  const { silentLogger } = await import('../src/log.ts');
  const { createStripeClient } = await import('../src/stripe/createStripeClient.ts');
  const config = loadConfig({ STRIPE_WEBHOOK_SECRET: SECRET, JWT_SECRET: 'x'.repeat(40), STRIPE_API_URL: 'http://127.0.0.1:9' });
  const pool = createPool(process.env.WEBHOOK_BENCH_DB as string, { max: 20 });
  const app = createApp({ config, pool, stripe: createStripeClient({ apiUrl: config.stripeApiUrl }), log: silentLogger });
  const server = createApiServer(app.fetch, { pool, log: silentLogger, webhookSecret: SECRET });
  server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: (server.address() as { port: number }).port }) + '\n'));
  process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
} else {
  const db = await startBenchDatabase();
  const child = spawn(process.execPath, [...(process.env.WEBHOOK_BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.WEBHOOK_BENCH_PROFILE] : []), '--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, WEBHOOK_BENCH_SERVER: '1', WEBHOOK_BENCH_DB: db.url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port: number = await new Promise((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString()).port));
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
  });

  // Signed deliveries, prepared up front so signing costs the generator nothing while measuring.
  const crypto = Stripe.createSubtleCryptoProvider();
  const unique = Math.round(DELIVERIES * (1 - DUPLICATE_RATE));
  const now = Math.floor(Date.now() / 1000);
  const bodies: Array<{ payload: string; header: string }> = [];
  for (let i = 0; i < unique; i++) {
    const payload = JSON.stringify({
      id: `evt_bench_${i}`, object: 'event', type: i % 2 ? 'price.updated' : 'product.updated', created: now, livemode: false, api_version: '2025-01-27',
      data: { object: { id: `prod_bench_${i % 500}`, object: 'product', name: `Space ${i}`, active: true, updated: now, metadata: { space_id: '00000000-0000-4000-8000-000000000000', managed_by: 'spacesync' } } },
    });
    bodies.push({ payload, header: await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: SECRET, cryptoProvider: crypto, timestamp: now }) });
  }
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const plan = [...bodies];
  for (let i = unique; i < DELIVERIES; i++) plan.push(bodies[Math.floor(rand() * unique)]);
  for (let i = plan.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [plan[i], plan[j]] = [plan[j], plan[i]];
  }

  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const post = (d: { payload: string; header: string }) =>
    new Promise<{ status: number; ms: number; duplicate: boolean }>((resolve, reject) => {
      const t0 = performance.now();
      const req = http.request({ host: '127.0.0.1', port, path: '/webhooks/stripe', method: 'POST', agent, headers: { 'content-type': 'application/json', 'stripe-signature': d.header, 'content-length': Buffer.byteLength(d.payload) } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, duplicate: body.includes('duplicate') }));
      });
      req.on('error', reject);
      req.end(d.payload);
    });

  // Warm-up (JIT, pool connections, plans) on events that are not counted.
  const warm = [];
  for (let i = 0; i < 500; i++) {
    const payload = JSON.stringify({ id: `evt_warm_${i}`, object: 'event', type: 'product.updated', created: now, data: { object: { id: 'prod_warm', object: 'product' } } });
    warm.push({ payload, header: await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: SECRET, cryptoProvider: crypto, timestamp: now }) });
  }
  for (let i = 0; i < warm.length; i += CONCURRENCY) await Promise.all(warm.slice(i, i + CONCURRENCY).map(post));

  const latencies: number[] = [];
  let next = 0;
  let duplicates = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < plan.length) {
        const r = await post(plan[next++]);
        latencies.push(r.ms);
        if (r.status !== 200) errors++;
        else if (r.duplicate) duplicates++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const { rows: [counts] } = await db.pool.query(
    `select (select count(*)::int from stripe_events where id like 'evt_bench_%') as events,
            (select count(*)::int from graphile_worker._private_jobs where key like 'process_stripe_event:evt_bench_%') as jobs`,
  );
  child.kill('SIGTERM');
  agent.destroy();
  const s = summarize(latencies);
  const rate = DELIVERIES / seconds;
  writeReport({
    name: 'webhooks',
    description: `POST /webhooks/stripe over HTTP (verify, store once, enqueue), ${DELIVERIES} deliveries with ${DUPLICATE_RATE * 100}% duplicates, ${CONCURRENCY} concurrent keep-alive connections, ${availableParallelism()} cores shared by the app, Postgres and the load generator`,
    rows: [
      { figure: 'deliveries/s', value: round(rate, 0), target: '≥ 2000', ok: rate >= 2000 },
      { figure: 'p50 ms', value: round(s.p50), target: '', ok: true },
      { figure: 'p99 ms', value: round(s.p99), target: '', ok: true },
      { figure: 'max ms', value: round(s.max), target: '', ok: true },
      { figure: 'duplicates answered 2xx no-op', value: duplicates, target: DELIVERIES - unique, ok: duplicates === DELIVERIES - unique },
      { figure: 'events stored / jobs enqueued', value: `${counts.events} / ${counts.jobs}`, target: `${unique} / ${unique}`, ok: counts.events === unique && counts.jobs === unique },
      { figure: 'non-2xx answers', value: errors, target: 0, ok: errors === 0 },
    ],
    details: { deliveries: DELIVERIES, unique, concurrency: CONCURRENCY, seconds: round(seconds, 3), latencyMs: s, postgres: db.postgresVersion },
  });
  await db.stop();
  if (errors || counts.events !== unique || counts.jobs !== unique) process.exitCode = 1;
}
