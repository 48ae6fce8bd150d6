// Processes that never hurt each other, in subprocesses as a user runs them:
// - every command run beside a running `spacesync start` on the same DATA_DIR uses its database and
//   never stops it; the last process out stops the server;
// - a SIGTERM at any moment of `spacesync start` leaves no Postgres behind;
// - the embedded Postgres keeps the user's data with fsync on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/node/embeddedPostgres.ts';
import { tempDataDir, spawnCli, run, startReady, postmaster, alive, postgresOf } from '../helpers/cliProcess.ts';


test('every command beside a running start uses its database and never stops it', async () => {
  const dataDir = tempDataDir('spacesync-owner-');
  try {
    const s = await startReady(dataDir);
    const server = postmaster(dataDir)!;
    assert.ok(alive(server.pid));
    const password = readFileSync(join(dataDir, 'postgres/password'), 'utf8').trim();
    const client = new pg.Client({ connectionString: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${server.port}/spacesync` });
    await client.connect();

    const env = { DATA_DIR: dataDir, STRIPE_API_URL: s.emulatorUrl, STRIPE_RATE_LIMIT: '500' };
    const healthy = async (after: string) => {
      const res = await fetch(`${s.url}/healthz`);
      assert.equal(res.status, 200, `healthz after ${after}: ${await res.text()}`);
      assert.deepEqual(postmaster(dataDir), server, `the server of start still runs after ${after}`);
      assert.ok(alive(server.pid));
      assert.equal((await client.query('select 1 as one')).rows[0].one, 1, `start's connections still work after ${after}`);
    };
    const commands: string[][] = [
      ['migrate'],
      ['user', 'create', '--email', 'someone@example.com'],
      ['seed', '--spaces', '3'],
      ['logs', '--limit', '5'],
      ['catalog', 'plan'],
      ['catalog', 'sync', '--concurrency', '2'],
    ];
    for (const args of commands) {
      const r = await run(args, env);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.output}`);
      assert.doesNotMatch(r.output, /stopping it/, `${args.join(' ')} stopped nothing`);
      await healthy(args.join(' '));
    }
    const { rows } = await client.query(`select id from spaces limit 1`);
    const one = await run(['sync', rows[0].id], env);
    assert.equal(one.code, 0, one.output);
    await healthy('sync <id>');
    // A worker beside it, stopped with SIGTERM.
    const w = spawnCli(['worker'], env);
    while (!/worker running/.test(w.output())) {
      assert.equal(w.child.exitCode, null, w.output());
      await new Promise((r) => setTimeout(r, 50));
    }
    w.child.kill('SIGTERM');
    assert.equal(await w.exited, 0, w.output());
    await healthy('worker');
    // fsync is on for the user's data.
    assert.equal((await client.query('show fsync')).rows[0].fsync, 'on');
    // A login still works: the API's database is whole.
    const login = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@spacesync.local', password: 'wrong password here' }) });
    assert.equal(login.status, 401);
    await client.end();

    s.child.kill('SIGTERM');
    assert.equal(await s.exited, 0, s.output());
    assert.equal(alive(server.pid), false, 'the last process out stopped the server');
  } finally {
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  }
});

test('the embedded Postgres keeps the data with fsync on unless told otherwise', async () => {
  const dir = tempDataDir('spacesync-fsync-');
  const server = await startEmbeddedPostgres({ dir });
  try {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    assert.equal((await client.query('show fsync')).rows[0].fsync, 'on');
    await client.end();
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  }
});

test('a command that started the server leaves it to a start that came meanwhile', async () => {
  const dataDir = tempDataDir('spacesync-handover-');
  try {
    // `logs --follow` starts the server; then start uses it; logs ends first; start still works.
    const follow = spawnCli(['logs', '--follow'], { DATA_DIR: dataDir });
    while (!postmaster(dataDir)) {
      assert.equal(follow.child.exitCode, null, follow.output());
      await new Promise((r) => setTimeout(r, 50));
    }
    const s = await startReady(dataDir);
    const server = postmaster(dataDir)!;
    follow.child.kill('SIGTERM');
    await follow.exited;
    assert.ok(alive(server.pid), 'the server stays for start');
    assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
    s.child.kill('SIGTERM');
    assert.equal(await s.exited, 0, s.output());
    assert.equal(alive(server.pid), false);
  } finally {
    // The server's last child processes may still be writing as they exit.
    for (let i = 0; i < 100 && postgresOf(dataDir).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  }
});
