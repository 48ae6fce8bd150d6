// `npm run build` (also run by `npm install` / `npm ci` through `prepare`): compiles src/ into dist/
// with tsc (tsconfig.build.json), so `spacesync` starts on plain JavaScript, then builds the admin UI
// into web/dist when it is missing or stale. `--if-stale` skips the compile when dist/ is current.
// Without TypeScript (a production install, --omit=dev) it says so and leaves the CLI on tsx.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { compiledBuildState, root, sourcesDigest, stampFile } from '../bin/buildState.js';
import { buildWebIfStale } from '../src/cli/webBuild.ts';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(`Usage: npm run build [-- --if-stale] [-- --no-web]

Compiles src/ into dist/ (bin/spacesync.js runs dist/cli.js when it is current with src/), then
builds the admin UI into web/dist when it is missing or older than its sources.
  --if-stale  skip the compile when dist/ is already current
  --no-web    compile only`);
  process.exit(0);
}

function resolveTsc(): string | undefined {
  try {
    return createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
}

/** Compiled files whose source is gone (renamed or deleted) would otherwise linger in dist/. */
function removeOrphans(dir: string): number {
  let removed = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) removed += removeOrphans(path);
    else if (name.endsWith('.js')) {
      const source = join(root, 'src', relative(join(root, 'dist'), path)).replace(/\.js$/, '.ts');
      if (!existsSync(source)) {
        rmSync(path);
        removed++;
      }
    }
  }
  return removed;
}

function compile(): boolean {
  const state = compiledBuildState();
  if (args.includes('--if-stale') && state.current) {
    console.log('spacesync: dist/ is up to date');
    return true;
  }
  const tsc = resolveTsc()!;
  console.log(`spacesync: compiling src/ into dist/${state.current ? '' : ` (${state.reason})`}…`);
  const started = performance.now();
  rmSync(stampFile, { force: true });
  const digest = sourcesDigest(); // of the sources as tsc reads them: an edit during the compile makes the build stale
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    console.error('spacesync: the compile failed (above): the CLI keeps running the sources with tsx');
    return false;
  }
  const orphans = removeOrphans(join(root, 'dist'));
  writeFileSync(stampFile, `${JSON.stringify({ builtAt: new Date().toISOString(), sources: digest })}\n`);
  console.log(`spacesync: compiled dist/ in ${Math.round(performance.now() - started)} ms${orphans ? ` (${orphans} stale file(s) removed)` : ''}`);
  return true;
}

if (!resolveTsc()) {
  console.log('spacesync: TypeScript and Vite are not installed (a production install): nothing to build; the CLI runs the sources with tsx');
  process.exit(0);
}
let ok = compile();
if (ok && !args.includes('--no-web')) {
  ok = await buildWebIfStale().then(
    () => true,
    (error: unknown) => {
      console.error('admin UI: the build failed:', error);
      return false;
    },
  );
}
process.exit(ok ? 0 : 1);
