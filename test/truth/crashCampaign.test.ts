// The crash campaign, sized for CI: a worker SIGKILLed at random moments of a catalog sync and of
// concurrent edits, under Stripe faults (500s, 429s, timeouts, answers lost after commit), restarted
// each time; then checked against the emulator's state (test/helpers/crashCampaign.ts). The longer
// run is `npm run bench -- crash-campaign`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCrashCampaign } from '../helpers/crashCampaign.ts';
import { syncEnv } from '../sync/helpers.ts';

test('SIGKILLed workers, edits and Stripe faults: converges with no manual step and no duplicate', async () => {
  const env = await syncEnv({ emulator: { seed: 11 } });
  const result = await runCrashCampaign({
    pool: env.pool,
    databaseUrl: env.db.url,
    emulatorUrl: env.emulatorUrl,
    spaces: 40,
    kills: 5,
    edits: 40,
    seed: 11,
    faults: [
      { route: 'POST /v1/prices', latencyMs: { min: 5, max: 60 }, errorRate: 0.05, rateLimitRate: 0.05, failAfterCommitRate: 0.05 },
      { route: 'POST /v1/products', errorRate: 0.05, rateLimitRate: 0.05, failAfterCommitRate: 0.05 },
      { route: 'POST /v1/products/:id', timeoutRate: 0.02 },
    ],
    convergeTimeoutMs: 60_000,
  });
  console.log(`# campaign: ${JSON.stringify({ ...result, violations: result.violations.length })}`);
  assert.deepEqual(result.violations, []);
  // Writes beyond the minimum: one product update per edit at most, and the default-price updates.
  assert.ok(result.writes <= result.minimumWrites + result.edits + result.liveSpaces, `writes ${result.writes} against a minimum of ${result.minimumWrites} (+${result.edits} edits)`);
});
