import type { Command } from '../command.ts';
import { parseOptions } from '../args.ts';
import { cliContext } from '../context.ts';
import { formatPlan } from '../../catalog/index.ts';
import { openDatabase } from '../../node/openDatabase.ts';
import { createStripeGateway } from '../../stripe/stripeGateway.ts';
import { syncCatalog, type CatalogProgress } from '../../sync/syncCatalog.ts';
import { cliStripe, positiveInt } from './worker.ts';
import { describeAccount, ensureStripeAccount, modeOfKey, type AccountSwitch } from '../../sync/stripeAccount.ts';
import type { CatalogPlan } from '../../catalog/index.ts';

/** What the plan is made in, said before the plan: the account, a switch, what it lacks. */
export function accountPreamble(account: AccountSwitch, plan: CatalogPlan): string {
  const lines = [`Stripe account: ${describeAccount(account.account)}`];
  if (account.switched && account.previous) {
    lines.push(`  This catalog was synced with ${describeAccount(account.previous)} until now: its ids are kept aside (switch back to find them again)${account.restored ? `, and the ids of ${account.restored} space(s) made in this account before are back` : ''}.`);
  }
  const fresh = plan.totals.create + plan.totals.recreate;
  if (fresh > 0) lines.push(`  ${fresh} space(s) have no objects in this account yet${plan.totals.recreate ? ` (${plan.totals.recreate} of them known here but missing from Stripe)` : ''}: they are created.`);
  return lines.join('\n');
}
import { createStripeBudget } from '../../sync/stripeBudget.ts';

async function newRun(pool: import('../../db/pool.ts').Pool, dryRun: boolean): Promise<string> {
  const { rows } = await pool.query(`insert into public.catalog_runs (dry_run) values ($1) returning id`, [dryRun]);
  return rows[0].id;
}

function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** `[#######-------] 120/2000  calls 480  errors 0  ETA 1m20s` */
export function progressLine(p: CatalogProgress, width = 30): string {
  const finished = p.done + p.failed;
  const ratio = p.total === 0 ? 1 : finished / p.total;
  const filled = Math.round(ratio * width);
  const eta = finished === 0 ? Infinity : (p.elapsedMs / finished) * (p.total - finished);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${finished}/${p.total}  calls ${p.calls}  errors ${p.failed}  ETA ${finished >= p.total ? '0s' : duration(eta)}`;
}

export const catalogPlanCommand: Command = {
  name: 'catalog plan',
  summary: 'show what a catalog sync would change in Stripe (dry run)',
  usage: `
Usage: spacesync catalog plan [--json]

Lists every managed product and price from Stripe (100 per page), diffs them with the database and
prints the plan: + create, ~ update, ± reprice, = adopt, - archive orphan, and the unchanged count.
Nothing is changed. The plan is also stored as a catalog run (catalog_runs).

  --json   print the plan as JSON (kinds, totals, calls and each entry's changes)`,
  async run(args) {
    const { values } = parseOptions(args, { json: { type: 'boolean', default: false } });
    const { config, log } = cliContext();
    const stripe = cliStripe(config);
    const db = await openDatabase(config, log);
    const limiter = createStripeBudget(db.pool, { ratePerSecond: config.stripeRateLimit });
    try {
      const gateway = createStripeGateway({ stripe, limiter });
      const account = await ensureStripeAccount(db.pool, gateway, modeOfKey(config.stripeSecretKey), log);
      const runId = await newRun(db.pool, true);
      const result = await syncCatalog({ pool: db.pool, gateway, log }, { runId, dryRun: true });
      const fresh = result.plan.totals.create + result.plan.totals.recreate;
      if (values.json) {
        const about = { account: account.account, previous_account: account.switched ? account.previous : null, switched: account.switched, new_in_account: fresh };
        console.log(JSON.stringify({ run_id: runId, ...about, ...result.stored }, null, 2));
      } else console.log(`${accountPreamble(account, result.plan)}\n\n${formatPlan(result.plan)}`);
    } finally {
      await limiter.close();
      await db.close();
    }
  },
};

export const catalogSyncCommand: Command = {
  name: 'catalog sync',
  summary: 'make Stripe match the whole catalog: create, update, reprice, adopt, archive orphans',
  usage: `
Usage: spacesync catalog sync [--concurrency N]

Plans like \`catalog plan\`, prints the plan, then applies it with N spaces at a time under the rate
limit (STRIPE_RATE_LIMIT), showing done/total, Stripe calls, errors and the ETA. Interrupted, it can
simply be run again: every id is stored as soon as Stripe returns it and what is done is skipped.

  --concurrency N   entries applied at once (default 8)`,
  async run(args) {
    const { values } = parseOptions(args, { concurrency: { type: 'string' } });
    const concurrency = positiveInt('concurrency', values.concurrency, 8);
    const { config, log } = cliContext();
    const stripe = cliStripe(config);
    const db = await openDatabase(config, log, { poolSize: concurrency + 6 });
    try {
      return await runCatalogSync(db.pool, config, log, stripe, concurrency);
    } finally {
      await db.close();
    }
  },
};

/**
 * A catalog sync as `spacesync catalog sync` runs it: the plan printed, then applied with progress
 * on stdout; 1 when some entries failed. Shared with `spacesync attach`, which follows its backfill
 * with one.
 */
export async function runCatalogSync(
  pool: import('../../db/pool.ts').Pool,
  config: import('../../config.ts').Config,
  log: import('../../log.ts').Logger,
  stripe: ReturnType<typeof cliStripe>,
  concurrency: number,
  print: (line: string) => void = console.log,
): Promise<number> {
  const limiter = createStripeBudget(pool, { ratePerSecond: config.stripeRateLimit });
  try {
    const gateway = createStripeGateway({ stripe, limiter });
    const account = await ensureStripeAccount(pool, gateway, modeOfKey(config.stripeSecretKey), log);
    const interrupted = await pool.query(`select public.spacesync_recover() as report`).then((r) => r.rows[0].report.runs_interrupted as number);
    if (interrupted > 0) print(`${interrupted} catalog run(s) were interrupted (their process stopped): this run picks up what they left.`);
    const runId = await newRun(pool, false);
    const tty = print === console.log && Boolean(process.stdout.isTTY);
    let lastPlain = 0;
    const result = await syncCatalog(
      { pool, gateway, log },
      {
        runId,
        dryRun: false,
        concurrency,
        onPlan: (plan) => print(`${accountPreamble(account, plan)}\n\n${formatPlan(plan)}\n`),
        onProgress: (p) => {
          if (tty) {
            process.stdout.write(`\r${progressLine(p)}\x1b[K`);
          } else if (p.elapsedMs - lastPlain >= 2000 || p.done + p.failed === p.total) {
            lastPlain = p.elapsedMs;
            print(progressLine(p));
          }
        },
      },
    );
    if (tty) process.stdout.write('\n');
    for (const f of result.failures.slice(0, 20)) print(`  failed: ${JSON.stringify(f.name)} (${f.spaceId ?? f.productId}): ${f.message}`);
    const p = result.progress;
    print(`catalog sync ${runId}: ${p.done} applied, ${p.failed} failed, ${p.calls} Stripe requests in ${duration(p.elapsedMs)}`);
    return p.failed > 0 ? 1 : 0;
  } finally {
    await limiter.close();
  }
}
