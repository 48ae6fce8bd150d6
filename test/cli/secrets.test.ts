// Secrets never leave, through the CLI as a user runs it: with the Stripe key, the webhook secret,
// the JWT secret and the admin password in the environment (LOG_LEVEL=debug), `sync`, `catalog plan`,
// `logs` and a short `start` print none of them on stdout or stderr, and write none of them into
// application_logs or stripe_events.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import Stripe from 'stripe';
import { createTestDatabase } from '../helpers/db.ts';
import { startEmulator } from '../../src/emulator/index.ts';

const bin = join(import.meta.dirname, '../../bin/spacesync.js');
const random = (n = 16) => randomBytes(n).toString('hex');

const secrets: Record<string, string> = {
  STRIPE_SECRET_KEY: `sk_test_${random()}`,
  STRIPE_WEBHOOK_SECRET: `whsec_${random()}`,
  JWT_SECRET: `jwt-${random(24)}`,
  ADMIN_PASSWORD: `admin-pw-${random(8)}`,
};
const WRONG_KEY = `sk_test_${random()}`;

// Only our key opens the emulator: the CLI really uses it.
const emulator = await startEmulator({ apiKeys: [secrets.STRIPE_SECRET_KEY] });
after(() => emulator.stop());
const db = await createTestDatabase();
const dbPassword = decodeURIComponent(new URL(db.url).password);

/** Everything the processes printed, and (collected at the end) the rows they wrote. */
const output: string[] = [];

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...secrets,
    STRIPE_API_URL: emulator.url,
    DATABASE_URL: db.url,
    LOG_LEVEL: 'debug',
    ...extra,
  };
}

/** Runs the CLI asynchronously (the emulator lives in this process: spawnSync would block it). */
async function cli(args: string[], extra: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { env: env(extra), stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const [status] = (await once(child, 'close')) as [number | null];
  output.push(`$ spacesync ${args.join(' ')}\n${stdout}\n${stderr}`);
  return { status, stdout, stderr };
}

function assertNoSecret(where: string, text: string, extra: Record<string, string> = {}): void {
  const all = { ...secrets, WRONG_KEY, ...(dbPassword ? { DATABASE_PASSWORD: dbPassword } : {}), ...extra };
  for (const [name, value] of Object.entries(all)) {
    assert.ok(!text.includes(value), `${name} appears in ${where}:\n${excerpt(text, value)}`);
  }
}

function excerpt(text: string, value: string): string {
  const i = text.indexOf(value);
  return text.slice(Math.max(0, i - 300), i + value.length + 100);
}

async function rowsOf(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const logs = await client.query(`select to_jsonb(l)::text as row from public.application_logs l`);
    const events = await client.query(`select to_jsonb(e)::text as row from public.stripe_events e`);
    return [...logs.rows, ...events.rows].map((r: { row: string }) => r.row).join('\n');
  } finally {
    await client.end();
  }
}

async function signed(payload: string, secret: string): Promise<string> {
  return Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, cryptoProvider: Stripe.createSubtleCryptoProvider() });
}

test('sync, catalog plan and logs at LOG_LEVEL=debug print and store no secret', async () => {
  const { rows: [space] } = await db.pool.query(`insert into spaces (name, description) values ('Secret room', 'Quiet') returning id`);
  await db.pool.query(`insert into space_prices (space_id, pricing_type, unit_amount, currency) values ($1, 'hourly', 2500, 'eur')`, [space.id]);

  const sync = await cli(['sync', space.id]);
  assert.equal(sync.status, 0, sync.stdout + sync.stderr);
  assert.match(sync.stdout, /POST \/v1\/products/);
  const { rows: [synced] } = await db.pool.query('select stripe_product_id from spaces where id = $1', [space.id]);
  assert.match(synced.stripe_product_id ?? '', /^prod_/);

  const plan = await cli(['catalog', 'plan']);
  assert.equal(plan.status, 0, plan.stdout + plan.stderr);
  const planJson = await cli(['catalog', 'plan', '--json']);
  assert.equal(planJson.status, 0, planJson.stdout + planJson.stderr);

  // Refused by Stripe: a wrong key (an error path that could echo it).
  const refused = await cli(['sync', space.id], { STRIPE_SECRET_KEY: WRONG_KEY });
  assert.notEqual(refused.status, 0, 'a wrong key fails');

  const logs = await cli(['logs', '--limit', '1000', '--level', 'debug']);
  assert.equal(logs.status, 0, logs.stdout + logs.stderr);
  const logsJson = await cli(['logs', '--json', '--limit', '1000']);
  assert.equal(logsJson.status, 0, logsJson.stdout + logsJson.stderr);
  assert.ok(logs.stdout.trim().length > 0, 'the sync wrote application_logs');

  assert.match(output.join('\n'), /"level":20/, 'debug lines were written (LOG_LEVEL=debug)');
  assertNoSecret('the CLI output', output.join('\n'));
  assertNoSecret('application_logs / stripe_events', await rowsOf(db.url));
});

