import type Stripe from 'stripe';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { parseOptions } from '../args.ts';
import { cliContext } from '../context.ts';
import type { Config } from '../../config.ts';
import { openDatabase } from '../../node/openDatabase.ts';
import { hostname } from 'node:os';
import { guardAgainstDatabaseRestarts } from '../../node/databaseRestartGuard.ts';
import { untilSignal } from '../../node/startServices.ts';
import { createStripeClient } from '../../stripe/createStripeClient.ts';
import { startWorker } from '../../sync/worker.ts';
import { modeOfKey } from '../../sync/stripeAccount.ts';

/** The SDK for commands that talk to Stripe on their own: a key, or a Stripe-compatible URL. */
export function cliStripe(config: Config): Stripe {
  if (!config.stripeSecretKey && !config.stripeApiUrl) {
    throw new UsageError(
      'no Stripe to talk to: set STRIPE_SECRET_KEY (real Stripe) or STRIPE_API_URL (e.g. an emulator started with `spacesync emulator --port 12111`: STRIPE_API_URL=http://127.0.0.1:12111)',
    );
  }
  return createStripeClient({ secretKey: config.stripeSecretKey, apiUrl: config.stripeApiUrl });
}

export function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a whole number ≥ 1 (got "${raw}")`);
  return n;
}

export const workerCommand: Command = {
  name: 'worker',
  summary: 'run a sync worker alone (any number may run at once, on any machine)',
  usage: `
Usage: spacesync worker [--concurrency N]

Runs the graphile-worker tasks sync_space, sync_catalog and process_stripe_event against
DATABASE_URL, talking to Stripe through STRIPE_SECRET_KEY or STRIPE_API_URL, paced at
STRIPE_RATE_LIMIT requests per second. Several workers may run at once: the syncs of one space are
serialised by a Postgres advisory lock. Stops cleanly on Ctrl-C or SIGTERM.

  --concurrency N   jobs run at once (default WORKER_CONCURRENCY, 4)`,
  async run(args) {
    const { values } = parseOptions(args, { concurrency: { type: 'string' } });
    const { config, log } = cliContext();
    const stripe = cliStripe(config);
    const concurrency = positiveInt('concurrency', values.concurrency, config.workerConcurrency);
    const stopRequested = untilSignal(); // before anything starts: a SIGTERM stops what did start
    const unguard = guardAgainstDatabaseRestarts(log);
    const db = await openDatabase(config, log, { poolSize: Math.max(10, concurrency * 2 + 4) });
    try {
      const worker = await startWorker({ pool: db.pool, stripe, config: { ...config, workerConcurrency: concurrency }, log, identity: { pid: process.pid, host: hostname() }, stripeAccount: { mode: modeOfKey(config.stripeSecretKey) } });
      console.log(`spacesync worker running (concurrency ${concurrency}, ${worker.gateway.limiter.ratePerSecond} Stripe requests/s); Ctrl-C to stop`);
      const signal = await stopRequested;
      log.info({ signal }, 'stopping the worker');
      await worker.stop();
    } finally {
      await db.close();
      unguard();
    }
  },
};
