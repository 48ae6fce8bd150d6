// Crash recovery in seconds, with real processes: a SIGKILLed worker's jobs are picked up by another
// worker (heartbeats and the sweep, not graphile-worker's 4-hour lock), a job an edit replaced while
// a dead worker held it is removed, nothing stays `syncing`, a killed `catalog sync` ends
// `interrupted` and the next one finishes it, and a worker rides out a Postgres restart.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { migrate } from '../../src/db/migrate.ts';
import { ensureDatabase, startEmbeddedPostgres } from '../../src/node/embeddedPostgres.ts';
import { emulatorState, insertSpace, setFaults, syncEnv, THREE_PRICES, waitAllSynced, assertInSync, type SyncEnv } from '../sync/helpers.ts';

const root = join(import.meta.dirname, '../..');

function spawnCli(args: string[], env: Record<string, string>): ChildProcess & { output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli.ts'), ...args], {
    cwd: root,
    env: { ...process.env, STRIPE_SECRET_KEY: '', LOG_LEVEL: process.env.TEST_WORKER_LOG ?? 'warn', STRIPE_RATE_LIMIT: '500', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code, signal) => r(code ?? (signal ? 128 : null))));
  after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return Object.assign(child, { output: () => out, exited });
}

const worker = (env: SyncEnv | { db: { url: string }; emulatorUrl: string }, concurrency = 2) =>
  spawnCli(['worker', '--concurrency', String(concurrency)], { DATABASE_URL: env.db.url, STRIPE_API_URL: env.emulatorUrl });

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function assertConverged(env: { pool: Pool; emulatorUrl: string }): Promise<void> {
  const state = await emulatorState(env.emulatorUrl);
  const { rows } = await env.pool.query(`select id from spaces`);
  for (const { id } of rows) await assertInSync(env, id, state);
  const perSpace = new Map<string, number>();
  for (const p of state.products) perSpace.set(p.metadata.space_id, (perSpace.get(p.metadata.space_id) ?? 0) + 1);
  assert.ok([...perSpace.values()].every((n) => n === 1), 'one product per space');
  const activePerRow = new Map<string, number>();
  for (const p of state.prices) if (p.active) activePerRow.set(p.metadata.space_price_id, (activePerRow.get(p.metadata.space_price_id) ?? 0) + 1);
  assert.ok([...activePerRow.values()].every((n) => n === 1), 'one active price per price row');
  const left = await env.pool.query(`select count(*)::int as n from graphile_worker._private_jobs`);
  assert.equal(left.rows[0].n, 0, 'no job left, none failed');
  const syncing = await env.pool.query(`select count(*)::int as n from spaces where sync_status = 'syncing'`);
  assert.equal(syncing.rows[0].n, 0, 'nothing stays syncing');
}

test('a SIGKILLed worker: its jobs are taken over within seconds, a replaced job is removed, nothing stays syncing', async () => {
  const env = await syncEnv();
  await setFaults(env.emulatorUrl, { rules: [{ route: 'POST /v1/prices', latencyMs: 300 }] });
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) ids.push((await insertSpace(env.pool, { name: `Killed ${i}` }, THREE_PRICES)).spaceId);
  const first = worker(env);
  const busy = await until('a sync in flight', async () => (await env.pool.query(`select id from spaces where sync_status = 'syncing' limit 1`)).rows[0]?.id as string | undefined);
  first.kill('SIGKILL');
  await first.exited;
  // An edit to a space whose job the dead worker holds: graphile-worker replaces the job and spends
  // the old one's attempts.
  await env.pool.query(`update spaces set name = name || ' (edited)' where id = $1`, [busy]);
  const replaced = await env.pool.query(`select count(*)::int as n from graphile_worker._private_jobs where key is null and attempts >= max_attempts`);
  assert.ok(replaced.rows[0].n >= 1, 'a job was replaced while locked by the dead worker');
  await setFaults(env.emulatorUrl, { clear: true });

  const killedAt = Date.now();
  worker(env);
  await waitAllSynced(env.pool, 45_000); // dead after 10 s of silence: well within this
  const tookMs = Date.now() - killedAt;
  await assertConverged(env);
  const log = await env.pool.query(`select count(*)::int as n from spacesync_workers`);
  assert.equal(log.rows[0].n, 1, 'the dead worker left the workers table; the live one is in it');
  console.log(`# recovered and converged ${tookMs} ms after the kill`);
});

