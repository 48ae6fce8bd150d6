// Spaces routes: CRUD with prices, validation (zod and database constraints), filters and paging,
// RLS for anon and non-admins, RPCs as the caller, catalog runs and logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../helpers/db.ts';
import { adminToken, json, testApp, userToken, validSpace } from './helpers.ts';

const db = await createTestDatabase();
const app = testApp(db.pool);
const admin = await adminToken();
const user = await userToken();

type Space = { id: string; name: string; version: number; sync_status: string; active: boolean; deleted_at: string | null; prices: Array<{ id: string; pricing_type: string; unit_amount: number; active: boolean; lookup_key: string }>; stripe_snapshot?: unknown };

async function create(body: unknown = validSpace()): Promise<Space> {
  const res = await app.request('/api/spaces', json('POST', body, admin));
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as Space;
}

async function countRows(): Promise<{ spaces: number; prices: number; jobs: number }> {
  const { rows: [r] } = await db.pool.query(`select (select count(*) from spaces)::int as spaces, (select count(*) from space_prices)::int as prices,
    (select count(*) from graphile_worker.jobs)::int as jobs`);
  return r;
}

test('POST creates a space with its prices, enqueues its sync, never exposes stripe_snapshot', async () => {
  const space = await create();
  assert.equal(space.name, 'Room A');
  assert.equal(space.prices.length, 2);
  assert.equal(space.prices[0].pricing_type, 'hourly');
  assert.ok(space.prices[0].lookup_key.startsWith('spacesync_'));
  assert.equal(space.sync_status, 'pending');
  assert.ok(!('stripe_snapshot' in space));
  const { rows } = await db.pool.query(`select payload from graphile_worker._private_jobs where key = $1`, [`sync_space:${space.id}`]);
  assert.equal(rows.length, 1);
});

test('GET /:id returns the space; 404 for unknown or malformed ids', async () => {
  const space = await create();
  const res = await app.request(`/api/spaces/${space.id}`);
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as Space).id, space.id);
  assert.equal((await app.request('/api/spaces/00000000-0000-4000-8000-000000000099')).status, 404);
  const bad = await app.request('/api/spaces/not-a-uuid');
  assert.equal(bad.status, 404);
  assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'not_found');
});

test('validation errors are 400 with each field keyed by its dotted path', async () => {
  const before = await countRows();
  const res = await app.request('/api/spaces', json('POST', { name: '', capacity: 0, prices: [{ pricing_type: 'hourly', unit_amount: -1, currency: 'eur' }, { pricing_type: 'yearly', unit_amount: 1, currency: 'xxx' }] }, admin));
  assert.equal(res.status, 400);
  const body = (await res.json()) as { error: { code: string; fields: Record<string, string> } };
  assert.equal(body.error.code, 'validation_failed');
  for (const f of ['name', 'capacity', 'prices.0.unit_amount', 'prices.1.pricing_type', 'prices.1.currency']) assert.ok(body.error.fields[f], `field ${f}: ${JSON.stringify(body.error.fields)}`);
  assert.deepEqual(await countRows(), before, 'nothing written');
  const notJson = await app.request('/api/spaces', json('POST', '{"name": ', admin));
  assert.equal(notJson.status, 400);
});

test('database constraint errors come back in the same shape (lookup_key taken)', async () => {
  const a = await create(validSpace({ prices: [{ pricing_type: 'hourly', unit_amount: 100, currency: 'eur', lookup_key: 'taken_key' }] }));
  assert.ok(a);
  const before = await countRows();
  const res = await app.request('/api/spaces', json('POST', validSpace({ name: 'B', prices: [{ pricing_type: 'hourly', unit_amount: 100, currency: 'eur', lookup_key: 'taken_key' }] }), admin));
  assert.equal(res.status, 409);
  const body = (await res.json()) as { error: { fields: Record<string, string> } };
  assert.ok(body.error.fields['prices.0.lookup_key']);
  assert.deepEqual(await countRows(), before, 'the space insert was rolled back too');
});

