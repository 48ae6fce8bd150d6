// GET /api/spaces?q=… over 100,000 spaces written by SQL: latency p50/p95 of an accent-free search
// ("reunion" finding "Salle de réunion …", about 2% of the catalog) as an admin and as anon, in-process
// (app.request, no sockets), one request at a time; and the plan of the search the endpoint delegates
// (spacesync_search_space_ids), which must use the trigram index — the run stops otherwise.
import { SignJWT } from 'jose';
import { createApp } from '../src/api/app.ts';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/log.ts';
import { createStripeClient } from '../src/stripe/createStripeClient.ts';
import { startBenchDatabase } from './db.ts';
import { percentile, round, summarize, writeReport } from './lib.ts';
import { SEARCH_CATALOG_SPACES, seedSearchCatalog } from './seedSearchCatalog.ts';

const REQUESTS = Number(process.env.SEARCH_BENCH_REQUESTS ?? 100);
const JWT_SECRET = 'bench-jwt-secret-0123456789-abcdefghijklmnop';

const db = await startBenchDatabase();
const seeding = performance.now();
await seedSearchCatalog(db.pool, SEARCH_CATALOG_SPACES);
const seedMs = performance.now() - seeding;
console.error(`seeded ${SEARCH_CATALOG_SPACES} spaces in ${Math.round(seedMs)} ms`);

const { rows: planRows } = await db.pool.query<{ 'QUERY PLAN': string }>(
  `explain select s.id from public.spaces s
    where public.spacesync_fold(s.name || ' ' || coalesce(s.location, '')) like public.spacesync_fold($1)
      and ((s.deleted_at is null and s.active) or public.is_admin())`,
  ['%reunion%'],
);
const plan = planRows.map((r) => r['QUERY PLAN']).join('\n');
if (!/Index Scan on spaces_search_idx/.test(plan)) throw new Error(`the search does not use the trigram index:\n${plan}`);

const config = loadConfig({ JWT_SECRET, STRIPE_API_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'silent' });
const app = createApp({ config, pool: db.pool, stripe: createStripeClient({ apiUrl: config.stripeApiUrl }), log: silentLogger });
const admin = await new SignJWT({ sub: '00000000-0000-4000-8000-00000000000a', role: 'authenticated', aud: 'authenticated', app_metadata: { role: 'admin' } })
  .setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(JWT_SECRET));

const cases: Array<{ name: string; path: string; token?: string; requests?: number }> = [
  { name: 'admin, ?q=reunion', path: '/api/spaces?q=reunion', token: admin },
  { name: 'anon, ?q=reunion', path: '/api/spaces?q=reunion' },
  { name: 'admin, ?q=geneve (a location, 10%)', path: '/api/spaces?q=geneve', token: admin, requests: 30 },
];

const rows = [];
for (const c of cases) {
  const init = c.token ? { headers: { authorization: `Bearer ${c.token}` } } : {};
  for (let i = 0; i < 20; i++) await (await app.request(c.path, init)).arrayBuffer(); // warm-up
  const samples: number[] = [];
  let total = 0;
  const n = c.requests ?? REQUESTS;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await app.request(c.path, init);
    const body = (await res.json()) as { total: number };
    samples.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${c.path} answered ${res.status}`);
    total = body.total;
  }
  console.error(`${c.name}: ${n} requests`);
  const s = summarize(samples);
  const sorted = [...samples].sort((a, b) => a - b);
  rows.push({ case: c.name, requests: n, found: total, p50_ms: round(s.p50), p95_ms: round(percentile(sorted, 95)), p99_ms: round(s.p99), mean_ms: round(s.mean) });
}

// The peer: the search as the list ran it before migration 000086, its condition under RLS (which
// cannot use the index), for the same count query as an admin. A few runs: each reads every row.
const PEER_RUNS = 5;
const peer: number[] = [];
for (let i = 0; i < PEER_RUNS; i++) {
  const client = await db.pool.connect();
  try {
    await client.query('begin');
    await client.query(`set local role authenticated`);
    await client.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ role: 'authenticated', app_metadata: { role: 'admin' } })]);
    const t0 = performance.now();
    await client.query(
      `select count(*)::int from public.spaces s
        where s.deleted_at is null and public.spacesync_fold(s.name || ' ' || coalesce(s.location, '')) like public.spacesync_fold($1)`,
      ['%reunion%'],
    );
    peer.push(performance.now() - t0);
    await client.query('rollback');
  } finally {
    client.release();
  }
}
const peerSummary = summarize(peer);
rows.push({ case: 'peer: the condition under RLS (before 000086), count query only, admin, ?q=reunion', requests: PEER_RUNS, found: null, p50_ms: round(peerSummary.p50), p95_ms: round(percentile([...peer].sort((a, b) => a - b), 95)), p99_ms: round(peerSummary.p99), mean_ms: round(peerSummary.mean) });

writeReport({
  name: 'space-search',
  description: `GET /api/spaces?q=… over ${SEARCH_CATALOG_SPACES.toLocaleString('en')} spaces written by SQL, in-process app.request, sequential; Postgres ${db.postgresVersion}; a 2-core machine shared with other work (loaded)`,
  rows,
  details: { spaces: SEARCH_CATALOG_SPACES, requestsPerCase: REQUESTS, seedMs: Math.round(seedMs), searchPlan: plan.split('\n').map((l) => l.replace(/Index Cond: .*/, 'Index Cond: (folded name and location) ~~ pattern').replace(/Filter: .*/, 'Filter: (visibility)')) },
});
await db.stop();
