// The compiled CLI (dist/, built by `npm ci` through prepare or `npm run build`): the test brings
// dist/ up to date with the sources first (a no-op after `npm ci`), then runs it as a user does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
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
