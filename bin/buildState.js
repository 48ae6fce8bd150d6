// Whether dist/ (the compiled CLI) is current with the sources. `scripts/build.ts` writes dist/.built
// after a successful compile, holding a digest of the sources it compiled. Fast path: the stamp is
// newer than every source. Otherwise (an edit, or files given new times by a git checkout or a package
// extraction) the sources' digest is compared with the stamp's. Plain JavaScript, read by
// bin/spacesync.js before anything else is loaded.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join, relative } from 'node:path';

export const root = join(import.meta.dirname, '..');
export const stampFile = join(root, 'dist', '.built');
const configFiles = ['tsconfig.json', 'tsconfig.build.json'].map((name) => join(root, name));

/** Every source file the build reads (src/**\/*.ts and the tsconfig files, sorted), and src/'s folders. */
function sources() {
  const files = [...configFiles];
  const dirs = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // absent: a package shipped without its sources
    }
    dirs.push(dir); // a deleted file bumps its folder
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) files.push(path);
    }
  };
  walk(join(root, 'src'));
  return { files: files.sort(), dirs };
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** A digest of the sources' paths and contents. */
export function sourcesDigest() {
  const hash = createHash('sha256');
  for (const file of sources().files) {
    hash.update(relative(root, file)).update('\0');
    try {
      hash.update(readFileSync(file));
    } catch {
      hash.update('(absent)');
    }
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** @returns {{ current: boolean, reason: string }} */
export function compiledBuildState() {
  const builtAt = mtime(stampFile);
  if (builtAt === 0) return { current: false, reason: 'no compiled build in dist/' };
  const { files, dirs } = sources();
  const newest = Math.max(...files.map(mtime), ...dirs.map(mtime));
  if (newest <= builtAt) return { current: true, reason: 'dist/ is up to date' };
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    stamp = {};
  }
  if (stamp.sources === sourcesDigest()) {
    try {
      const at = new Date(newest);
      utimesSync(stampFile, at, at); // the next start takes the fast path; any later edit is newer
    } catch {
      // a read-only install: the digest is compared at every start
    }
    return { current: true, reason: 'dist/ is up to date' };
  }
  return { current: false, reason: 'src/ changed since dist/ was built' };
}
