// The Edge Functions as Supabase runs them (test/supabase/denoFunction.ts: each folder alone, under
// Deno 2.1.4, --no-remote), against this file's database and a Stripe emulator.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import Stripe from 'stripe';
import { corsHeaders as supabaseCorsHeaders } from '@supabase/supabase-js/cors';
import { issueToken } from '../../src/auth/issueToken.ts';
import { startEmulator } from '../../src/emulator/index.ts';
import { createStripeClient } from '../../src/stripe/createStripeClient.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { createFunctionSandbox, deno, FUNCTIONS, type RunningFunction } from './denoFunction.ts';

const JWT_SECRET = 'edge-functions-test-secret-0123456789abcdef';
const WEBHOOK_SECRET = 'whsec_edge_functions_test';
const DRAIN_SECRET = 'drain-secret-for-the-tests-0123456789';

const sandbox = createFunctionSandbox();
after(() => sandbox.remove());

const db = await createTestDatabase();
const emulator = await startEmulator({ port: 0 });
const stripe = createStripeClient({ apiUrl: emulator.url });
after(() => emulator.stop());

const admin = await issueToken({ id: '00000000-0000-4000-8000-0000000000a1', email: 'admin@example.com', role: 'admin' }, JWT_SECRET);
const member = await issueToken({ id: '00000000-0000-4000-8000-0000000000b2', email: 'member@example.com', role: 'user' }, JWT_SECRET);

/** Starts supabase/functions/<name>/index.ts under Deno against this file's database and emulator. */
function startFunction(name: string, extraEnv: Record<string, string> = {}): Promise<RunningFunction> {
  return sandbox.start(name, { DATABASE_URL: db.url, STRIPE_API_URL: emulator.url, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, JWT_SECRET, ...extraEnv });
}

