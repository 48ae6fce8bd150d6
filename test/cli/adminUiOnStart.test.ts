// `spacesync start` serves the admin UI however it is launched. A copy of the checkout with neither
// dist/ nor web/dist (as after a clone, before any build) runs through the bin: the CLI falls back to
// the sources, `start` builds the UI first with progress, and `/` answers the UI's page and assets.
// Then the real checkout's bin (the compiled build when current) serves it as well.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755); // the embedded Postgres's own user must reach its data folder
  return dir;
}

/** Starts `node <checkout>/bin/spacesync.js start` on a fresh DATA_DIR; resolves once it says ready. */
async function start(checkout: string, dataDir: string) {
  const child = spawn(process.execPath, [join(checkout, 'bin/spacesync.js'), 'start'], {
    cwd: checkout,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', EMULATOR_PORT: '0', LOG_LEVEL: 'warn', DATABASE_URL: '', STRIPE_SECRET_KEY: '', STRIPE_API_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const deadline = Date.now() + 180_000;
  while (!/Press Ctrl-C to stop/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`start did not become ready:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = out.match(/admin UI and API\s+(http\S+)/)![1];
  const stop = async () => {
    child.kill('SIGTERM');
    return exited;
  };
  return { url, output: () => out, stop };
}

/** `/` is the admin UI's page, and the script it loads is served too. */
async function assertServesUi(url: string): Promise<void> {
  const page = await fetch(`${url}/`);
  const html = await page.text();
  assert.equal(page.status, 200, html);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(html, /<title>spacesync<\/title>/);
  assert.match(html, /<div id="root"><\/div>/);
  const script = html.match(/<script type="module"[^>]* src="(\/assets\/[^"]+\.js)"/)?.[1];
  assert.ok(script, `the page loads its script: ${html}`);
  const js = await fetch(`${url}${script}`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type') ?? '', /javascript/);
  assert.ok((await js.text()).length > 1000, 'the script is the built bundle');
  // A client-side route of the UI gets the same page.
  const deep = await fetch(`${url}/spaces`);
  assert.equal(deep.status, 200);
  assert.match(await deep.text(), /<div id="root"><\/div>/);
}

test('a checkout without any build: start builds the admin UI first, with progress, then serves it', async () => {
  const checkout = tempDir('spacesync-checkout-');
  const dataDir = tempDir('spacesync-ui-data-');
  try {
    for (const path of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'bin', 'src', 'web']) {
      cpSync(join(root, path), join(checkout, path), { recursive: true, filter: (from) => !/[/\\](dist|\.build-lock)$/.test(from) });
    }
    symlinkSync(join(root, 'node_modules'), join(checkout, 'node_modules'), 'dir');
    assert.equal(existsSync(join(checkout, 'web/dist')), false);
    assert.equal(existsSync(join(checkout, 'dist')), false);

    const s = await start(checkout, dataDir);
    try {
      const out = s.output();
      assert.match(out, /no compiled build in dist\/: running the TypeScript sources with tsx/, 'the fallback says so');
      assert.match(out, /admin UI: building \(web\/dist is missing\)/, 'the build is announced');
      assert.match(out, /admin UI: built web\/dist in \d+ ms/, 'and its end');
      assert.ok(out.indexOf('admin UI: built') < out.indexOf('spacesync is ready'), 'the UI is built before ready is printed');
      assert.ok(existsSync(join(checkout, 'web/dist/index.html')));
      await assertServesUi(s.url);
    } finally {
      assert.equal(await s.stop(), 0, s.output());
    }
  } finally {
    rmSync(checkout, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('start through the checkout’s own bin serves the admin UI', async () => {
  const dataDir = tempDir('spacesync-ui-data-');
  try {
    const s = await start(root, dataDir);
    try {
      assert.doesNotMatch(s.output(), /admin UI is not built/);
      await assertServesUi(s.url);
    } finally {
      assert.equal(await s.stop(), 0, s.output());
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
