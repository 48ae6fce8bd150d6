// Property-based test over every route of the API: thousands of generated requests (method, path,
// query string, headers, body; as anonymous, user, admin, an embedded-login token, or forged and
// malformed tokens). Whatever is sent: never a 5xx, never a logged server error, and an answer in the
// 4xx range writes nothing (every table is fingerprinted before and after).
// Reproducible: the seed is printed; `ROUTES_FUZZ_SEED=<n> npm test -- test/api/routes.property`
// replays a run, ROUTES_FUZZ_RUNS changes its length.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { createTestDatabase } from '../helpers/db.ts';
import { startEmulator } from '../../src/emulator/index.ts';
import { createStripeClient } from '../../src/stripe/createStripeClient.ts';
import { createUser } from '../../src/auth/createUser.ts';
import { textProblem } from '../../src/catalog/storableText.ts';
import { adminToken, capturingLogger, deepJsonText, JWT_SECRET, sign, signRaw, testApp, testConfig, userToken, validSpace, ADMIN_ID } from './helpers.ts';

const SEED = Number(process.env.ROUTES_FUZZ_SEED ?? 20_261_202);
const RUNS = Number(process.env.ROUTES_FUZZ_RUNS ?? 3000);

const db = await createTestDatabase();
const emulator = await startEmulator();
after(() => emulator.stop());
const config = testConfig({ STRIPE_API_URL: emulator.url });
const lines: string[] = [];
const app = testApp(db.pool, { config, log: capturingLogger(lines), stripe: createStripeClient({ apiUrl: emulator.url, maxNetworkRetries: 0, timeoutMs: 2000 }) });

const { rows: [target] } = await db.pool.query<{ id: string }>(`insert into spaces (name) values ('Target') returning id`);
await db.pool.query(`insert into space_prices (space_id, pricing_type, unit_amount, currency) values ($1, 'hourly', 100, 'eur')`, [target.id]);
const { rows: [run] } = await db.pool.query<{ id: string }>(`insert into catalog_runs (dry_run) values (true) returning id`);
await db.pool.query(`insert into application_logs (source, event, message, space_id) values ('sync', 'seed', 'seed', $1)`, [target.id]);
const LOGIN_EMAIL = 'fuzz-admin@example.com';
const LOGIN_PASSWORD = 'fuzz-admin-password';
await createUser(db.pool, { email: LOGIN_EMAIL, password: LOGIN_PASSWORD, admin: true, iterations: 1000 });
const login = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: LOGIN_EMAIL, password: LOGIN_PASSWORD }) });
const embeddedToken = ((await login.json()) as { access_token: string }).access_token;

const deep = (n: number): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v };
  return v;
};
const tokens = {
  admin: await adminToken(),
  user: await userToken(),
  embedded: embeddedToken,
  anonKey: await sign({ role: 'anon', iss: 'supabase' }, { expiresIn: '10y' }),
  service: await sign({ role: 'service_role' }),
  nulClaim: await sign({ sub: ADMIN_ID, role: 'authenticated', aud: 'authenticated', email: 'a\u0000@b.c', app_metadata: { role: 'admin' } }),
  surrogateClaim: await sign({ sub: ADMIN_ID, role: 'authenticated', aud: 'authenticated', app_metadata: { role: 'admin\uD800' } }),
  deepClaim: await signRaw(`{"sub":"${ADMIN_ID}","role":"authenticated","aud":"authenticated","app_metadata":{"role":"admin"},"exp":${Math.floor(Date.now() / 1000) + 3600},"iat":${Math.floor(Date.now() / 1000)},"x":${deepJsonText(5000)}}`),
  badSub: await sign({ sub: 'not-a-uuid', role: 'authenticated', aud: 'authenticated', app_metadata: { role: 'admin' } }),
  evilAud: await sign({ sub: ADMIN_ID, role: 'authenticated', aud: 'evil', app_metadata: { role: 'admin' } }),
  future: await new SignJWT({ sub: ADMIN_ID, role: 'authenticated', aud: 'authenticated', app_metadata: { role: 'admin' } })
    .setProtectedHeader({ alg: 'HS256' }).setIssuedAt(Math.floor(Date.now() / 1000) + 86_400).setExpirationTime('2d').sign(new TextEncoder().encode(JWT_SECRET)),
  forgedVersion: await sign({ sub: ADMIN_ID, role: 'authenticated', aud: 'authenticated', app_metadata: { role: 'admin' }, token_version: 'x' }),
};