async function post(fn: RunningFunction, body: unknown, token?: string): Promise<Response> {
  return fetch(fn.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

async function newSpace(name: string, amount = 2500): Promise<string> {
  const { rows } = await db.pool.query(`insert into spaces (name, capacity) values ($1, 6) returning id`, [name]);
  await db.pool.query(`insert into space_prices (space_id, pricing_type, unit_amount, currency) values ($1, 'hourly', $2, 'eur')`, [rows[0].id, amount]);
  return rows[0].id;
}

async function stripeProductOf(spaceId: string): Promise<Stripe.Product | undefined> {
  const { data } = await stripe.products.list({ limit: 100 });
  return data.find((p) => p.metadata.space_id === spaceId);
}

describe('sync-space-stripe', () => {
  let fn: RunningFunction;
  before(async () => {
    fn = await startFunction('sync-space-stripe');
  });
  after(() => fn.stop());

  test('an admin syncs a space into Stripe', async () => {
    const spaceId = await newSpace('Salle Tolbiac');
    const res = await post(fn, { space_id: spaceId }, admin);
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.outcome.status, 'synced');
    assert.equal(body.space.sync_status, 'synced');
    const product = await stripeProductOf(spaceId);
    assert.ok(product, 'the product exists in the emulator');
    assert.equal(product.name, 'Salle Tolbiac');
    assert.equal(product.metadata.managed_by, 'spacesync');
    assert.equal(body.space.stripe_product_id, product.id);
    const prices = await stripe.prices.list({ product: product.id });
    assert.deepEqual(prices.data.map((p) => p.unit_amount), [2500]);
  });

  test('a signed-in non-admin is refused, and so is a caller without a token', async () => {
    const spaceId = await newSpace('Desk 12');
    const refused = await post(fn, { space_id: spaceId }, member);
    assert.equal(refused.status, 403);
    assert.equal((await refused.json()).error.code, 'forbidden');
    const anonymous = await post(fn, { space_id: spaceId });
    assert.equal(anonymous.status, 401);
    const forged = await post(fn, { space_id: spaceId }, await issueToken({ id: '00000000-0000-4000-8000-0000000000c3', email: 'x@example.com', role: 'admin' }, 'another-secret-0123456789abcdef-0123'));
    assert.equal(forged.status, 401);
    assert.equal(await stripeProductOf(spaceId), undefined, 'nothing was sent to Stripe');
  });

  test('wait: false queues the sync instead; a bad body is a 400', async () => {
    const spaceId = await newSpace('Office 3');
    const res = await post(fn, { space_id: spaceId, wait: false }, admin);
    assert.equal(res.status, 202);
    const body = await res.json();
    const job = await db.pool.query(`select key from graphile_worker.jobs where id = $1`, [body.job_id]);
    assert.equal(job.rows[0].key, `sync_space:${spaceId}`);
    assert.equal((await post(fn, { space_id: 'nope' }, admin)).status, 400);
    assert.equal((await post(fn, { space_id: '00000000-0000-4000-8000-00000000dead' }, admin)).status, 404);
  });
});

describe('stripe-webhook', () => {
  let fn: RunningFunction;
  before(async () => {
    fn = await startFunction('stripe-webhook');
  });
  after(() => fn.stop());

  async function deliver(event: object, secret: string): Promise<Response> {
    const payload = JSON.stringify(event);
    const signature = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, cryptoProvider: Stripe.createSubtleCryptoProvider() });
    return fetch(fn.url, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body: payload });
  }

  const event = (id: string) => ({
    id,
    object: 'event',
    type: 'product.updated',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    api_version: '2025-01-01',
    data: { object: { id: 'prod_edge_1', object: 'product', name: 'Edited in the dashboard', updated: Math.floor(Date.now() / 1000), metadata: {} } },
  });

  test('accepts a signed event: stored once, its processing queued', async () => {
    const res = await deliver(event('evt_edge_signed'), WEBHOOK_SECRET);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { received: true });
    const { rows } = await db.pool.query(`select type, object_id from stripe_events where id = 'evt_edge_signed'`);
    assert.deepEqual(rows, [{ type: 'product.updated', object_id: 'prod_edge_1' }]);
    const jobs = await db.pool.query(`select count(*)::int as n from graphile_worker.jobs where key = 'process_stripe_event:evt_edge_signed'`);
    assert.equal(jobs.rows[0].n, 1);
    const again = await deliver(event('evt_edge_signed'), WEBHOOK_SECRET);
    assert.deepEqual(await again.json(), { received: true, duplicate: true });
  });

  test('refuses a forged event with 400 and stores nothing', async () => {
    const res = await deliver(event('evt_edge_forged'), 'whsec_not_the_endpoint_secret');
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.code, 'validation_failed');
    const { rowCount } = await db.pool.query(`select 1 from stripe_events where id = 'evt_edge_forged'`);
    assert.equal(rowCount, 0);
    const unsigned = await fetch(fn.url, { method: 'POST', body: JSON.stringify(event('evt_edge_unsigned')) });
    assert.equal(unsigned.status, 400);
  });
});

