import { ensureStripeAccount, modeOfKey } from '../../sync/stripeAccount.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { parseOptions } from '../args.ts';
import { cliContext } from '../context.ts';
import { openDatabase } from '../../node/openDatabase.ts';
import { createStripeGateway, type StripeCallRecord } from '../../stripe/stripeGateway.ts';
import { syncSpace } from '../../sync/syncSpace.ts';
import { cliStripe } from './worker.ts';
import { createStripeBudget } from '../../sync/stripeBudget.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function formatCall(r: StripeCallRecord): string {
  const extra = [r.requestId, `${Math.round(r.durationMs)} ms`, r.replayed ? 'replayed' : null, r.rateLimited ? `${r.rateLimited}×429` : null].filter(Boolean);
  return `${r.endpoint.replace(':id', r.objectId ?? ':id')} → ${r.status ?? 'no answer'} (${extra.join(', ')})`;
}

export const syncCommand: Command = {
  name: 'sync',
  summary: 'sync one space with Stripe now, in this process, printing each Stripe call',
  usage: `
Usage: spacesync sync <space-id> [--snapshot]

Syncs the space now (waiting for a worker that is syncing it, if any) and prints every Stripe request.
By default it plans against the live Stripe objects, so whatever was changed in the dashboard is
repaired, like the admin UI's "sync now".

  --snapshot   plan against the stored snapshot instead (what a worker does after an edit)`,
  async run(args) {
    const { values, positionals } = parseOptions(args, { snapshot: { type: 'boolean', default: false } }, true);
    const spaceId = positionals[0];
    if (!spaceId || positionals.length > 1) throw new UsageError('give exactly one space id (see --help)');
    if (!UUID.test(spaceId)) throw new UsageError(`"${spaceId}" is not a space id (a uuid)`);
    const { config, log } = cliContext();
    const stripe = cliStripe(config);
    const db = await openDatabase(config, log);
    const limiter = createStripeBudget(db.pool, { ratePerSecond: config.stripeRateLimit });
    try {
      await ensureStripeAccount(db.pool, createStripeGateway({ stripe, limiter }), modeOfKey(config.stripeSecretKey), log);
      const gateway = createStripeGateway({
        stripe,
        limiter,
        onCall: (r) => console.log(`  ${formatCall(r)}`),
      });
      console.log(`syncing space ${spaceId}${values.snapshot ? '' : ' against the live Stripe objects'}`);
      const outcome = await syncSpace({ pool: db.pool, gateway, log }, { spaceId, force: !values.snapshot, discriminator: `m${Date.now().toString(36)}` });
      switch (outcome.status) {
        case 'missing':
          console.error(`no space has the id ${spaceId}`);
          return 1;
        case 'error':
          console.error(`refused by Stripe: ${outcome.message}`);
          return 1;
        case 'changed':
          console.error(`the space changed (version ${outcome.version}) while it was being synced: run the sync again`);
          return 1;
        default:
          console.log(
            `${outcome.status === 'synced' ? 'synced' : 'synced (a newer edit is queued for the worker)'}: version ${outcome.version}, product ${outcome.productId ?? '(none)'}, ` +
              `${outcome.operations.length} change(s), ${outcome.calls} request(s)`,
          );
          return 0;
      }
    } finally {
      await limiter.close();
      await db.close();
    }
  },
};
