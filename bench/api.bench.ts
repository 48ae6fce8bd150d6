// GET /api/spaces on a catalog of 10,000 spaces (2 prices each): latency percentiles of the app
// (routing, auth, withClaims + RLS, the query, JSON) for anon and admin callers, in-process
// (app.request, no sockets), one request at a time.
import { SignJWT } from 'jose';
import { createApp } from '../src/api/app.ts';
import { createUser } from '../src/auth/createUser.ts';
import { issueToken } from '../src/auth/issueToken.ts';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/log.ts';
import { createStripeClient } from '../src/stripe/createStripeClient.ts';
import { startBenchDatabase } from './db.ts';
import { round, summarize, writeReport } from './lib.ts';

const SPACES = 10_000;
const REQUESTS = Number(process.env.API_BENCH_REQUESTS ?? 1000);
const JWT_SECRET = 'bench-jwt-secret-0123456789-abcdefghijklmnop';

const db = await startBenchDatabase();
await db.pool.query(
  `insert into spaces (name, location, kind, capacity)
   select 'Space ' || i, 'Floor ' || (i % 12), (array['meeting_room','desk','office','venue','other'])[1 + i % 5], 1 + i % 40
     from generate_series(1, $1) i`,
  [SPACES],
);
await db.pool.query(
  `insert into space_prices (space_id, pricing_type, unit_amount, currency, recurring_interval)
   select id, t.pricing_type, 1000 + (random() * 9000)::int, 'eur', t.recurring_interval
     from spaces, (values ('hourly', null), ('monthly', 'month')) t(pricing_type, recurring_interval)`,
);
// Sync state as the worker leaves it: mostly synced, some errors (sync-state writes bump nothing).
await db.pool.query(`update spaces set sync_status = (array['pending','synced','synced','synced','error'])[1 + abs(hashtext(id::text)) % 5], synced_version = version`);
await db.pool.query('vacuum analyze');

const config = loadConfig({ JWT_SECRET, STRIPE_API_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'silent' });
const app = createApp({ config, pool: db.pool, stripe: createStripeClient({ apiUrl: config.stripeApiUrl }), log: silentLogger });
const admin = await new SignJWT({ sub: '00000000-0000-4000-8000-00000000000a', role: 'authenticated', aud: 'authenticated', app_metadata: { role: 'admin' } })
  .setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(JWT_SECRET));
// A token of the embedded login: each request also checks its user's token_version (revocation).
const loginUser = await createUser(db.pool, { email: 'bench-admin@example.com', password: 'bench-admin-password', admin: true, iterations: 1000 });
const { rows: [{ token_version: tokenVersion }] } = await db.pool.query('select token_version from users where id = $1', [loginUser.id]);
const embedded = await issueToken({ id: loginUser.id, email: loginUser.email, role: 'admin', tokenVersion }, JWT_SECRET);

const cases: Array<{ name: string; path: string; token?: string }> = [
  { name: 'anon, first page (50)', path: '/api/spaces' },
  { name: 'admin, first page (50)', path: '/api/spaces', token: admin },
  { name: 'admin (embedded login: revocation check), first page (50)', path: '/api/spaces', token: embedded },
  { name: 'admin, search ?q=space 12', path: '/api/spaces?q=space%2012', token: admin },
  { name: 'admin, ?status=error', path: '/api/spaces?status=error', token: admin },
  { name: 'admin, page at offset 9,000', path: '/api/spaces?offset=9000', token: admin },
  { name: 'admin, limit 500', path: '/api/spaces?limit=500', token: admin },
];

const rows = [];
for (const c of cases) {
  const init = c.token ? { headers: { authorization: `Bearer ${c.token}` } } : {};
  let total = 0;
  for (let i = 0; i < 50; i++) await (await app.request(c.path, init)).arrayBuffer(); // warm-up
  const samples: number[] = [];
  const n = c.path.includes('limit=500') ? Math.ceil(REQUESTS / 5) : REQUESTS;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await app.request(c.path, init);
    const body = (await res.json()) as { total: number };
    samples.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${c.path} answered ${res.status}`);
    total = body.total;
  }
  const s = summarize(samples);
  rows.push({ case: c.name, requests: n, total, p50_ms: round(s.p50), p99_ms: round(s.p99), mean_ms: round(s.mean) });
}

writeReport({
  name: 'api',
  description: `GET /api/spaces with ${SPACES.toLocaleString('en')} spaces (2 prices each), in-process app.request, sequential; Postgres ${db.postgresVersion}`,
  rows,
  details: { spaces: SPACES, requestsPerCase: REQUESTS },
});
await db.stop();
