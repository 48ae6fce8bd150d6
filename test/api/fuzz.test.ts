// Property-based fuzzing of space payloads: whatever the body, never a 5xx, and a 4xx writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createTestDatabase } from '../helpers/db.ts';
import { adminToken, json, testApp, validSpace } from './helpers.ts';

const db = await createTestDatabase();
const app = testApp(db.pool);
const admin = await adminToken();
const { rows: [target] } = await db.pool.query(`insert into spaces (name) values ('Target') returning id`);

async function fingerprint(): Promise<string> {
  const { rows } = await db.pool.query(`select
    (select count(*) from spaces) as s, (select coalesce(max(version), 0) from spaces) as v,
    (select count(*) from space_prices) as p, (select count(*) from space_prices where deleted_at is not null) as d,
    (select count(*) from graphile_worker._private_jobs) as j,
    (select md5(coalesce(string_agg(to_jsonb(x)::text, ',' order by id), '')) from spaces x) as h`);
  return JSON.stringify(rows[0]);
}

const weird = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('', ' ', "'; drop table spaces; --", '\u0000', 'eur', 'EUR', 'usd', 'hourly', 'month', 'https://x.example/a.png', 'javascript:alert(1)', '9'.repeat(400), 'x'.repeat(6000)),
  fc.constantFrom(-1, 0, 1, 99999999, 100000000, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER, 1.5, -0),
  fc.array(fc.string(), { maxLength: 10 }),
  fc.dictionary(fc.string({ maxLength: 45 }), fc.oneof(fc.string({ maxLength: 510 }), fc.integer(), fc.constant(null)), { maxKeys: 8 }),
);

const priceArb = fc.record({
  id: fc.oneof(fc.uuid(), weird),
  pricing_type: fc.oneof(fc.constantFrom('hourly', 'half_day', 'daily', 'weekly', 'monthly'), weird),
  unit_amount: fc.oneof(fc.integer({ min: -10, max: 100_000_010 }), weird),
  currency: fc.oneof(fc.constantFrom('eur', 'usd', 'jpy', 'xxx'), weird),
  recurring_interval: fc.oneof(fc.constantFrom('day', 'week', 'month', 'year', null), weird),
  recurring_interval_count: fc.oneof(fc.integer({ min: -2, max: 400 }), weird),
  tax_behavior: fc.oneof(fc.constantFrom('inclusive', 'exclusive', 'unspecified'), weird),
  currency_options: fc.oneof(fc.dictionary(fc.constantFrom('usd', 'eur', 'gbp', 'zzz'), fc.record({ unit_amount: fc.oneof(fc.integer({ min: -5, max: 100_000_005 }), weird) })), weird),
  nickname: fc.oneof(fc.string({ maxLength: 300 }), weird),
  is_default: fc.oneof(fc.boolean(), weird),
  active: fc.oneof(fc.boolean(), weird),
  lookup_key: fc.oneof(fc.string({ maxLength: 210 }), weird),
  position: fc.oneof(fc.integer({ min: -3, max: 2 ** 31 + 5 }), weird),
}, { requiredKeys: [] });

const spaceArb = fc.record({
  name: fc.oneof(fc.string({ maxLength: 260 }), weird),
  description: fc.oneof(fc.string({ maxLength: 50 }), weird),
  kind: fc.oneof(fc.constantFrom('meeting_room', 'desk', 'office', 'venue', 'other'), weird),
  capacity: fc.oneof(fc.integer({ min: -5, max: 100_005 }), weird),
  location: fc.oneof(fc.string({ maxLength: 50 }), weird),
  images: fc.oneof(fc.array(fc.oneof(fc.webUrl(), fc.string()), { maxLength: 10 }), weird),
  currency: fc.oneof(fc.constantFrom('eur', 'usd'), weird),
  active: fc.oneof(fc.boolean(), weird),
  metadata: fc.oneof(fc.dictionary(fc.string({ maxLength: 45 }), fc.string({ maxLength: 510 }), { maxKeys: 50 }), weird),
  prices: fc.oneof(fc.array(priceArb, { maxLength: 5 }), weird),
  sync_status: weird,
  app_metadata: weird,
  version: weird,
}, { requiredKeys: [] });

const bodyArb = fc.oneof(
  { weight: 6, arbitrary: spaceArb },
  { weight: 2, arbitrary: fc.record({ ...Object.fromEntries(Object.entries(validSpace()).map(([k, v]) => [k, fc.constant(v)])) }).chain((base) => spaceArb.map((s) => ({ ...base, ...s }))) },
  { weight: 1, arbitrary: weird },
  { weight: 1, arbitrary: fc.string().map((s) => ({ __raw: s })) },
);

function send(method: string, path: string, body: unknown) {
  const raw = typeof body === 'object' && body !== null && '__raw' in body ? String((body as { __raw: string }).__raw) : JSON.stringify(body);
  return app.request(path, json(method, raw, admin));
}

test('POST /api/spaces: never a 5xx; a 4xx writes nothing', async () => {
  await fc.assert(
    fc.asyncProperty(bodyArb, async (body) => {
      const before = await fingerprint();
      const res = await send('POST', '/api/spaces', body);
      const text = await res.text();
      assert.ok(res.status < 500, `${res.status} ${text} for ${JSON.stringify(body).slice(0, 500)}`);
      if (res.status >= 400) {
        assert.equal(await fingerprint(), before, `a ${res.status} wrote something`);
        const err = JSON.parse(text) as { error: { code: string; message: string } };
        assert.ok(err.error.code && err.error.message);
      } else assert.equal(res.status, 201);
    }),
    { numRuns: 250, seed: 42 },
  );
});

test('PATCH /api/spaces/:id: never a 5xx; a 4xx writes nothing', async () => {
  await fc.assert(
    fc.asyncProperty(bodyArb, async (body) => {
      const before = await fingerprint();
      const res = await send('PATCH', `/api/spaces/${target.id}`, body);
      const text = await res.text();
      assert.ok(res.status < 500, `${res.status} ${text} for ${JSON.stringify(body).slice(0, 500)}`);
      if (res.status >= 400) assert.equal(await fingerprint(), before, `a ${res.status} wrote something`);
    }),
    { numRuns: 250, seed: 7 },
  );
});
