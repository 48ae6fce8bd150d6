// Whether dist/ (the compiled CLI) is current: `scripts/build.ts` writes dist/.built after a
// successful compile; the build is current when no source it was compiled from changed since.
// Plain JavaScript, read by bin/spacesync.js before anything else is loaded.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..');
export const stampFile = join(root, 'dist', '.built');

function newestMtime(dir) {
  let newest = 0;
  let entries;
  try {
    newest = statSync(dir).mtimeMs; // a deleted file bumps its directory
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0; // absent: a package shipped without its sources
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** @returns {{ current: boolean, reason: string }} */
export function compiledBuildState() {
  const builtAt = mtime(stampFile);
  if (builtAt === 0) return { current: false, reason: 'no compiled build in dist/' };
  const sources = Math.max(newestMtime(join(root, 'src')), mtime(join(root, 'tsconfig.json')), mtime(join(root, 'tsconfig.build.json')));
  if (sources > builtAt) return { current: false, reason: 'src/ changed since dist/ was built' };
  return { current: true, reason: 'dist/ is up to date' };
}