// Every table of the schema and graphile-worker's jobs, except the login throttle's own bookkeeping
// (a refused login is meant to count).
const { rows: tables } = await db.pool.query<{ name: string }>(
  `select format('%I.%I', schemaname, tablename) as name from pg_tables
    where schemaname = 'public' and tablename <> 'login_attempts'
    union all select 'graphile_worker._private_jobs' order by 1`,
);
const fingerprintSql = tables
  .map((t) => `select '${t.name}' as t, count(*) as n, md5(coalesce(string_agg(x::text, ',' order by x::text), '')) as h from ${t.name} x`)
  .join(' union all ');
async function fingerprint(): Promise<string> {
  return JSON.stringify((await db.pool.query(fingerprintSql)).rows);
}

// ---- generators -------------------------------------------------------------------------------

const nasty = fc.constantFrom(
  '', ' ', '\u0000', 'a\u0000b', '\uD800', 'x\uDC00y', '\uDBFF\uDFFF', '\u202E', 'İ', 'ǅ', '\uFEFF', '%00', "'; drop table spaces; --",
  '99999', '-1', '1e999', 'NaN', 'Infinity', '0x10', '9'.repeat(400), 'x'.repeat(6000), 'true', 'null', '{}', '[]',
);
const text = fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength: 30 }) }, { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) }, { weight: 3, arbitrary: nasty });
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom(2 ** 31, 2 ** 53, -0, 1e20, -1e20, 1.5));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(text, tie('value'), { maxKeys: 4 })),
})).value;
const deepJson = fc.integer({ min: 30, max: 3000 }).map(deep);
const deepJsonBody = fc.integer({ min: 30, max: 100_000 }).map(deepJsonText);

const priceArb = fc.record({
  id: fc.oneof(fc.uuid(), text),
  pricing_type: fc.oneof(fc.constantFrom('hourly', 'daily', 'monthly'), text),
  unit_amount: fc.oneof(fc.integer({ min: -10, max: 100_000_010 }), scalar),
  currency: fc.oneof(fc.constantFrom('eur', 'usd'), text),
  recurring_interval: fc.oneof(fc.constantFrom('month', 'year', null), text),
  recurring_interval_count: fc.oneof(fc.integer({ min: -2, max: 400 }), scalar),
  currency_options: fc.oneof(fc.dictionary(fc.oneof(fc.constantFrom('usd', 'gbp'), text), fc.record({ unit_amount: scalar })), json),
  nickname: text,
  is_default: fc.oneof(fc.boolean(), scalar),
  lookup_key: text,
  position: fc.oneof(fc.integer({ min: -3, max: 2 ** 31 + 5 }), scalar),
}, { requiredKeys: [] });
const spaceArb = fc.record({
  name: text,
  description: text,
  kind: fc.oneof(fc.constantFrom('meeting_room', 'desk'), text),
  capacity: fc.oneof(fc.integer({ min: -5, max: 100_005 }), scalar),
  location: text,
  images: fc.oneof(fc.array(fc.oneof(fc.webUrl(), text), { maxLength: 3 }), json),
  currency: fc.oneof(fc.constantFrom('eur', 'usd'), text),
  active: fc.oneof(fc.boolean(), scalar),
  metadata: fc.oneof(fc.dictionary(text, text, { maxKeys: 4 }), json, deepJson),
  prices: fc.oneof(fc.array(priceArb, { maxLength: 3 }), json),
  sync_status: scalar,
  last_error: scalar,
}, { requiredKeys: [] });
const validish = spaceArb.map((s) => ({ ...validSpace({ prices: [] }), ...s }));
// A valid space with one field replaced: most of these are created (201) or refused on that field.
const oneFieldOff = fc
  .tuple(fc.constantFrom('name', 'description', 'location', 'capacity', 'kind', 'metadata', 'images', 'prices', 'currency'), fc.oneof(text, scalar, json), fc.boolean())
  .map(([key, value, keep]) => JSON.stringify(keep ? { ...validSpace({ name: `Fuzz ${JSON.stringify(value)?.slice(0, 40) ?? ""}` }) } : { ...validSpace(), [key]: value }));