describe('create-stripe-catalog', () => {
  let fn: RunningFunction;
  before(async () => {
    fn = await startFunction('create-stripe-catalog');
  });
  after(() => fn.stop());

  test('returns a plan, then applies it with progress', async () => {
    const spaceId = await newSpace('Venue Bastille', 90000);
    const planned = await post(fn, { mode: 'plan' }, admin);
    const run = await planned.json();
    assert.equal(planned.status, 200, JSON.stringify(run));
    assert.equal(run.status, 'planned');
    assert.equal(run.dry_run, true);
    assert.ok(run.plan.entries.some((e: { spaceId: string; kind: string }) => e.spaceId === spaceId && e.kind === 'create'), JSON.stringify(run.plan));
    assert.equal(await stripeProductOf(spaceId), undefined, 'a plan sends nothing');
    const queued = await db.pool.query(`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'sync_catalog'`);
    assert.equal(queued.rows[0].n, 0, 'the run’s job was taken off the queue: this function ran it');

    const applied = await post(fn, { mode: 'apply' }, admin);
    assert.equal(applied.status, 200);
    assert.match(applied.headers.get('content-type') ?? '', /ndjson/);
    const lines = (await applied.text()).trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines[0].type, 'started');
    const done = lines.at(-1);
    assert.equal(done.type, 'done', JSON.stringify(lines));
    assert.equal(done.run.status, 'done');
    assert.equal(done.run.failed, 0);
    assert.ok(done.run.done >= 1);
    const product = await stripeProductOf(spaceId);
    assert.ok(product, 'applied: the product exists');
    const again = await post(fn, { mode: 'plan' }, admin);
    const second = await again.json();
    assert.ok(!second.plan.entries.some((e: { spaceId: string }) => e.spaceId === spaceId), 'nothing left to do for the space');

    const got = await fetch(`${fn.url}?run_id=${second.run_id}`, { headers: { authorization: `Bearer ${admin}` } });
    assert.equal((await got.json()).status, 'planned');
  });

  test('applies a computed plan once, through apply_catalog_plan, as the API does', async () => {
    const spaceId = await newSpace('Salle Oberkampf', 4000);
    const planned = await (await post(fn, { mode: 'plan' }, admin)).json();
    assert.equal(planned.status, 'planned', JSON.stringify(planned));
    assert.ok(planned.plan.entries.some((e: { spaceId: string }) => e.spaceId === spaceId));

    const applied = await post(fn, { mode: 'apply', plan_id: planned.run_id }, admin);
    assert.equal(applied.status, 200);
    const lines = (await applied.text()).trim().split('\n').map((l) => JSON.parse(l));
    const done = lines.at(-1);
    assert.equal(done.type, 'done', JSON.stringify(lines));
    assert.equal(done.run.status, 'done');
    assert.equal(done.run.applies_plan, planned.run_id, 'the apply run names the plan it applied');
    assert.ok(await stripeProductOf(spaceId), 'applied: the product exists');
    const plan = await (await fetch(`${fn.url}?run_id=${planned.run_id}`, { headers: { authorization: `Bearer ${admin}` } })).json();
    assert.equal(plan.applied_by, done.run.run_id);

    // The second apply of the same plan, in the API's own body shape too: refused, nothing started.
    for (const body of [{ mode: 'apply', plan_id: planned.run_id }, { dry_run: false, plan_id: planned.run_id }]) {
      const again = await post(fn, body, admin);
      const refusal = await again.json();
      assert.equal(again.status, 409, JSON.stringify(refusal));
      assert.equal(refusal.error.code, 'conflict');
      assert.equal(refusal.error.message, `the plan ${planned.run_id} was already applied (run ${done.run.run_id})`);
      assert.match(refusal.error.fields.plan_id, /Compute a new plan/);
    }
    const { rows } = await db.pool.query(`select count(*)::int as n from catalog_runs where applies_plan = $1`, [planned.run_id]);
    assert.equal(rows[0].n, 1, 'one apply run for the plan');
  });

  test('refuses to apply an unknown id, an apply run, a malformed id, or a plan_id with a dry run', async () => {
    const unknown = await post(fn, { mode: 'apply', plan_id: '00000000-0000-4000-8000-000000000099' }, admin);
    assert.equal(unknown.status, 404);
    assert.match((await unknown.json()).error.message, /no catalog plan has the id 00000000-0000-4000-8000-000000000099/);

    const planned = await (await post(fn, { mode: 'plan' }, admin)).json();
    const queued = await post(fn, { mode: 'apply', plan_id: planned.run_id, wait: false }, admin);
    assert.equal(queued.status, 202);
    const applyRun = (await queued.json()).run_id;
    const ofApply = await post(fn, { mode: 'apply', plan_id: applyRun }, admin);
    assert.equal(ofApply.status, 409);
    assert.match((await ofApply.json()).error.message, /applies a plan; it is not a plan/);
    await db.pool.query(`select graphile_worker.complete_jobs(array(select id from graphile_worker.jobs where task_identifier = 'sync_catalog'))`);

    const malformed = await post(fn, { mode: 'apply', plan_id: 'latest' }, admin);
    assert.equal(malformed.status, 400);
    assert.match((await malformed.json()).error.fields.plan_id, /uuid/);
    const withPlan = await post(fn, { mode: 'plan', plan_id: planned.run_id }, admin);
    assert.equal(withPlan.status, 400);
    assert.match((await withPlan.json()).error.fields.plan_id, /only for an apply/);
    const contradiction = await post(fn, { mode: 'plan', dry_run: false }, admin);
    assert.equal(contradiction.status, 400);
    await contradiction.body?.cancel();
  });

  test('is for admins only', async () => {
    assert.equal((await post(fn, { mode: 'plan' }, member)).status, 403);
    assert.equal((await post(fn, { mode: 'apply' })).status, 401);
    assert.equal((await post(fn, { mode: 'everything' }, admin)).status, 400);
  });
});