test('a short `spacesync start` (embedded Postgres) prints and stores no secret, then stops on SIGTERM', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'spacesync-secrets-'));
  chmodSync(dataDir, 0o755);
  try {
    const child = spawn(process.execPath, [bin, 'start'], {
      env: env({ DATABASE_URL: '', PORT: '0', EMULATOR_PORT: '0', DATA_DIR: dataDir }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    let pgPassword = '';
    let token = '';
    let rows = '';
    try {
      const deadline = Date.now() + 90_000;
      while (!/admin UI and API\s+(http\S+)/.test(out)) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`start did not become ready:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const url = /admin UI and API\s+(http\S+)/.exec(out)![1];
      assert.match(out, new RegExp(`Stripe\\s+${emulator.url.replace(/[.:/]/g, '\\$&')}`), 'STRIPE_API_URL is used: no built-in emulator');

      // Sign in with the admin password (and a wrong one), call the API with the token.
      const login = async (password: string) =>
        fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@spacesync.local', password }) });
      const ok = await login(secrets.ADMIN_PASSWORD);
      assert.equal(ok.status, 200, await ok.clone().text());
      token = ((await ok.json()) as { access_token: string }).access_token;
      assert.equal((await login(`${secrets.ADMIN_PASSWORD}x`)).status, 401);
      const auth = { authorization: `Bearer ${token}` };
      assert.equal((await fetch(`${url}/api/spaces`, { headers: auth })).status, 200);
      assert.equal((await fetch(`${url}/api/spaces`, { headers: { authorization: `Bearer ${token}x` } })).status, 401);

      // Webhooks: one signed with STRIPE_WEBHOOK_SECRET (stored), one forged (400).
      const payload = JSON.stringify({ id: `evt_cli_${random(4)}`, object: 'event', type: 'product.updated', created: Math.floor(Date.now() / 1000), livemode: false, data: { object: { id: 'prod_cli', object: 'product', metadata: {} } } });
      const good = await fetch(`${url}/webhooks/stripe`, { method: 'POST', headers: { 'stripe-signature': await signed(payload, secrets.STRIPE_WEBHOOK_SECRET) }, body: payload });
      assert.equal(good.status, 200, await good.clone().text());
      const forged = await fetch(`${url}/webhooks/stripe`, { method: 'POST', headers: { 'stripe-signature': await signed(payload, `whsec_${random()}`) }, body: payload });
      assert.equal(forged.status, 400);
      await new Promise((r) => setTimeout(r, 1000)); // let the worker pick the event up and log

      // What the process wrote into its own (embedded) database.
      const pgDir = join(dataDir, 'postgres');
      pgPassword = readFileSync(join(pgDir, 'password'), 'utf8').trim();
      const pidFile = join(pgDir, 'data/postmaster.pid');
      assert.ok(existsSync(pidFile), 'the embedded Postgres runs');
      const port = Number(readFileSync(pidFile, 'utf8').split('\n')[3]);
      rows = await rowsOf(`postgres://postgres:${encodeURIComponent(pgPassword)}@127.0.0.1:${port}/spacesync`);
      assert.match(rows, /evt_cli_/, 'the signed event was stored');
      assertNoSecret('application_logs / stripe_events of `start`', rows, { EMBEDDED_PG_PASSWORD: pgPassword, token });
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, out);
    assert.match(out, /"level":20/, 'debug lines were written (LOG_LEVEL=debug)');
    assertNoSecret('the output of `start`', out, { ...(pgPassword ? { EMBEDDED_PG_PASSWORD: pgPassword } : {}), ...(token ? { token } : {}) });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
