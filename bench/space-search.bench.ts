// GET /api/spaces?q=… over 100,000 spaces written by SQL: latency p50/p95 of an accent-free search as an
// admin and as anon, in-process (app.request, no sockets), one request at a time: a narrow term
// ("reunion" finding "Salle de réunion …", 2% of the catalog), a location (10%) and a broad term
// ("etage", in every space), newest first, by name and by location. The plans of the search the endpoint delegates
// (spacesync_search_spaces) are checked first — the trigram index on search_text for the narrow term,
// the created_at index for the broad one — and the run stops otherwise.
//
// The peer is the same search as the list ran it before migration 000096, rebuilt here in the bench's
// own database: the trigram index on the folded expression (every candidate folded again to recheck)
// and the ids through spacesync_search_space_ids' old body, for its count and its page as an admin.
import os from 'node:os';
import { SignJWT } from 'jose';
import { createApp } from '../src/api/app.ts';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/log.ts';
import { createStripeClient } from '../src/stripe/createStripeClient.ts';
import { withClaims } from '../src/db/withClaims.ts';
import { startBenchDatabase } from './db.ts';
import { percentile, round, summarize, writeReport } from './lib.ts';
import { SEARCH_CATALOG_SPACES, seedSearchCatalog } from './seedSearchCatalog.ts';

const REQUESTS = Number(process.env.SEARCH_BENCH_REQUESTS ?? 100);
const PEER_REQUESTS = Number(process.env.SEARCH_BENCH_PEER_REQUESTS ?? 20);
const JWT_SECRET = 'bench-jwt-secret-0123456789-abcdefghijklmnop';
const loadBefore = os.loadavg();

const db = await startBenchDatabase();
const seeding = performance.now();
await seedSearchCatalog(db.pool, SEARCH_CATALOG_SPACES);
const seedMs = performance.now() - seeding;
console.error(`seeded ${SEARCH_CATALOG_SPACES} spaces in ${Math.round(seedMs)} ms`);

/** The plan of the search's own statement, as spacesync_search_spaces runs it (as the table's owner). */
async function searchPlan(pattern: string, order: string): Promise<string> {
  const { rows } = await db.pool.query<{ 'QUERY PLAN': string }>(
    `explain select array(select s.id from public.spaces s
       where s.search_text like $1 and ((s.deleted_at is null and s.active) or $2) and s.deleted_at is null
       order by ${order} limit 50 offset 0)`,
    [pattern, false],
  );
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}
const narrowPlan = await searchPlan('%reunion%', 's.created_at desc, s.id desc');
if (!/Bitmap Index Scan on spaces_search_idx/.test(narrowPlan) && !/Index Scan Backward using spaces_created_at_id_idx/.test(narrowPlan)) {
  throw new Error(`the narrow search uses neither the trigram index nor the created_at index:\n${narrowPlan}`);
}
const broadPlan = await searchPlan('%etage%', 's.created_at desc, s.id desc');
if (!/Index Scan Backward using spaces_created_at_id_idx/.test(broadPlan)) throw new Error(`the broad search does not walk the created_at index:\n${broadPlan}`);
const { rows: countPlanRows } = await db.pool.query<{ 'QUERY PLAN': string }>(
  `explain select count(*) from (select from public.spaces s where s.search_text like $1 and s.deleted_at is null limit 2001) c`, ['%reunion%'],
);
const countPlan = countPlanRows.map((r) => r['QUERY PLAN']).join('\n');
if (!/Bitmap Index Scan on spaces_search_idx/.test(countPlan)) throw new Error(`the narrow count does not use the trigram index:\n${countPlan}`);

const config = loadConfig({ JWT_SECRET, STRIPE_API_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'silent' });
const app = createApp({ config, pool: db.pool, stripe: createStripeClient({ apiUrl: config.stripeApiUrl }), log: silentLogger });
const admin = await new SignJWT({ sub: '00000000-0000-4000-8000-00000000000a', role: 'authenticated', aud: 'authenticated', app_metadata: { role: 'admin' } })
  .setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(JWT_SECRET));

const cases: Array<{ name: string; path: string; token?: string; requests?: number }> = [
  { name: 'admin, ?q=reunion', path: '/api/spaces?q=reunion', token: admin },
  { name: 'anon, ?q=reunion', path: '/api/spaces?q=reunion' },
  { name: 'admin, ?q=reunion&sort=name', path: '/api/spaces?q=reunion&sort=name', token: admin },
  { name: 'admin, ?q=geneve (a location, 10%)', path: '/api/spaces?q=geneve', token: admin },
  { name: 'admin, ?q=etage (every space)', path: '/api/spaces?q=etage', token: admin },
  { name: 'anon, ?q=etage (every space)', path: '/api/spaces?q=etage' },
  { name: 'admin, ?q=etage&sort=name&order=desc (every space)', path: '/api/spaces?q=etage&sort=name&order=desc', token: admin },
  { name: 'admin, ?q=etage&sort=location (every space)', path: '/api/spaces?q=etage&sort=location', token: admin },
];