test('PATCH updates only the fields sent; prices are the full list (update, insert, soft delete)', async () => {
  const space = await create();
  const [hourly, monthly] = space.prices;
  const res = await app.request(`/api/spaces/${space.id}`, json('PATCH', {
    name: 'Room A+',
    prices: [{ id: hourly.id, pricing_type: 'hourly', unit_amount: 3000, currency: 'eur' }, { pricing_type: 'daily', unit_amount: 15000, currency: 'eur' }],
  }, admin));
  assert.equal(res.status, 200, await res.clone().text());
  const updated = (await res.json()) as Space & { description: string; capacity: number };
  assert.equal(updated.name, 'Room A+');
  assert.equal(updated.description, 'A quiet meeting room', 'untouched');
  assert.equal(updated.capacity, 8);
  assert.deepEqual(updated.prices.map((p) => [p.pricing_type, p.unit_amount]), [['hourly', 3000], ['daily', 15000]]);
  assert.equal(updated.prices[0].id, hourly.id);
  assert.equal(updated.prices[0].lookup_key, hourly.lookup_key, 'lookup key kept');
  const { rows } = await db.pool.query('select deleted_at from space_prices where id = $1', [monthly.id]);
  assert.ok(rows[0].deleted_at, 'the missing price is soft-deleted');
  assert.ok(updated.version > space.version);

  const foreign = await app.request(`/api/spaces/${space.id}`, json('PATCH', { prices: [{ id: '00000000-0000-4000-8000-000000000123', pricing_type: 'hourly', unit_amount: 1, currency: 'eur' }] }, admin));
  assert.equal(foreign.status, 400);
  assert.ok(((await foreign.json()) as { error: { fields: Record<string, string> } }).error.fields['prices.0.id']);
  const missing = await app.request('/api/spaces/00000000-0000-4000-8000-000000000099', json('PATCH', { name: 'x' }, admin));
  assert.equal(missing.status, 404);
  const badType = await app.request(`/api/spaces/${space.id}`, json('PATCH', { name: 42 }, admin));
  assert.equal(badType.status, 400);
});

test('DELETE soft-deletes: the row stays for admins with deleted_at, anon no longer sees it', async () => {
  const space = await create();
  const res = await app.request(`/api/spaces/${space.id}`, json('DELETE', undefined, admin));
  assert.equal(res.status, 200);
  const body = (await res.json()) as Space;
  assert.ok(body.deleted_at);
  assert.equal((await app.request(`/api/spaces/${space.id}`)).status, 404);
  const list = (await (await app.request('/api/spaces?limit=500', json('GET', undefined, admin))).json()) as { data: Space[] };
  assert.ok(!list.data.some((s) => s.id === space.id), 'hidden unless include_deleted');
  const all = (await (await app.request('/api/spaces?limit=500&include_deleted=true', json('GET', undefined, admin))).json()) as { data: Space[] };
  assert.ok(all.data.some((s) => s.id === space.id));
});

test('list: search, status filter, paging, total; anon and users see live spaces only', async () => {
  const fresh = await createTestDatabase();
  const a = testApp(fresh.pool);
  const names = ['Alpha hall', 'Beta desk', 'Gamma office', 'Alpha room', 'Hidden'];
  for (const name of names) {
    const r = await a.request('/api/spaces', json('POST', { name, location: name === 'Beta desk' ? 'Alphaville' : 'Town', active: name !== 'Hidden', prices: [{ pricing_type: 'hourly', unit_amount: 100, currency: 'eur', active: name !== 'Beta desk' }] }, admin));
    assert.equal(r.status, 201);
  }
  await fresh.pool.query(`update spaces set sync_status = 'error' where name = 'Gamma office'`);
  const get = async (q: string, token?: string) => (await (await a.request(`/api/spaces${q}`, json('GET', undefined, token))).json()) as { data: Space[]; total: number };
  assert.equal((await get('', admin)).total, 5);
  assert.equal((await get('')).total, 4, 'anon: inactive hidden');
  assert.equal((await get('', user)).total, 4, 'user: inactive hidden');
  assert.equal((await get('?q=alpha', admin)).total, 3, 'name or location');
  assert.equal((await get('?q=%25', admin)).total, 0, 'like wildcards are escaped');
  assert.deepEqual((await get('?status=error', admin)).data.map((s) => s.name), ['Gamma office']);
  const page = await get('?limit=2&offset=1', admin);
  assert.equal(page.data.length, 2);
  assert.equal(page.total, 5);
  const anon = await get('');
  const beta = anon.data.find((s) => s.name === 'Beta desk');
  assert.equal(beta?.prices.length, 0, 'anon sees live prices only');
  for (const q of ['?limit=0', '?limit=501', '?offset=-1', '?status=nope', '?include_deleted=maybe']) {
    assert.equal((await a.request(`/api/spaces${q}`)).status, 400, q);
  }
});

