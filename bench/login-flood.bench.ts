// GET /api/spaces (anon, 1,000 spaces) while 40 clients keep signing in with wrong passwords
// (PBKDF2, 600,000 rounds each): latency percentiles with no flood, with the flood under the default
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
  const flooders = running
    ? Array.from({ length: FLOODERS }, async (_, i) => {
        // Distinct emails, so the per-email throttle never stops them: only the cap does.
        for (let n = 0; running; n++) {
          const res = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `flood-${i}-${n}@example.com`, password: 'wrong-password' }) });
          await res.arrayBuffer();
          logins++;
          if (res.status === 503) {
            busy++;
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      })
    : [];
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
  await Promise.all(flooders);
  const sorted = [...samples].sort((a, b) => a - b);
  const s = summarize(samples);
  return { p50: s.p50, p90: sorted[Math.ceil(0.9 * sorted.length) - 1], p99: s.p99, logins, busy };
}

const rows = [];
for (const [name, limiter] of [
  ['no login flood', null],
  [`${FLOODERS} clients signing in, default cap (2 checks, 8 waiting)`, createPasswordCheckLimiter()],
  [`${FLOODERS} clients signing in, no cap`, createPasswordCheckLimiter({ concurrency: 10_000, queue: 0 })],
] as const) {
  const r = await measure(limiter);
  rows.push({ case: name, requests: REQUESTS, p50_ms: round(r.p50), p90_ms: round(r.p90), p99_ms: round(r.p99), logins: r.logins, logins_503: r.busy });
}

writeReport({
  name: 'login-flood',
  description: `GET /api/spaces (anon, 1,000 spaces) in-process, sequential, beside ${FLOODERS} clients signing in with wrong passwords (PBKDF2 600k); Postgres ${db.postgresVersion}`,
  rows,
  details: { requestsPerCase: REQUESTS, flooders: FLOODERS },
});
await db.stop();