const bodyArb = fc.oneof(
  { weight: 4, arbitrary: oneFieldOff },
  { weight: 4, arbitrary: spaceArb.map((v) => JSON.stringify(v)) },
  { weight: 3, arbitrary: validish.map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: fc.record({ email: fc.oneof(fc.constantFrom(LOGIN_EMAIL, 'FUZZ-ADMIN@EXAMPLE.COM', 'nobody@example.com', 'vİctim@example.com', 'x\u0000@a.b'), text), password: fc.oneof(fc.constant(LOGIN_PASSWORD), text) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: fc.record({ action: fc.oneof(fc.constantFrom('enforce', 'adopt'), scalar), dry_run: fc.oneof(fc.boolean(), scalar) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: json.map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 1, arbitrary: deepJsonBody },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 200_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constantFrom('', '{', '{"name":"\\u0000"}', '{"name":"\\ud800"}', '{"\\u0000":1}', '{"metadata":{"\\ud800":"x"}}', '"\\u0000"', 'null', '[]') },
);

/** A query value as it appears in the URL: raw percent sequences (bad UTF-8 included) or encoded text. */
const queryValue = fc.oneof(
  fc.constantFrom('%00', 'a%00b', '%ED%A0%80', '%FF', '%', '%E0%A4%A', '99999', '-99999', '+020000-01-01', '0000-01-01', '2026-13-45', '1e3', '0x1f', '-0', '9'.repeat(30), 'true', 'error', 'warn', 'synced', '2026-01-01T00:00:00Z'),
  fc.uuid(),
  text.filter((s) => textProblem(s) !== 'lone_surrogate').map(encodeURIComponent),
);
const queryName = fc.oneof(fc.constantFrom('q', 'status', 'limit', 'offset', 'include_deleted', 'space_id', 'level', 'source', 'since', 'before_id', 'dry_run'), fc.string({ maxLength: 6 }).map(encodeURIComponent));
const queryArb = fc.array(fc.tuple(queryName, queryValue), { maxLength: 5 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

const latin1 = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 60 });
// Tokens by name (`token:<name>`, resolved when the request is sent), so a counterexample stays readable.
const tokenArb = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom('admin', 'admin', 'embedded', 'user').map((k) => `token:${k}`) },
  { weight: 3, arbitrary: fc.constantFrom(...Object.keys(tokens)).map((k) => `token:${k}`) },
  fc.constantFrom('Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', 'Bearer a.b.c', 'Bearer eyJhbGciOiJub25lIn0.e30.', `Bearer ${'x'.repeat(900)}`),
  latin1.map((s) => `Bearer ${s}`),
);
const headerArb = fc.record({
  authorization: fc.oneof({ weight: 5, arbitrary: tokenArb }, fc.constant(undefined)),
  'content-type': fc.oneof(fc.constantFrom('application/json', 'text/plain', 'application/json; charset=latin1', 'multipart/form-data; boundary=x'), latin1),
  origin: fc.oneof(fc.constantFrom('https://evil.example', 'null', 'http://localhost'), latin1),
  'stripe-signature': fc.oneof(fc.constantFrom('t=1,v1=00', 't=99999999999,v1=ab', ''), latin1),
  'last-event-id': latin1,
  'x-forwarded-for': latin1,
  [`x-${'f'}`]: latin1,
}, { requiredKeys: [] }).map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)));

