import type { Command } from '../command.ts';
import { parseOptions } from '../args.ts';
import { cliContext } from '../context.ts';
import { startServices, untilSignal } from '../../node/startServices.ts';
import { guardAgainstDatabaseRestarts } from '../../node/databaseRestartGuard.ts';

export const startCommand: Command = {
  name: 'start',
  summary: 'run everything: Postgres (embedded unless DATABASE_URL), the worker, the API and admin UI, the Stripe emulator (unless STRIPE_SECRET_KEY)',
  usage: `
Usage: spacesync start

Starts, in one process: the database (DATABASE_URL, or a real Postgres embedded under DATA_DIR),
the migrations, the Stripe emulator (when STRIPE_SECRET_KEY and STRIPE_API_URL are unset), the sync
worker, and the API with the admin UI on PORT (default 3000). Stops cleanly on Ctrl-C or SIGTERM.`,
  async run(args) {
    parseOptions(args, {});
    const { config, log } = cliContext();
    // Signals are handled before anything starts: a SIGTERM during the start stops what did start.
    let signalled: NodeJS.Signals | null = null;
    const stopRequested = untilSignal().then((s) => (signalled = s));
    const unguard = guardAgainstDatabaseRestarts(log);
    const services = await startServices(config, log, { api: true, worker: true, emulator: true });
    if (signalled) {
      log.info({ signal: signalled }, 'stopping (signalled during the start)');
      await services.stop();
      return 0;
    }
    console.log(`\nspacesync is ready`);
    console.log(`  admin UI and API  ${services.apiUrl}`);
    if (services.emulatorUrl) console.log(`  Stripe emulator   ${services.emulatorUrl}`);
    else console.log(`  Stripe            ${config.stripeApiUrl ?? `api.stripe.com (${config.stripeMode} mode)`}`);
    console.log(`  database          ${config.databaseUrl ? 'DATABASE_URL' : `embedded Postgres in ${config.dataDir}/postgres`}`);
    if (services.admin) {
      console.log(`  sign in as        ${services.admin.email}`);
      if (services.admin.password) {
        console.log(`  password          ${services.admin.password}   (generated now and shown once: set ADMIN_PASSWORD to choose it, or run \`spacesync user create\`)`);
      }
    }
    console.log('Press Ctrl-C to stop.\n');
    const signal = await stopRequested;
    log.info({ signal }, 'stopping');
    await services.stop();
    console.log('spacesync stopped');
    unguard();
  },
};
