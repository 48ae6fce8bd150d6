// `npm run bench [name...]`: runs every bench/*.bench.ts (or the named ones), one child process each,
// so one benchmark's heap and sockets never skew another's figures.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log('Usage: npm run bench [-- name ...]\n\nRuns bench/<name>.bench.ts files and writes bench/results/<name>.json.');
  console.log('Available:', list().join(', '));
  process.exit(0);
}

function list(): string[] {
  return readdirSync(here).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, '')).sort();
}

const wanted = args.length ? args : list();
let failed = 0;
for (const name of wanted) {
  const file = join(here, `${name}.bench.ts`);
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', file], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`benchmark ${name} failed (exit ${r.status})`);
  }
}
process.exit(failed ? 1 : 0);