describe('drain-queue', () => {
  let fn: RunningFunction;
  before(async () => {
    fn = await startFunction('drain-queue', { DRAIN_QUEUE_SECRET: DRAIN_SECRET });
  });
  after(() => fn.stop());

  test('runs the due jobs when pg_cron calls it with the secret', async () => {
    const spaceId = await newSpace('Desk by the window', 1200);
    const res = await post(fn, { budget_ms: 30_000 }, DRAIN_SECRET);
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.ok(body.completed >= 1, JSON.stringify(body));
    assert.equal(body.stoppedEarly, false);
    const { rows } = await db.pool.query(`select sync_status from spaces where id = $1`, [spaceId]);
    assert.equal(rows[0].sync_status, 'synced');
    assert.ok(await stripeProductOf(spaceId));
  });

  test('refuses anyone else', async () => {
    assert.equal((await post(fn, {}, 'not-the-secret')).status, 401);
    assert.equal((await post(fn, {}, member)).status, 403);
    assert.equal((await post(fn, {})).status, 401);
  });
});

describe('spacesync-api: the HTTP API as an Edge Function, with Supabase Auth tokens, from another origin', () => {
  let fn: RunningFunction;
  let jwksServer: Server;
  let es256Admin: string;
  const page = 'https://admin.example.org';
  before(async () => {
    // The project's JWKS, as Supabase Auth publishes it at SUPABASE_URL/auth/v1/.well-known/jwks.json.
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'project-key-1', alg: 'ES256', use: 'sig' };
    jwksServer = createServer((req, res) => {
      if (req.url === '/auth/v1/.well-known/jwks.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      } else res.writeHead(404).end();
    });
    await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', () => r()));
    const supabaseUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
    es256Admin = await new SignJWT({ role: 'authenticated', email: 'owner@example.com', app_metadata: { role: 'admin' }, aud: 'authenticated' })
      .setProtectedHeader({ alg: 'ES256', kid: 'project-key-1' })
      .setSubject('00000000-0000-4000-8000-0000000000e5')
      .setIssuer(`${supabaseUrl}/auth/v1`)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
    fn = await startFunction('spacesync-api', { SUPABASE_URL: supabaseUrl });
  });
  after(async () => {
    await fn?.stop();
    await new Promise<void>((r) => jwksServer?.close(() => r()));
  });

  const call = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`${fn.url}${path}`, { ...init, headers: { origin: page, 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) } });

  test('an admin with an ES256 token (the project JWKS) creates a space; it is listed, with CORS headers', async () => {
    const created = await call('/api/spaces', { method: 'POST', token: es256Admin, body: JSON.stringify({ name: 'Salle Rameau', capacity: 8, prices: [{ pricing_type: 'hourly', unit_amount: 3000, currency: 'eur' }] }) });
    const body = await created.json();
    assert.equal(created.status, 201, JSON.stringify(body));
    assert.equal(created.headers.get('access-control-allow-origin'), '*');
    const { rows } = await db.pool.query(`select name, sync_status from spaces where id = $1`, [body.id]);
    assert.equal(rows[0].name, 'Salle Rameau');
    const jobs = await db.pool.query(`select 1 from graphile_worker.jobs where key = $1`, [`sync_space:${body.id}`]);
    assert.equal(jobs.rowCount, 1, 'the sync is queued with the row');
    const listed = await call(`/api/spaces/${body.id}`, { token: es256Admin });
    assert.equal(listed.status, 200);
    assert.equal((await listed.json()).name, 'Salle Rameau');
  });

  test('a legacy HS256 token works too; a non-admin is refused with 403, a stranger with 401', async () => {
    const hs = await call('/api/spaces', { method: 'POST', token: admin, body: JSON.stringify({ name: 'Desk 7', prices: [] }) });
    assert.equal(hs.status, 201, await hs.clone().text());
    const refused = await call('/api/spaces', { method: 'POST', token: member, body: JSON.stringify({ name: 'Nope', prices: [] }) });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('access-control-allow-origin'), '*');
    await refused.body?.cancel();
    const stranger = await call('/api/spaces', { method: 'POST', body: JSON.stringify({ name: 'Nope', prices: [] }) });
    assert.equal(stranger.status, 401);
    await stranger.body?.cancel();
  });
});

