// `spacesync start` with live streams open (GET and HEAD /api/stream): SIGTERM ends them and the
// process exits, instead of printing "stopped" and hanging on connections that never close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '../helpers/db.ts';

const bin = join(import.meta.dirname, '../../bin/spacesync.js');

test('SIGTERM with open streams and a HEAD /api/stream: every stream ends and the process exits', async () => {
  const db = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'spacesync-streams-'));
  chmodSync(dataDir, 0o755);
  const email = 'admin@example.com';
  const password = 'correct horse battery staple';
  const child = spawn(process.execPath, [bin, 'start'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', EMULATOR_PORT: '0', LOG_LEVEL: 'warn', DATABASE_URL: db.url, ADMIN_EMAIL: email, ADMIN_PASSWORD: password, STRIPE_SECRET_KEY: '', STRIPE_API_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  try {
    const deadline = Date.now() + 90_000;
    while (!/Press Ctrl-C to stop/.test(out)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`start did not become ready:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const url = out.match(/admin UI and API\s+(http\S+)/)![1];
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    assert.equal(login.status, 200, await login.clone().text());
    const { access_token } = (await login.json()) as { access_token: string };
    const headers = { authorization: `Bearer ${access_token}` };
    const head = await fetch(`${url}/api/stream`, { method: 'HEAD', headers });
    assert.equal(head.status, 200);
    const streams = await Promise.all([1, 2, 3].map(() => fetch(`${url}/api/stream`, { headers })));
    const ended = streams.map(async (res) => {
      assert.equal(res.status, 200);
      const reader = res.body!.getReader();
      try {
        for (;;) if ((await reader.read()).done) return 'ended';
      } catch {
        return 'ended';
      }
    });
    child.kill('SIGTERM');
    const outcome = await Promise.race([
      exited.then((code) => ({ code })),
      new Promise<'still running'>((r) => setTimeout(() => r('still running'), 15_000)),
    ]);
    assert.deepEqual(outcome, { code: 0 }, out);
    assert.deepEqual(await Promise.all(ended), ['ended', 'ended', 'ended']);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