const rows = [];
for (const c of cases) {
  const init = c.token ? { headers: { authorization: `Bearer ${c.token}` } } : {};
  for (let i = 0; i < 20; i++) await (await app.request(c.path, init)).arrayBuffer(); // warm-up
  const samples: number[] = [];
  let found = '';
  const n = c.requests ?? REQUESTS;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await app.request(c.path, init);
    const body = (await res.json()) as { total: number; total_capped: boolean };
    samples.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${c.path} answered ${res.status}`);
    found = `${body.total.toLocaleString('en')}${body.total_capped ? '+' : ''}`;
  }
  console.error(`${c.name}: ${n} requests`);
  const s = summarize(samples);
  const sorted = [...samples].sort((a, b) => a - b);
  rows.push({ case: c.name, requests: n, found, p50_ms: round(s.p50), p95_ms: round(percentile(sorted, 95)), p99_ms: round(s.p99), mean_ms: round(s.mean) });
}

// The peer: the search as it was before migration 000096 — the trigram index on the folded expression
// and the ids function over it — its count and its page of ids, as an admin under RLS.
await db.pool.query(`drop index public.spaces_search_idx`);
await db.pool.query(`create index bench_search_expression_idx on public.spaces using gin (public.spacesync_fold(name || ' ' || coalesce(location, '')) public.gin_trgm_ops)`);
await db.pool.query(`create function public.bench_search_space_ids_before_000096(pattern text) returns setof uuid
  language sql stable security definer set search_path = pg_catalog, public rows 200
  as $$ select s.id from public.spaces s
         where public.spacesync_fold(s.name || ' ' || coalesce(s.location, '')) like public.spacesync_fold(pattern)
           and ((s.deleted_at is null and s.active) or public.is_admin()) $$`);
await db.pool.query(`grant execute on function public.bench_search_space_ids_before_000096(text) to authenticated`);
await db.pool.query('analyze public.spaces');
const peerClaims = { sub: '00000000-0000-4000-8000-00000000000a', role: 'authenticated', app_metadata: { role: 'admin' } };
const peer: number[] = [];
let peerFound = 0;
for (let i = 0; i < PEER_REQUESTS + 2; i++) {
  const t0 = performance.now();
  await withClaims(db.pool, peerClaims, async (client) => {
    const where = `where s.deleted_at is null and s.id in (select public.bench_search_space_ids_before_000096($1))`;
    peerFound = (await client.query<{ total: number }>(`select count(*)::int as total from public.spaces s ${where}`, ['%reunion%'])).rows[0].total;
    await client.query(`select s.id from public.spaces s ${where} order by s.created_at desc nulls last, s.id desc limit 50`, ['%reunion%']);
  });
  if (i >= 2) peer.push(performance.now() - t0); // the first two warm up
}
console.error(`peer: ${PEER_REQUESTS} searches`);
const peerSummary = summarize(peer);
rows.push({
  case: 'peer: before 000096 (folded expression index), count and page ids, admin, ?q=reunion',
  requests: PEER_REQUESTS, found: peerFound.toLocaleString('en'),
  p50_ms: round(peerSummary.p50), p95_ms: round(percentile([...peer].sort((a, b) => a - b), 95)), p99_ms: round(peerSummary.p99), mean_ms: round(peerSummary.mean),
});
const loadAfter = os.loadavg();

const plainPlan = (plan: string) => plan.split('\n').map((l) => l.replace(/Filter: .*/, 'Filter: (visibility, pattern)'));
writeReport({
  name: 'space-search',
  description: `GET /api/spaces?q=… over ${SEARCH_CATALOG_SPACES.toLocaleString('en')} spaces written by SQL, in-process app.request, sequential; Postgres ${db.postgresVersion}; a 2-core machine shared with other work (load average ${loadBefore[0].toFixed(1)} before, ${loadAfter[0].toFixed(1)} after)`,
  rows,
  details: {
    spaces: SEARCH_CATALOG_SPACES, requestsPerCase: REQUESTS, peerRequests: PEER_REQUESTS, seedMs: Math.round(seedMs),
    loadAverage1m: { before: round(loadBefore[0]), after: round(loadAfter[0]) },
    previousRun: 'before migration 000096, 2026-12-02 (loaded machine): admin ?q=reunion p50 412.78 ms, p95 872.8 ms; anon p50 602.41 ms; ?q=geneve p50 2,851 ms',
    narrowPlan: plainPlan(narrowPlan), broadPlan: plainPlan(broadPlan), narrowCountPlan: plainPlan(countPlan),
  },
});
await db.stop();
