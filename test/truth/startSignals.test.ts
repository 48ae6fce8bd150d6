// A SIGTERM at any moment of `spacesync start` leaves no Postgres behind: the signal handlers are in
// place before anything starts (a subprocess, signalled at random points of its start).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { tempDataDir, spawnCli, startReady, postgresOf } from '../helpers/cliProcess.ts';


test('SIGTERM at random moments of start leaves no Postgres behind', async () => {
  const dataDir = tempDataDir('spacesync-sigterm-');
  try {
    // A first full start measures how long a start takes here.
    const t0 = Date.now();
    const first = await startReady(dataDir);
    const readyMs = Date.now() - t0;
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0);
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 4; i++) {
      const delay = Math.round(random() * readyMs * 1.2);
      const s = spawnCli(['start'], { DATA_DIR: dataDir });
      await new Promise((r) => setTimeout(r, delay));
      s.child.kill('SIGTERM');
      const code = await s.exited;
      assert.ok(code === 0 || code === 128, `start exited ${code} after a SIGTERM at ${delay} ms:\n${s.output()}`);
      const left = postgresOf(dataDir);
      assert.deepEqual(left, [], `no Postgres left after a SIGTERM at ${delay} ms (ready takes ${readyMs} ms):\n${s.output()}`);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  }
});