test('a non-admin cannot write through any route, whatever the body says', async () => {
  const space = await create();
  const crafted = [
    { name: 'x', app_metadata: { role: 'admin' }, role: 'service_role' },
    { name: 'x', sync_status: 'synced', synced_version: 99, stripe_product_id: 'prod_x', version: 1000 },
    { name: "x'); drop table spaces; --", description: "' or 1=1 --" },
  ];
  const before = await countRows();
  const snapshot = (await db.pool.query('select * from spaces where id = $1', [space.id])).rows[0];
  for (const body of crafted) {
    for (const [method, path] of [['POST', '/api/spaces'], ['PATCH', `/api/spaces/${space.id}`], ['DELETE', `/api/spaces/${space.id}`], ['POST', `/api/spaces/${space.id}/sync`], ['POST', `/api/spaces/${space.id}/drift`], ['POST', '/api/catalog/runs']]) {
      for (const token of [user, undefined]) {
        const res = await app.request(path, json(method, body, token));
        assert.ok(res.status === 401 || res.status === 403, `${method} ${path} → ${res.status}`);
      }
    }
  }
  assert.deepEqual(await countRows(), before);
  assert.deepEqual((await db.pool.query('select * from spaces where id = $1', [space.id])).rows[0], snapshot);
});

test('an admin cannot write sync state or inject SQL through the body', async () => {
  const res = await app.request('/api/spaces', json('POST', { name: "x'); drop table spaces; --", sync_status: 'synced', synced_version: 99, stripe_product_id: 'prod_evil', version: 1000, drift: { a: 1 }, stripe_snapshot: {} }, admin));
  assert.equal(res.status, 201);
  const space = (await res.json()) as Space & { stripe_product_id: string | null; synced_version: number | null };
  assert.equal(space.name, "x'); drop table spaces; --");
  assert.equal(space.sync_status, 'pending');
  assert.equal(space.stripe_product_id, null);
  assert.equal(space.synced_version, null);
  assert.equal(space.version, 1);
  const patch = await app.request(`/api/spaces/${space.id}`, json('PATCH', { sync_status: 'synced', last_error: 'x' }, admin));
  assert.equal(patch.status, 200);
  assert.equal(((await patch.json()) as Space).sync_status, 'pending');
});

test('POST /:id/sync and /:id/drift enqueue as the caller and return the job id', async () => {
  const space = await create();
  const res = await app.request(`/api/spaces/${space.id}/sync`, json('POST', undefined, admin));
  assert.equal(res.status, 202);
  const { job_id } = (await res.json()) as { job_id: number };
  const { rows } = await db.pool.query('select payload from graphile_worker._private_jobs where id = $1', [job_id]);
  assert.deepEqual(rows[0].payload, { space_id: space.id, force: true });
  assert.equal((await app.request('/api/spaces/00000000-0000-4000-8000-000000000099/sync', json('POST', undefined, admin))).status, 404);

  await db.pool.query(`update spaces set drift = $2, sync_status = 'drift' where id = $1`, [space.id, JSON.stringify({ object: 'product', fields: [{ field: 'name', catalog: 'Room A', stripe: 'Renamed in Stripe' }, { field: 'active', catalog: true, stripe: false }] })]);
  const adopt = await app.request(`/api/spaces/${space.id}/drift`, json('POST', { action: 'adopt' }, admin));
  assert.equal(adopt.status, 202);
  const after = (await (await app.request(`/api/spaces/${space.id}`, json('GET', undefined, admin))).json()) as Space;
  assert.equal(after.name, 'Renamed in Stripe');
  assert.equal(after.active, false);
  const job = (await db.pool.query('select payload from graphile_worker._private_jobs where id = $1', [((await adopt.json()) as { job_id: number }).job_id])).rows[0];
  assert.deepEqual(job.payload, { space_id: space.id, force: true, source: 'drift' });
  const bad = await app.request(`/api/spaces/${space.id}/drift`, json('POST', { action: 'ignore' }, admin));
  assert.equal(bad.status, 400);
});

