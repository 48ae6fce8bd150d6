import { readFileSync } from 'node:fs';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { parseOptions } from '../args.ts';
import { cliContext } from '../context.ts';
import { openDatabase } from '../../node/openDatabase.ts';
import { checkMapping, formatProblems } from '../../attach/checkMapping.ts';
import { attachSource, checkMappingAgainstDatabase, previewAttach } from '../../attach/attachSource.ts';
import { backfill, type BackfillProgress } from '../../attach/backfill.ts';
import { renderAttachSql } from '../../attach/renderAttachSql.ts';
import { isTablePrices, type Mapping } from '../../attach/mapping.ts';
import { cliStripe, positiveInt } from './worker.ts';
import { runCatalogSync } from './catalog.ts';

function describe(m: Mapping): string {
  const prices = !m.prices ? 'no prices' : isTablePrices(m.prices) ? `prices from ${m.prices.table}` : `${m.prices.columns.length} price column(s)`;
  return `source "${m.name}": ${m.table} (key ${m.key}) → spaces, ${prices}, ${m.delete === 'hard' ? 'hard delete' : `soft delete by ${m.delete.softDeleteColumn}`}`;
}

/** `rooms [##########----------] 500/1000  250 rows/s` */
export function backfillLine(p: BackfillProgress, width = 20): string {
  const ratio = p.total === 0 ? 1 : p.done / p.total;
  const filled = Math.round(ratio * width);
  return `${p.table} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.done}/${p.total}  ${Math.round(p.rate)} rows/s`;
}

export const attachCommand: Command = {
  name: 'attach',
  summary: "sync an app's own table (rooms, venues…) to Stripe through a mapping file: triggers, backfill, catalog sync",
  usage: `
Usage: spacesync attach --mapping FILE [--dry-run] [--no-backfill] [--no-sync] [--json]

Reads the mapping (JSON: which table, which columns are the name, prices…), checks it against the
database's schema, then creates triggers on the app's table (and rates table) that keep spacesync's
catalog in step with it in the app's own transactions. The app's tables are not altered. Then the
rows already there are brought in (in batches, with progress) and a catalog sync sends them to
Stripe. Running it again with the same mapping changes nothing; with a changed mapping it replaces
the triggers. \`spacesync detach --source NAME\` removes them.

  --mapping FILE   the mapping file (e.g. spacesync.mapping.json)
  --dry-run        print the SQL and what it would bring in; write nothing
  --no-backfill    only the triggers: the rows already there are left out until the next attach
  --no-sync        no catalog sync afterwards (the worker syncs the new spaces as it runs)
  --concurrency N  entries the catalog sync applies at once (default 8)
  --json           print the outcome as JSON (the catalog sync's output goes to stderr)`,
  async run(args) {
    const { values } = parseOptions(args, {
      mapping: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'no-backfill': { type: 'boolean', default: false },
      'no-sync': { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (!values.mapping) throw new UsageError('--mapping FILE is required: the JSON file that maps the app\'s table (see --help)');
    const concurrency = positiveInt('concurrency', values.concurrency, 8);
    let text: string;
    try {
      text = readFileSync(values.mapping, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read --mapping ${values.mapping}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const checked = checkMapping(text, values.mapping);
    if (!checked.ok) throw new UsageError(`${values.mapping} is not a valid mapping:\n${formatProblems(checked.problems)}`);
    const mapping = checked.mapping;
    const json = values.json;
    const say = json ? (line: string) => console.error(line) : (line: string) => console.log(line);
    const { config, log } = cliContext();
    const sync = !values['dry-run'] && !values['no-sync'];
    const db = await openDatabase(config, log, { poolSize: concurrency + 6 });
    try {
      const problems = await checkMappingAgainstDatabase(db.pool, mapping);
      if (problems.length > 0) throw new UsageError(`${values.mapping} does not fit the database:\n${formatProblems(problems)}`);
      const stripe = sync ? cliStripe(config) : undefined; // before any write: no Stripe, no attach
      if (values['dry-run']) {
        const sql = renderAttachSql(mapping);
        const plan = await previewAttach(db.pool, mapping);
        if (json) {
          console.log(JSON.stringify({ source: mapping.name, dry_run: true, sql, plan }, null, 2));
        } else {
          console.log(sql);
          console.log(`-- Dry run, nothing written. ${describe(mapping)}`);
          console.log(`-- Attach would bring in ${plan.rows} row(s)${plan.rates ? ` and ${plan.rates} rate(s)` : ''}: ${plan.spacesCreated} new space(s), ${plan.spacesChanged} changed, ${plan.spacesArchived} archived; ${plan.pricesCreated} new price row(s), ${plan.pricesArchived} archived.`);
        }
        return 0;
      }
      const outcome = await attachSource(db.pool, mapping);
      say(`${outcome.state === 'same' ? 'Already attached, unchanged' : outcome.state === 'changed' ? 'Re-attached with the changed mapping' : 'Attached'}: ${describe(mapping)}`);
      let filled = null;
      if (!values['no-backfill']) {
        const tty = !json && Boolean(process.stdout.isTTY);
        let lastPlain = -Infinity;
        filled = await backfill(db.pool, mapping, {
          onProgress: (p) => {
            if (tty) process.stdout.write(`\r${backfillLine(p)}\x1b[K`);
            else if (p.elapsedMs - lastPlain >= 2000 || p.done === p.total) {
              lastPlain = p.elapsedMs;
              say(backfillLine(p));
            }
          },
        }).catch((error: unknown) => {
          if (tty) process.stdout.write('\n');
          // A row the catalog refuses: say which and how to go on, without a stack trace.
          const e = error as { message?: string; hint?: string };
          if (typeof e.message === 'string' && e.message.startsWith('spacesync cannot take')) {
            throw new UsageError(`${e.message}\nThe triggers are in place and the rows before it are in. Fix that row, then run attach again to bring in the rest.`, { cause: error });
          }
          throw error;
        });
        if (tty) process.stdout.write('\n');
        say(`Backfilled ${filled.rows} row(s)${filled.rates ? ` and ${filled.rates} rate(s)` : ''} in ${(filled.elapsedMs / 1000).toFixed(1)}s: ${filled.spacesCreated} new space(s), ${filled.spacesChanged} changed, ${filled.spacesArchived} archived.`);
      }
      let catalog: number | null = null;
      if (sync && stripe) catalog = await runCatalogSync(db.pool, config, log, stripe, concurrency, say);
      if (json) console.log(JSON.stringify({ source: mapping.name, state: outcome.state, backfill: filled, catalog_sync: catalog === null ? null : { failed: catalog !== 0 } }, null, 2));
      return catalog ?? 0;
    } finally {
      await db.close();
    }
  },
};
