// The crash campaign at a larger size than the test suite's (test/truth/crashCampaign.test.ts): a
// `spacesync worker` process SIGKILLed at random moments of a catalog sync and of concurrent edits,
// under Stripe faults, restarted each time; then the emulator's state checked against the database.
// Figures: time to converge after the last kill, Stripe writes against the minimum, violations (0).
import { startEmulator } from '../src/emulator/index.ts';
import { runCrashCampaign } from '../test/helpers/crashCampaign.ts';
import { startBenchDatabase } from './db.ts';
import { round, writeReport } from './lib.ts';

const SPACES = Number(process.env.CAMPAIGN_SPACES ?? 300);
const KILLS = Number(process.env.CAMPAIGN_KILLS ?? 12);
const db = await startBenchDatabase({ poolSize: 10 });
const emu = await startEmulator({ port: 0, seed: 3 });
try {
  const result = await runCrashCampaign({
    pool: db.pool,
    databaseUrl: db.url,
    emulatorUrl: emu.url,
    spaces: SPACES,
    kills: KILLS,
    edits: Math.round(SPACES / 2),
    seed: 3,
    faults: [
      { route: 'POST /v1/prices', latencyMs: { min: 5, max: 40 }, errorRate: 0.03, rateLimitRate: 0.03, failAfterCommitRate: 0.03 },
      { route: 'POST /v1/products', errorRate: 0.03, rateLimitRate: 0.03, failAfterCommitRate: 0.03 },
      { route: 'POST /v1/products/:id', timeoutRate: 0.01 },
    ],
    convergeTimeoutMs: 300_000,
    log: (line) => console.log(line),
  });
  writeReport({
    name: 'crash-campaign',
    description: `${SPACES} spaces × 3 prices, worker SIGKILLed ${KILLS} times during a catalog sync and edits, Stripe faults; then converged with no manual step`,
    rows: [
      { figure: 'violations (duplicates, stuck, wrong state)', value: result.violations.length },
      { figure: 'converged after the last kill (s)', value: round(result.convergeMs / 1000, 1) },
      { figure: 'Stripe writes applied', value: result.writes },
      { figure: 'minimum writes (creates + archives)', value: result.minimumWrites },
      { figure: 'edits made during the kills', value: result.edits },
      { figure: 'writes per minimum', value: round(result.writes / result.minimumWrites, 3) },
      { figure: 'Stripe requests (all)', value: result.requests },
      { figure: 'total run (s)', value: round(result.totalMs / 1000, 1) },
    ],
    details: { ...result, violations: result.violations.slice(0, 20), note: 'measured on a shared 2-core machine with other work running' },
  });
  if (result.violations.length) process.exitCode = 1;
} finally {
  await emu.stop();
  await db.stop();
}
