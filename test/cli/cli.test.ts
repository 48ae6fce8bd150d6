// The CLI in a subprocess, as a user runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, existsSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '../helpers/db.ts';

const bin = join(import.meta.dirname, '../../bin/spacesync.js');

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'warn', ...env }, timeout: 120_000 });
}

test('spacesync --help lists every command, and each command has --help', () => {
  const r = cli(['--help']);
  assert.equal(r.status, 0, r.stderr);
  const names = [...r.stdout.matchAll(/^ {2}(\S+(?: (?!\s)\S+)?)\s{2,}/gm)].map((m) => m[1]);
  assert.ok(names.includes('start') && names.includes('migrate') && names.includes('emulator'), r.stdout);
  for (const name of names) {
    const h = cli([...name.split(' '), '--help']);
    assert.equal(h.status, 0, `${name} --help: ${h.stderr}`);
    assert.match(h.stdout, /Usage: spacesync/, `${name} --help prints its usage`);
  }
});

test('an unknown command or option fails with a clear message', () => {
  const r = cli(['frobnicate']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /unknown command "frobnicate"/);
  const o = cli(['migrate', '--frob']);
  assert.equal(o.status, 1);
  assert.match(o.stderr, /--frob/);
});

test('a bad configuration value stops with the variable name and the fix', () => {
  const r = cli(['migrate'], { PORT: 'eighty' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /PORT: must be a whole number/);
  const k = cli(['migrate'], { STRIPE_SECRET_KEY: 'pk_test_123' });
  assert.match(k.stderr, /STRIPE_SECRET_KEY: .*sk_test_/);
});

test('spacesync migrate migrates DATABASE_URL, then reports it up to date', async () => {
  const db = await createTestDatabase({ empty: true });
  const first = cli(['migrate'], { DATABASE_URL: db.url });
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /applied \d+ migration\(s\)/);
  const second = cli(['migrate'], { DATABASE_URL: db.url });
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /up to date/);
});

interface Started {
  child: ReturnType<typeof spawn>;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** A fresh DATA_DIR that the embedded Postgres's own user can reach (mkdtemp makes it 0700). */
function tempDataDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

async function start(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, [bin, 'start'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', EMULATOR_PORT: '0', LOG_LEVEL: 'warn', DATABASE_URL: '', STRIPE_SECRET_KEY: '', STRIPE_API_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const deadline = Date.now() + 90_000;
  while (!/Press Ctrl-C to stop/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`start did not become ready:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = out.match(/admin UI and API\s+(http\S+)/)![1];
  return { child, url, output: () => out, exited };
}

function postgresPid(dataDir: string): number | undefined {
  const file = join(dataDir, 'postgres/data/postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('npm start reaches ready, answers /healthz, and stops cleanly on SIGTERM and SIGINT without leaving Postgres', async () => {
  const dataDir = tempDataDir('spacesync-start-');
  try {
    for (const [i, signal] of (['SIGTERM', 'SIGINT'] as const).entries()) {
      const s = await start(dataDir);
      assert.match(s.output(), /sign in as\s+admin@spacesync\.local/, 'every start names the admin to sign in as');
      if (i === 0) assert.match(s.output(), /password\s+\S{12,}\s+\(generated now and shown once/, 'the first start prints the generated password');
      else assert.doesNotMatch(s.output(), /generated now/, 'the password is shown once only');
      const res = await fetch(`${s.url}/healthz`);
      const body = await res.json();
      assert.equal(res.status, 200, JSON.stringify(body));
      assert.equal(body.ok, true);
      const pid = postgresPid(dataDir);
      assert.ok(pid && alive(pid), 'the embedded Postgres runs');
      s.child.kill(signal);
      assert.equal(await s.exited, 0, s.output());
      assert.equal(alive(pid!), false, `Postgres (pid ${pid}) stopped after ${signal}`);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('after the process is SIGKILLed, the next start recovers the orphaned Postgres', async () => {
  const dataDir = tempDataDir('spacesync-kill-');
  try {
    const first = await start(dataDir);
    const orphan = postgresPid(dataDir)!;
    first.child.kill('SIGKILL');
    await first.exited;
    assert.ok(alive(orphan), 'the orphaned server outlives its parent (the trap)');
    const second = await start(dataDir);
    assert.equal((await fetch(`${second.url}/healthz`)).status, 200);
    assert.equal(alive(orphan), false, 'the orphan was stopped');
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
