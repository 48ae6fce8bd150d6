// `--json` prints JSON and nothing else on stdout, whatever LOG_LEVEL says: logs go to stderr.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/index.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { insertSpace, THREE_PRICES } from '../sync/helpers.ts';

const db = await createTestDatabase();
const emulator = await startEmulator({ port: 0 });
after(() => emulator.stop());
const root = join(import.meta.dirname, '../..');

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli.ts'), ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: db.url, STRIPE_API_URL: emulator.url, STRIPE_SECRET_KEY: '', LOG_LEVEL: 'debug' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('catalog plan --json and logs --json are pure JSON on stdout, with logging on', async () => {
  await insertSpace(db.pool, { name: 'Salle Json' }, THREE_PRICES);
  const plan = await cli('catalog', 'plan', '--json');
  assert.equal(plan.code, 0, plan.stderr);
  const parsed = JSON.parse(plan.stdout); // throws on any log line mixed in
  assert.equal(parsed.totals.create, 1);
  assert.match(plan.stderr, /catalog planned/, 'the log lines went to stderr');

  const logs = await cli('logs', '--json');
  assert.equal(logs.code, 0, logs.stderr);
  const lines = logs.stdout.trim().split('\n');
  assert.ok(lines.length > 0);
  for (const line of lines) JSON.parse(line);
});
