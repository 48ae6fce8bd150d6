// The catalog is planned against Stripe as it is, not as remembered: a stored id Stripe does not
// return is "recreate"; a key of another account or mode never gets the old ids, the catalog is
// planned as new there, and switching back finds the former ids again (test mode → live mode → test).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/index.ts';
import { syncCatalog } from '../../src/sync/syncCatalog.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { assertInSync, emulatorState, insertSpace, nextRequestIndex, requestsSince, syncEnv, THREE_PRICES } from '../sync/helpers.ts';

const root = join(import.meta.dirname, '../..');

async function newRun(pool: import('../../src/db/pool.ts').Pool, dryRun: boolean): Promise<string> {
  return (await pool.query(`insert into catalog_runs (dry_run) values ($1) returning id`, [dryRun])).rows[0].id;
}

test('objects gone from Stripe (the emulator reset) are planned as "recreate" and created again', async () => {
  const env = await syncEnv();
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) ids.push((await insertSpace(env.pool, { name: `Reset ${i}` }, THREE_PRICES)).spaceId);
  const first = await syncCatalog({ pool: env.pool, gateway: env.gateway }, { runId: await newRun(env.pool, false), dryRun: false });
  assert.equal(first.progress.done, 10);
  await fetch(`${env.emulatorUrl}/_emulator/reset`, { method: 'POST' });

  const plan = await syncCatalog({ pool: env.pool, gateway: env.gateway }, { runId: await newRun(env.pool, true), dryRun: true });
  assert.equal(plan.plan.totals.recreate, 10, `every space is to recreate: ${JSON.stringify(plan.plan.totals)}`);
  assert.equal(plan.plan.totals.unchanged, 0);
  assert.equal(plan.stored.entries.filter((e) => e.kind === 'recreate').length, 10, 'the stored plan (API, UI) says recreate');
  assert.equal(plan.plan.calls, 40, 'a product and three prices each');

  const applied = await syncCatalog({ pool: env.pool, gateway: env.gateway }, { runId: await newRun(env.pool, false), dryRun: false });
  assert.equal(applied.progress.failed, 0, JSON.stringify(applied.failures));
  const state = await emulatorState(env.emulatorUrl);
  for (const id of ids) await assertInSync(env, id, state);
  assert.equal(state.products.length, 10);
  const again = await syncCatalog({ pool: env.pool, gateway: env.gateway }, { runId: await newRun(env.pool, true), dryRun: true });
  assert.equal(again.plan.totals.unchanged, 10);
});

test('test mode → live mode → test mode: created once in live mode, the test-mode ids found again', async () => {
  const db = await createTestDatabase();
  const testMode = await startEmulator({ port: 0, accountId: 'acct_1TestAccount' });
  const liveMode = await startEmulator({ port: 0, accountId: 'acct_1TestAccount', apiKeys: ['sk_live_spacesyncexample'] });
  after(() => Promise.all([testMode.stop(), liveMode.stop()]));
  const cli = (env: Record<string, string>, ...args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli.ts'), ...args], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn', STRIPE_RATE_LIMIT: '500', STRIPE_SECRET_KEY: '', ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += String(d)));
      child.stderr.on('data', (d) => (stderr += String(d)));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  const asTest = { STRIPE_API_URL: testMode.url };
  const asLive = { STRIPE_API_URL: liveMode.url, STRIPE_SECRET_KEY: 'sk_live_spacesyncexample' };

  for (let i = 0; i < 4; i++) await insertSpace(db.pool, { name: `Mode ${i}` }, THREE_PRICES);
  const synced = await cli(asTest, 'catalog', 'sync');
  assert.equal(synced.code, 0, synced.stderr + synced.stdout);
  const testIds = (await db.pool.query(`select id, stripe_product_id from spaces order by id`)).rows;
  const testPriceIds = (await db.pool.query(`select id, stripe_price_id from space_prices order by id`)).rows;
  assert.ok(testIds.every((r) => r.stripe_product_id));

  // The live key: nothing of test mode is sent there; the plan says so up front.
  const testBefore = await nextRequestIndex(testMode.url);
  const plan = await cli(asLive, 'catalog', 'plan');
  assert.equal(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, /^Stripe account: acct_1TestAccount \(live mode\)\n {2}This catalog was synced with acct_1TestAccount \(test mode\) until now/);
  assert.match(plan.stdout, /4 space\(s\) have no objects in this account yet/);
  assert.match(plan.stdout, /Plan: 4 to create/);
  const json = JSON.parse((await cli(asLive, 'catalog', 'plan', '--json')).stdout);
  assert.equal(json.account, 'acct_1TestAccount/live');
  assert.equal(json.new_in_account, 4);
  const live = await cli(asLive, 'catalog', 'sync');
  assert.equal(live.code, 0, live.stderr + live.stdout);
  const liveState = await emulatorState(liveMode.url);
  assert.equal(liveState.products.length, 4, 'every space created once in live mode');
  assert.equal(liveState.prices.filter((p) => p.active).length, 12);
  for (const r of testIds) await assertInSync({ pool: db.pool, emulatorUrl: liveMode.url }, r.id, liveState);
  const liveRequests = await requestsSince(liveMode.url, 0);
  const oldIds = new Set(testIds.map((r) => r.stripe_product_id));
  assert.ok(!liveRequests.some((r) => r.path.split('/').some((part) => oldIds.has(part) && !liveState.products.some((p) => p.id === part))), 'no test-mode id was sent to live mode');
  assert.deepEqual(await requestsSince(testMode.url, testBefore), [], 'nothing was sent to test mode meanwhile');

  // Back to test mode: the test-mode ids are known again, nothing to do.
  const back = await cli(asTest, 'catalog', 'plan');
  assert.equal(back.code, 0, back.stderr);
  assert.match(back.stdout, /No changes: Stripe matches the catalog/);
  assert.deepEqual((await db.pool.query(`select id, stripe_product_id from spaces order by id`)).rows, testIds);
  assert.deepEqual((await db.pool.query(`select id, stripe_price_id from space_prices order by id`)).rows, testPriceIds);
  const { rows } = await db.pool.query(`select count(*)::int as n from spaces where sync_status <> 'synced'`);
  assert.equal(rows[0].n, 0, 'every space reads synced again in test mode');
  // And live mode once more: its ids were kept too.
  const liveAgain = await cli(asLive, 'catalog', 'plan');
  assert.match(liveAgain.stdout, /No changes: Stripe matches the catalog/);
});
