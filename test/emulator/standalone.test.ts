// The emulator as a user starts it: `spacesync emulator --port 0` in a subprocess prints the URL of
// the port it really got, serves the SDK, and stops with exit code 0 on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import Stripe from 'stripe';

test('`spacesync emulator --port 0` prints its real URL, serves the SDK and exits 0 on SIGTERM', async () => {
  const bin = fileURLToPath(new URL('../../bin/spacesync.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'emulator', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (err += d));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed within 30 s:\n${out}${err}`)), 30_000);
      child.stdout.on('data', (d: string) => {
        out += d;
        const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[0]);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code} before printing a URL:\n${out}${err}`));
      });
    });
    const port = Number(new URL(url).port);
    assert.ok(port > 0 && port !== 12111, `a free port was picked, not the default: ${url}`);
    const health = await fetch(`${url}/_emulator/health`);
    assert.deepEqual(await health.json(), { ok: true }, 'the printed URL is where it listens');
    const stripe = new Stripe('sk_test_standalone', { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0 });
    const product = await stripe.products.create({ name: 'From the CLI' });
    assert.equal((await stripe.products.retrieve(product.id)).name, 'From the CLI');
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
  const [code, signal] = await exited;
  assert.deepEqual({ code, signal }, { code: 0, signal: null }, `${out}${err}`);
});
