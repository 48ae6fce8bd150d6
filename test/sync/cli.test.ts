// The sync commands in a subprocess, as a user runs them: seed, catalog plan (--json), catalog sync
// (plain progress lines when not a TTY), sync <space-id>.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/index.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { assertInSync, emulatorState } from './helpers.ts';

const db = await createTestDatabase();
const emulator = await startEmulator({ port: 0 });
after(() => emulator.stop());
const root = join(import.meta.dirname, '../..');

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli.ts'), ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: db.url, STRIPE_API_URL: emulator.url, STRIPE_SECRET_KEY: '', LOG_LEVEL: 'silent', STRIPE_RATE_LIMIT: '500' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('seed, plan, sync the catalog, then sync one space', async () => {
  const seeded = await cli('seed', '--spaces', '8');
  assert.equal(seeded.code, 0, seeded.stderr);
  assert.match(seeded.stdout, /inserted 8 spaces with \d+ prices/);
  const { rows } = await db.pool.query(`select id, name, kind from spaces order by name`);
  assert.equal(rows.length, 8);

  const plan = await cli('catalog', 'plan', '--json');
  assert.equal(plan.code, 0, plan.stderr);
  const json = JSON.parse(plan.stdout);
  assert.equal(json.totals.create, 8);
  assert.equal(json.entries.length, 8);

  const text = await cli('catalog', 'plan');
  assert.match(text.stdout, /\+ create "/);
  assert.match(text.stdout, /Plan: 8 to create, 0 to update/);

  const synced = await cli('catalog', 'sync', '--concurrency', '3');
  assert.equal(synced.code, 0, synced.stderr + synced.stdout);
  assert.match(synced.stdout, /\[#+\] 8\/8 {2}calls \d+ {2}errors 0 {2}ETA 0s/);
  assert.match(synced.stdout, /8 applied, 0 failed/);
  const state = await emulatorState(emulator.url);
  for (const r of rows) await assertInSync({ pool: db.pool, emulatorUrl: emulator.url }, r.id, state);

  await db.pool.query(`update spaces set name = 'Renamed from SQL' where id = $1`, [rows[0].id]);
  const one = await cli('sync', rows[0].id);
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, /GET \/v1\/products\/prod_\w+ → 200/);
  assert.match(one.stdout, /POST \/v1\/products\/prod_\w+ → 200 \(req_\w+/);
  assert.match(one.stdout, /synced: version \d+, product prod_\w+, 1 change\(s\)/);
  await assertInSync({ pool: db.pool, emulatorUrl: emulator.url }, rows[0].id);

  const bad = await cli('sync', 'not-a-uuid');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /is not a space id/);
});