test('catalog runs: start (dry run) then read the run', async () => {
  const res = await app.request('/api/catalog/runs', json('POST', { dry_run: true }, admin));
  assert.equal(res.status, 202);
  const { run_id, job_id } = (await res.json()) as { run_id: string; job_id: number };
  assert.ok(run_id && job_id);
  const run = await app.request(`/api/catalog/runs/${run_id}`, json('GET', undefined, admin));
  assert.equal(run.status, 200);
  const body = (await run.json()) as { dry_run: boolean; status: string; total: number };
  assert.equal(body.dry_run, true);
  assert.equal(body.status, 'queued');
  assert.equal((await app.request('/api/catalog/runs', json('POST', { dry_run: 'yes' }, admin))).status, 400);
  assert.equal((await app.request(`/api/catalog/runs/00000000-0000-4000-8000-000000000099`, json('GET', undefined, admin))).status, 404);
});

test('logs: filters by level (minimum), source, space, since; pages by before_id', async () => {
  const space = await create();
  for (let i = 0; i < 5; i++) {
    await db.pool.query(`insert into application_logs (level, source, event, space_id, message) values ($1, $2, 'e', $3, $4)`, [i % 2 ? 'error' : 'info', i < 3 ? 'sync' : 'webhook', space.id, `line ${i}`]);
  }
  const get = async (q: string) => (await (await app.request(`/api/logs${q}`, json('GET', undefined, admin))).json()) as { data: Array<{ id: number; message: string; level: string }>; next_before_id: number | null };
  const all = await get(`?space_id=${space.id}`);
  assert.deepEqual(all.data.map((r) => r.message), ['line 4', 'line 3', 'line 2', 'line 1', 'line 0']);
  assert.equal(all.next_before_id, null);
  assert.equal((await get(`?space_id=${space.id}&level=warn`)).data.length, 2);
  assert.equal((await get(`?space_id=${space.id}&source=webhook`)).data.length, 2);
  const page1 = await get(`?space_id=${space.id}&limit=2`);
  assert.equal(page1.data.length, 2);
  assert.ok(page1.next_before_id);
  const page2 = await get(`?space_id=${space.id}&limit=2&before_id=${page1.next_before_id}`);
  assert.deepEqual(page2.data.map((r) => r.message), ['line 2', 'line 1']);
  assert.equal((await get(`?space_id=${space.id}&since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).data.length, 0);
  assert.equal((await app.request('/api/logs?level=loud', json('GET', undefined, admin))).status, 400);
  assert.equal((await app.request('/api/logs?since=yesterday', json('GET', undefined, admin))).status, 400);
});

test('GET /api/config says the Stripe mode, dashboard URL and drift policy', async () => {
  const res = await app.request('/api/config');
  assert.deepEqual(await res.json(), { stripeMode: 'emulator', stripeDashboardUrl: 'http://127.0.0.1:9', driftPolicy: 'enforce' });
});

test('hardening: body limit, CORS to CORS_ORIGIN only, security headers, JSON 404', async () => {
  const big = await app.request('/api/spaces', json('POST', { name: 'x', description: 'y'.repeat(1_100_000) }, admin));
  assert.equal(big.status, 413);
  // Same-origin requests need no CORS header; the request's own Host never makes an origin allowed.
  const own = await app.request('http://localhost/api/spaces', { headers: { origin: 'http://localhost' } });
  assert.equal(own.headers.get('access-control-allow-origin'), null);
  const evil = await app.request('http://localhost/api/spaces', { headers: { origin: 'https://evil.example' } });
  assert.equal(evil.headers.get('access-control-allow-origin'), null);
  assert.equal(own.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(own.headers.get('strict-transport-security'));
  const missing = await app.request('/api/nothing-here');
  assert.equal(missing.status, 404);
  assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'not_found');
});
