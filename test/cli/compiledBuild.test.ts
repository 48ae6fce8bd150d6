// The compiled CLI (dist/, built by `npm ci` through prepare or `npm run build`): the test brings
// dist/ up to date with the sources first (a no-op after `npm ci`), then runs it as a user does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compiledBuildState } from '../../bin/buildState.js';

const root = join(import.meta.dirname, '../..');
const run = (args: string[]) => spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'warn' }, timeout: 240_000 });

test('the sources compile into dist/, and the bin runs the compiled build without tsx', () => {
  const build = run(['--import', 'tsx', 'scripts/build.ts', '--if-stale', '--no-web']);
  assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`);
  assert.deepEqual(compiledBuildState(), { current: true, reason: 'dist/ is up to date' });

  const direct = run(['dist/cli.js', '--help']);
  assert.equal(direct.status, 0, direct.stderr);
  assert.match(direct.stdout, /^Usage: spacesync <command>/m);
  for (const name of ['start', 'migrate', 'worker', 'api', 'catalog plan', 'user create']) {
    assert.match(direct.stdout, new RegExp(`^ {2}${name} +\\S`, 'm'), `--help lists ${name}`);
  }

  // Through the bin, plain node: no tsx loader is registered, so it is the build that answers.
  const viaBin = run(['bin/spacesync.js', 'worker', '--help']);
  assert.equal(viaBin.status, 0, viaBin.stderr);
  assert.match(viaBin.stdout, /Usage: spacesync worker/);
  assert.doesNotMatch(viaBin.stderr, /tsx/, 'the bin did not fall back to the sources');

  const unknown = run(['bin/spacesync.js', 'frobnicate']);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
});

function setTime(path: string, fromNowMs: number): void {
  const at = new Date(Date.now() + fromNowMs);
  utimesSync(path, at, at);
}

function walk(dir: string): string[] {
  return [dir, ...readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))];
}

test('the build stays current when files only get new times, and is left for the sources once one changes', async () => {
  const checkout = mkdtempSync(join(tmpdir(), 'spacesync-build-state-'));
  try {
    for (const path of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'bin', 'src']) cpSync(join(root, path), join(checkout, path), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(checkout, 'node_modules'), 'dir');
    const state: typeof import('../../bin/buildState.js') = await import(pathToFileURL(join(checkout, 'bin/buildState.js')).href);
    assert.equal(state.compiledBuildState().current, false, 'no dist/ yet');
    // A compiled build of these very sources (the stamp is what the bin trusts; the test compiles nothing).
    cpSync(join(root, 'dist'), join(checkout, 'dist'), { recursive: true });
    writeFileSync(state.stampFile, JSON.stringify({ builtAt: new Date().toISOString(), sources: state.sourcesDigest() }));
    setTime(state.stampFile, -60_000);
    assert.deepEqual(state.compiledBuildState(), { current: true, reason: 'dist/ is up to date' }, 'sources newer by time only (a checkout, a package extraction)');

    const source = join(checkout, 'src/cli/command.ts');
    appendFileSync(source, '\n// edited\n');
    setTime(state.stampFile, -60_000); // clearly before the edit
    assert.deepEqual(state.compiledBuildState(), { current: false, reason: 'src/ changed since dist/ was built' });
    const r = spawnSync(process.execPath, [join(checkout, 'bin/spacesync.js'), '--help'], { cwd: checkout, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /src\/ changed since dist\/ was built: running the TypeScript sources with tsx/);
    assert.match(r.stdout, /^Usage: spacesync <command>/m, 'the sources answer');

    // Back as it was: current again. Then a source deleted while every file stays older than the stamp.
    writeFileSync(source, readFileSync(join(root, 'src/cli/command.ts')));
    assert.equal(state.compiledBuildState().current, true, 'the same contents again');
    for (const path of walk(join(checkout, 'src'))) setTime(path, -120_000);
    setTime(state.stampFile, -60_000);
    assert.deepEqual(state.compiledBuildState(), { current: true, reason: 'dist/ is up to date' });
    rmSync(join(checkout, 'src/cli/args.ts'));
    assert.equal(state.compiledBuildState().current, false, 'a deleted source makes it stale too');
  } finally {
    rmSync(checkout, { recursive: true, force: true });
  }
});
