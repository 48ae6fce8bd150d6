// `npm run screenshots`: refreshes the README's images (docs/screenshots) by running the browser tests
// that take them, with SPACESYNC_UPDATE_SCREENSHOTS=1 (test/ui/browser.ts writes there only then).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const files = ['test/ui/spaces.test.ts', 'test/ui/pages.test.ts', 'test/ui/catalog.test.ts', 'test/ui/live.test.ts', 'test/ui/french.test.ts'];
const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'test.ts'), ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, SPACESYNC_UPDATE_SCREENSHOTS: '1' },
});
process.exit(result.status ?? 1);
