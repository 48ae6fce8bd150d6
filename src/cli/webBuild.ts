// Builds web/dist with Vite's JS API when it is missing or older than any source it is built from
// (web/src, src/catalog, web/index.html, web/vite.config.ts). `npm install` builds it (prepare),
// `spacesync start` and `spacesync api` build it first when needed (ensureAdminUi), the test runner
// before the browser tests. Lives under src/ so the compiled CLI (dist/cli/webBuild.js) has it too.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');
const webDir = join(root, 'web');
export const distDir = join(webDir, 'dist');

function newestMtime(path: string): number {
  let s;
  try {
    s = statSync(path);
  } catch {
    return 0; // absent
  }
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs; // a deleted file bumps its directory
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

export function webBuildIsStale(): { stale: boolean; reason: string } {
  const builtAt = newestMtimeOfFile(join(distDir, 'index.html'));
  if (builtAt === 0) return { stale: true, reason: 'web/dist is missing' };
  const sources = [join(webDir, 'src'), join(root, 'src', 'catalog'), join(webDir, 'index.html'), join(webDir, 'vite.config.ts'), join(root, 'package-lock.json')];
  for (const source of sources) {
    if (newestMtime(source) > builtAt) return { stale: true, reason: `${source.slice(root.length + 1)} changed since the last build` };
  }
  return { stale: false, reason: 'web/dist is up to date' };
}

function newestMtimeOfFile(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

const lockDir = join(webDir, '.build-lock');
const STALE_LOCK_MS = 120_000;

/** One build at a time across processes (test files run in parallel): a lock directory. */
async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let age = 0;
      try {
        age = Date.now() - statSync(lockDir).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      if (age > STALE_LOCK_MS) rmSync(lockDir, { recursive: true, force: true }); // its builder died
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

export interface WebBuildOptions {
  force?: boolean;
  quiet?: boolean;
  /** Vite's own progress lines (modules transformed, chunks written) as well as ours. */
  verbose?: boolean;
}

export async function buildWebIfStale(options: WebBuildOptions = {}): Promise<boolean> {
  if (!options.force && !webBuildIsStale().stale) {
    if (!options.quiet) console.log('admin UI: web/dist is up to date');
    return false;
  }
  return withBuildLock(() => buildUnlocked(options));
}

async function buildUnlocked(options: WebBuildOptions): Promise<boolean> {
  // Checked again under the lock: another process may have just built it.
  const { stale, reason } = webBuildIsStale();
  if (!stale && !options.force) {
    if (!options.quiet) console.log(`admin UI: ${reason}`);
    return false;
  }
  if (!options.quiet) console.log(`admin UI: building (${options.force ? 'forced' : reason})…`);
  const started = performance.now();
  const { build } = await import('vite');
  await build({ configFile: join(webDir, 'vite.config.ts'), logLevel: options.quiet ? 'silent' : options.verbose ? 'info' : 'warn', mode: 'production' });
  if (!options.quiet) console.log(`admin UI: built web/dist in ${Math.round(performance.now() - started)} ms`);
  return true;
}

function viteIsInstalled(): boolean {
  try {
    createRequire(join(root, 'package.json')).resolve('vite');
    return true;
  } catch {
    return false; // a production install (--omit=dev): Vite is a development dependency
  }
}

/**
 * Before serving the admin UI: builds web/dist, with Vite's progress, when it is missing or older than
 * its sources. Without Vite (an installed package, a production install) it serves the build there is,
 * or says what to do when there is none.
 */
export async function ensureAdminUi(): Promise<void> {
  const { stale, reason } = webBuildIsStale();
  if (!stale) return;
  if (!viteIsInstalled()) {
    // An installed package (its files all given the time of extraction) serves the build it carries.
    if (existsSync(join(distDir, 'index.html'))) return;
    console.error(
      `admin UI: web/dist is missing and Vite is not installed to build it: run \`npm install\` (with development dependencies) in ${root}; / answers 503 until then`,
    );
    return;
  }
  await buildWebIfStale({ verbose: true });
}