test('a killed catalog sync ends interrupted; the next run finishes it and leaves nothing syncing', async () => {
  const env = await syncEnv();
  for (let i = 0; i < 12; i++) await insertSpace(env.pool, { name: `Catalog ${i}` }, THREE_PRICES);
  await setFaults(env.emulatorUrl, { rules: [{ route: 'POST /v1/prices', latencyMs: 150 }] });
  const run = spawnCli(['catalog', 'sync', '--concurrency', '3'], { DATABASE_URL: env.db.url, STRIPE_API_URL: env.emulatorUrl });
  await until('the run applying', async () => (await env.pool.query(`select 1 from catalog_runs where status = 'applying' and done >= 2`)).rowCount);
  run.kill('SIGKILL');
  await run.exited;
  await setFaults(env.emulatorUrl, { clear: true });
  const stuck = await env.pool.query(`select count(*)::int as n from spaces where sync_status = 'syncing'`);
  assert.ok(stuck.rows[0].n > 0, 'the kill left spaces syncing');
  await new Promise((r) => setTimeout(r, 1_200));
  const report = (await env.pool.query(`select spacesync_recover(1) as r`)).rows[0].r;
  assert.equal(report.runs_interrupted, 1, JSON.stringify(report));
  assert.equal(report.spaces_reset, stuck.rows[0].n);
  const { rows } = await env.pool.query(`select status, error from catalog_runs`);
  assert.equal(rows[0].status, 'interrupted');
  assert.match(rows[0].error, /run the catalog sync again/);

  const again = spawnCli(['catalog', 'sync'], { DATABASE_URL: env.db.url, STRIPE_API_URL: env.emulatorUrl });
  assert.equal(await again.exited, 0, again.output());
  // The jobs the sweep queued for the reset spaces: a worker finds nothing left to send.
  const w = worker(env);
  await waitAllSynced(env.pool, 30_000);
  w.kill('SIGTERM');
  await w.exited;
  await assertConverged(env);
});

test('a worker rides out a Postgres restart (immediate shutdown) and finishes its work', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spacesync-restart-'));
  chmodSync(dir, 0o755);
  let server = await startEmbeddedPostgres({ dir, fsync: false });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  });
  await ensureDatabase(server.url, 'spacesync');
  const url = server.databaseUrl('spacesync');
  let pool = createPool(url, { max: 4 });
  await migrate(pool);
  const env = await syncEnv();
  await setFaults(env.emulatorUrl, { rules: [{ route: 'POST /v1/prices', latencyMs: 100 }] });
  const w = worker({ db: { url }, emulatorUrl: env.emulatorUrl }, 4);
  for (let i = 0; i < 8; i++) await insertSpace(pool, { name: `Restart ${i}` }, THREE_PRICES);
  await until('syncs in flight', async () => (await pool.query(`select 1 from spaces where sync_status = 'syncing'`)).rowCount);
  await pool.end();

  // Immediate shutdown (SIGQUIT to the postmaster), then the same server again on the same port.
  const pid = Number(readFileSync(join(dir, 'data/postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(pid, 'SIGQUIT');
  await until('the server gone', async () => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  });
  await new Promise((r) => setTimeout(r, 1_000));
  server = await startEmbeddedPostgres({ dir, port: server.port, fsync: false });
  pool = createPool(url, { max: 4 });
  await setFaults(env.emulatorUrl, { clear: true });

  await waitAllSynced(pool, 60_000).catch(async (error: unknown) => {
    const jobs = await pool.query(`select id, key, attempts, max_attempts, locked_by, locked_at, run_at, last_error from graphile_worker._private_jobs`);
    const spaces = await pool.query(`select sync_status, count(*)::int from spaces group by 1`);
    throw new Error(`${String(error)}\njobs: ${JSON.stringify(jobs.rows)}\nspaces: ${JSON.stringify(spaces.rows)}\nworker (exit ${w.exitCode}):\n${w.output()}`);
  });
  assert.equal(w.exitCode, null, `the worker is still running:\n${w.output()}`);
  await assertConverged({ pool, emulatorUrl: env.emulatorUrl });
  w.kill('SIGTERM');
  assert.equal(await w.exited, 0, w.output());
  await pool.end();
});
