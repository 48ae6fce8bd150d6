// GET /api/spaces (anon, 1,000 spaces) while an attacker sends 200 sign-ins a second with wrong
// passwords over up to 40 connections (PBKDF2, 600,000 rounds each): latency percentiles with no flood, with the flood under the default
// cap on concurrent password checks (2 running, 8 waiting), and with the flood and no cap. In-process
// (app.request), one GET at a time; the three runs share one process, so their ratios hold on a
// loaded machine.
import { createApp } from '../src/api/app.ts';
import { createPasswordCheckLimiter, type PasswordCheckLimiter } from '../src/auth/passwordCheckLimiter.ts';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/log.ts';
import { createStripeClient } from '../src/stripe/createStripeClient.ts';
import { startBenchDatabase } from './db.ts';
import { round, summarize, writeReport } from './lib.ts';

const REQUESTS = Number(process.env.LOGIN_FLOOD_REQUESTS ?? 300);
const FLOODERS = 40;
const RATE = 200;
const JWT_SECRET = 'bench-jwt-secret-0123456789-abcdefghijklmnop';

const db = await startBenchDatabase({ poolSize: 20 });
await db.pool.query(`insert into spaces (name, location) select 'Space ' || i, 'Floor ' || (i % 12) from generate_series(1, 1000) i`);
await db.pool.query('vacuum analyze');
const config = loadConfig({ JWT_SECRET, STRIPE_API_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'silent' });

async function measure(passwordChecks: PasswordCheckLimiter | null): Promise<{ p50: number; p90: number; p99: number; logins: number; busy: number }> {
  const app = createApp({ config, pool: db.pool, stripe: createStripeClient({ apiUrl: config.stripeApiUrl }), log: silentLogger, ...(passwordChecks ? { passwordChecks } : {}) });
  let running = passwordChecks !== null;
  let logins = 0;
  let busy = 0;
  // Open loop: a login every 1000/RATE ms whatever the answers, at most FLOODERS in flight (an
  // attacker with that many connections). Distinct emails: the per-email throttle never stops them.
  const inFlight = new Set<Promise<void>>();
  let n = 0;
  const ticker = running
    ? setInterval(() => {
        if (inFlight.size >= FLOODERS) return;
        const p = (async () => {
          const res = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `flood-${n++}@example.com`, password: 'wrong-password' }) });
          await res.arrayBuffer();
          logins++;
          if (res.status === 503) busy++;
        })();
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      }, 1000 / RATE)
    : undefined;
  for (let i = 0; i < 20; i++) await (await app.request('/api/spaces')).arrayBuffer();
  const samples: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = performance.now();
    const res = await app.request('/api/spaces');
    await res.arrayBuffer();
    samples.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`GET /api/spaces answered ${res.status}`);
  }
  running = false;
  clearInterval(ticker);
  await Promise.all(inFlight);
  const sorted = [...samples].sort((a, b) => a - b);
  const s = summarize(samples);
  return { p50: s.p50, p90: sorted[Math.ceil(0.9 * sorted.length) - 1], p99: s.p99, logins, busy };
}

const rows = [];
for (const [name, limiter] of [
  ['no login flood', null],
  [`login flood, default cap (1 check, 8 waiting)`, createPasswordCheckLimiter()],
  [`login flood, no cap`, createPasswordCheckLimiter({ concurrency: 10_000, queue: 0 })],
] as const) {
  const r = await measure(limiter);
  rows.push({ case: name, requests: REQUESTS, p50_ms: round(r.p50), p90_ms: round(r.p90), p99_ms: round(r.p99), logins: r.logins, logins_503: r.busy });
}

writeReport({
  name: 'login-flood',
  description: `GET /api/spaces (anon, 1,000 spaces) in-process, sequential, beside ${RATE} sign-ins/s with wrong passwords over at most ${FLOODERS} connections (PBKDF2 600k); Postgres ${db.postgresVersion}`,
  rows,
  details: { requestsPerCase: REQUESTS, maxConnections: FLOODERS, loginsPerSecond: RATE },
});
await db.stop();
