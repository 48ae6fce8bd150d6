import type { Command } from '../command.ts';
import { parseOptions } from '../args.ts';
import { cliContext } from '../context.ts';
import { openDatabase } from '../../node/openDatabase.ts';
import { migrate } from '../../db/migrate.ts';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply the database migrations (graphile-worker’s schema included); a no-op when up to date',
  usage: `
Usage: spacesync migrate

Applies the numbered migrations to DATABASE_URL (or the embedded Postgres under DATA_DIR), each in
one transaction. Safe to run from several processes at once; running it again changes nothing.`,
  async run(args) {
    parseOptions(args, {});
    const { config, log } = cliContext();
    const db = await openDatabase(config, log, { migrate: false });
    try {
      const { applied } = await migrate(db.pool);
      console.log(applied.length ? `applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}` : 'the database is up to date');
    } finally {
      await db.close();
    }
  },
};