const someId = fc.oneof(fc.constant(target.id), fc.uuid(), fc.constantFrom('%00', 'x', '..', '%ED%A0%80', target.id.toUpperCase(), run.id));
const routeArb = fc.oneof(
  fc.constant(['GET', '/api/spaces']),
  fc.constant(['POST', '/api/spaces']),
  someId.map((id) => ['GET', `/api/spaces/${id}`]),
  someId.map((id) => ['PATCH', `/api/spaces/${id}`]),
  someId.map((id) => ['DELETE', `/api/spaces/${id}`]),
  someId.map((id) => ['POST', `/api/spaces/${id}/sync`]),
  someId.map((id) => ['POST', `/api/spaces/${id}/drift`]),
  fc.constant(['POST', '/api/catalog/runs']),
  someId.map((id) => ['GET', `/api/catalog/runs/${id}`]),
  fc.constant(['GET', '/api/logs']),
  fc.constant(['POST', '/api/auth/login']),
  fc.constant(['GET', '/api/auth/me']),
  fc.constant(['GET', '/api/config']),
  fc.constant(['POST', '/webhooks/stripe']),
  fc.constant(['GET', '/healthz']),
  fc.constant(['GET', '/metrics']),
  fc.tuple(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'), fc.constantFrom('/api/nothing', '/api/spaces/x/y/z', '/api/%00', '/api/assets/app.js.map', '/api')),
) as fc.Arbitrary<[string, string]>;

const requestArb = fc.record({ route: routeArb, query: queryArb, headers: headerArb, body: bodyArb });

// ---- the property -----------------------------------------------------------------------------

test(`every route, ${RUNS} generated requests (seed ${SEED}): never a 5xx, a 4xx writes nothing`, async (t) => {
  t.diagnostic(`seed ${SEED}: replay with ROUTES_FUZZ_SEED=${SEED}`);
  console.log(`# routes property test: seed ${SEED}, ${RUNS} runs (replay with ROUTES_FUZZ_SEED=${SEED})`);
  let before = await fingerprint();
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(requestArb, async ({ route: [method, path], query, headers, body }) => {
      const url = `http://localhost${path}${query ? `?${query}` : ''}`;
      const sent: Record<string, string> = { ...(headers as Record<string, string>) };
      if (sent.authorization?.startsWith('token:')) sent.authorization = `Bearer ${tokens[sent.authorization.slice(6) as keyof typeof tokens]}`;
      const init: RequestInit = { method, headers: sent };
      if (method !== 'GET' && method !== 'HEAD') init.body = body;
      const res = await app.request(url, init);
      const text = await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const what = `${method} ${url.slice(0, 300)} ${JSON.stringify(headers).slice(0, 300)} body ${body.slice(0, 300)}`;
      assert.ok(res.status < 500, `${res.status} ${text.slice(0, 300)} for ${what}; server log: ${lines.filter((l) => !l.includes('"level":"info"') && !l.includes('"level":"debug"')).slice(-4).join('\n').slice(0, 3000)}`);
      const errors = lines.filter((l) => l.includes('"level":"error"'));
      assert.equal(errors.length, 0, `server error logged for ${what}: ${errors.join('\n').slice(0, 1000)}`);
      const now = await fingerprint();
      if (res.status >= 400) {
        assert.equal(now, before, `a ${res.status} wrote something for ${what}`);
        if (path.startsWith('/api/') && res.status !== 404) {
          const parsed = JSON.parse(text) as { error: { code: string; message: string } };
          assert.ok(parsed.error.code && parsed.error.message, `an error body: ${text.slice(0, 200)}`);
        }
      }
      before = now;
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true, includeErrorInReport: true },
  );
  t.diagnostic(`statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  assert.ok([...statuses.keys()].some((s) => s >= 200 && s < 300), 'some requests succeeded');
  assert.ok((statuses.get(400) ?? 0) > RUNS / 10, 'many were refused as invalid');
});
