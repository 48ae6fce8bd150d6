import type { Command } from '../command.ts';
import { parseOptions } from '../args.ts';
import { cliContext } from '../context.ts';
import { startServices, untilSignal } from '../../node/startServices.ts';

export const apiCommand: Command = {
  name: 'api',
  summary: 'run the API and admin UI only (no worker, no emulator): scale it separately from `spacesync worker`',
  usage: `
Usage: spacesync api

Serves the HTTP API, the admin UI, the Stripe webhook endpoint (/webhooks/stripe), /healthz and
/metrics on PORT (default 3000), against DATABASE_URL (or the embedded Postgres under DATA_DIR).
Stripe is STRIPE_SECRET_KEY's account, or STRIPE_API_URL (an emulator started with
\`spacesync emulator\`). Webhooks need STRIPE_WEBHOOK_SECRET. Stops cleanly on Ctrl-C or SIGTERM.`,
  async run(args) {
    parseOptions(args, {});
    const { config, log } = cliContext();
    const stopRequested = untilSignal(); // before anything starts: a SIGTERM stops what did start
    const services = await startServices(config, log, { api: true, worker: false, emulator: false });
    console.log(`spacesync API listening on ${services.apiUrl}`);
    if (services.admin) console.log(`sign in as ${services.admin.email}${services.admin.password ? ` with the password ${services.admin.password} (generated now and shown once)` : ''}`);
    const signal = await stopRequested;
    log.info({ signal }, 'stopping');
    await services.stop();
  },
};
