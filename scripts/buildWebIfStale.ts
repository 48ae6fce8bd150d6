// `tsx scripts/buildWebIfStale.ts [--force]`: builds web/dist when it is missing or stale (see
// src/cli/webBuild.ts). The test runner imports buildWebIfStale() from here.
import { fileURLToPath } from 'node:url';
import { buildWebIfStale } from '../src/cli/webBuild.ts';

export { buildWebIfStale, webBuildIsStale, distDir } from '../src/cli/webBuild.ts';

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildWebIfStale({ force: process.argv.includes('--force') }).catch((error: unknown) => {
    console.error('admin UI: the build failed:', error);
    process.exit(1);
  });
}
