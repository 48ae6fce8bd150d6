import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { parseOptions } from '../args.ts';
import { cliContext } from '../context.ts';
import { openDatabase } from '../../node/openDatabase.ts';
import { detachSource, readSource } from '../../attach/attachSource.ts';
import { renderDetachSql } from '../../attach/renderAttachSql.ts';

export const detachCommand: Command = {
  name: 'detach',
  summary: "stop syncing an attached app table: its triggers go, every row (the app's and the catalog's) stays",
  usage: `
Usage: spacesync detach --source NAME [--dry-run]

Removes the triggers and functions \`spacesync attach\` made for the source NAME (the mapping's
"name"). The app's tables, the spaces and prices brought in from them, and their Stripe products stay
as they are; edits in the app's tables are no longer synced. \`spacesync attach\` attaches it again.

  --source NAME   the attached source (see the spacesync_sources table)
  --dry-run       print the SQL; change nothing`,
  async run(args) {
    const { values } = parseOptions(args, { source: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } });
    if (!values.source) throw new UsageError('--source NAME is required: the name of the attached source (see --help)');
    if (!/^[a-z][a-z0-9_]{0,40}$/.test(values.source)) throw new UsageError(`--source "${values.source}" is not a source name (lower-case letters, digits and _)`);
    const { config, log } = cliContext();
    const db = await openDatabase(config, log);
    try {
      const source = await readSource(db.pool, values.source);
      if (!source) {
        const known = (await db.pool.query<{ name: string }>(`select name from public.spacesync_sources order by name`)).rows.map((r) => r.name);
        throw new UsageError(`no attached source "${values.source}"${known.length ? `: the sources are ${known.join(', ')}` : ': none is attached'}`);
      }
      if (values['dry-run']) {
        console.log(renderDetachSql(values.source));
        return 0;
      }
      if (source.detached_at) {
        console.log(`Source "${values.source}" was already detached (${source.detached_at.toISOString()}); its triggers are gone.`);
        await detachSource(db.pool, values.source);
        return 0;
      }
      await detachSource(db.pool, values.source);
      const { rows } = await db.pool.query<{ n: number }>(`select count(*)::integer as n from public.spaces where source = $1 and deleted_at is null`, [values.source]);
      console.log(`Detached "${values.source}" (${source.source_table}): its triggers are removed; ${rows[0]!.n} space(s) stay in the catalog and in Stripe as they are.`);
      return 0;
    } finally {
      await db.close();
    }
  },
};