describe('CORS: every function answers the preflight and sets the headers on every answer', () => {
  for (const name of FUNCTIONS) {
    test(name, async () => {
      const fn = await startFunction(name, { DRAIN_QUEUE_SECRET: DRAIN_SECRET });
      try {
        const page = 'https://admin.example.org';
        const preflight = await fetch(fn.url, {
          method: 'OPTIONS',
          headers: { origin: page, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, x-client-info, apikey, content-type' },
        });
        assert.ok(preflight.status === 204 || preflight.status === 200, `preflight: ${preflight.status}`);
        assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
        // Every header supabase-js may send, by its own list.
        const sdkHeaders = supabaseCorsHeaders['Access-Control-Allow-Headers'].split(/,\s*/);
        assert.ok(sdkHeaders.includes('apikey'));
        for (const h of sdkHeaders) {
          assert.match(preflight.headers.get('access-control-allow-headers') ?? '', new RegExp(`\\b${h}\\b`), `preflight allows ${h}`);
        }
        assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /\bPOST\b/);
        // An error answer (no token, or a forged signature) carries them too.
        const refused = await fetch(fn.url + (name === 'spacesync-api' ? '/api/spaces' : ''), { method: 'POST', headers: { origin: page, 'content-type': 'application/json' }, body: '{}' });
        assert.ok(refused.status >= 400 && refused.status < 500, `${name} refused an anonymous call: ${refused.status}`);
        assert.equal(refused.headers.get('access-control-allow-origin'), '*', `${name} ${refused.status} has CORS headers`);
        await refused.body?.cancel();
      } finally {
        await fn.stop();
      }
    });
  }

  test('CORS_ORIGIN limits the answers to that origin', async () => {
    const fn = await startFunction('sync-space-stripe', { CORS_ORIGIN: 'https://admin.example.org' });
    try {
      const allowed = await fetch(fn.url, { method: 'OPTIONS', headers: { origin: 'https://admin.example.org', 'access-control-request-method': 'POST' } });
      assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://admin.example.org');
      const other = await fetch(fn.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'POST' } });
      assert.equal(other.headers.get('access-control-allow-origin'), null);
    } finally {
      await fn.stop();
    }
  });
});

// Registered after the file's top-level awaits, like every other test here: node:test runs the
// file's after() hooks once the tests registered so far are done.
test('Deno is 2.1.4, and `deno check` passes on every function with its own deno.json', () => {
  const version = spawnSync(deno, ['--version'], { encoding: 'utf8', env: sandbox.denoEnv() });
  assert.match(version.stdout, /^deno 2\.1\.4 /);
  for (const name of FUNCTIONS) {
    const dir = join(sandbox.dir, name);
    const r = spawnSync(deno, ['check', '--no-remote', '--config', join(dir, 'deno.json'), join(dir, 'index.ts')], { cwd: dir, encoding: 'utf8', env: sandbox.denoEnv() });
    assert.equal(r.status, 0, `${name}: ${r.stderr}`);
  }
});
