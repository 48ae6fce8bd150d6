import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { parseOptions } from '../args.ts';

export const supabaseInstallCommand: Command = {
  name: 'supabase install',
  summary: "add spacesync's migrations and Edge Functions to a Supabase project folder",
  usage: `
Usage: spacesync supabase install --project-dir DIR [--mapping FILE | --detach NAME] [--db-url URL] [--dry-run]

Writes into DIR/supabase (the folder \`supabase init\` made):
  migrations/  spacesync's migrations, versioned after the project's latest one; run again after an
               upgrade of spacesync, only the new ones are added
  functions/   its Edge Functions (create-stripe-catalog, drain-queue, spacesync-api, stripe-webhook,
               sync-space-stripe), each a folder holding everything it imports
  config.toml  verify_jwt = false for those functions (each checks its caller itself)
With --mapping, also the attach of your app's own table (rooms, venues, listings...), last:
  migrations/<version>_spacesync_attach_<name>.sql
               the triggers that keep spacesync's catalog in step with your table, and the
               backfill of the rows already there (docs/ATTACH.md). Run again after a change of
               the mapping, a new attach migration is written only when its SQL changed
With --detach NAME, the migration that detaches that source instead (the triggers go, every row
stays): migrations/<version>_spacesync_detach_<name>.sql
Then push and deploy with the Supabase CLI (docs/INSTALL.md).

It refuses, writing nothing, when your migrations (or the database, with --db-url) already have a
table spacesync needs (spaces, space_prices, application_logs, ...) that spacesync did not create.

  --project-dir DIR  the project's folder (default: the current folder)
  --mapping FILE     a mapping of your own table (JSON, docs/ATTACH.md), e.g. spacesync.mapping.json;
                     checked against the tables your migrations create (each mapped column must
                     be there) before anything is written
  --detach NAME      the name of an attached source (the mapping's "name"), e.g. rooms
  --db-url URL       also check the project's database (its connection string)
  --dry-run          show what would be written; write nothing`,
  async run(args) {
    const { values } = parseOptions(args, {
      'project-dir': { type: 'string', default: '.' },
      'db-url': { type: 'string' },
      mapping: { type: 'string' },
      detach: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    });
    const { installSupabase, InstallError } = await import('../../supabase/installSupabase.ts');
    const projectDir = values['project-dir'] as string;
    const dryRun = values['dry-run'] as boolean;
    try {
      const result = await installSupabase({
        projectDir,
        dbUrl: values['db-url'] as string | undefined,
        mapping: values.mapping as string | undefined,
        detach: values.detach as string | undefined,
        dryRun,
        progress: (line) => console.error(line),
      });
      const verb = dryRun ? 'would add' : 'added';
      console.log(`${verb} ${result.added.length} migration(s)${result.added.length ? `: ${result.added.map((m) => m.file).join(', ')}` : ''}`);
      if (values.mapping !== undefined) {
        console.log(result.attach ? `${verb} the attach migration ${result.attach.file}` : 'the attach migration is up to date: nothing to add for this mapping');
      }
      if (values.detach !== undefined) {
        console.log(result.detach ? `${verb} the detach migration ${result.detach.file}` : `${values.detach as string} is detached by the latest migration already: nothing to add`);
      }
      console.log(`${dryRun ? 'would write' : 'wrote'} ${result.functions.length} function(s): ${result.functions.map((f) => f.name).join(', ')}`);
      if (!dryRun) console.log('next: supabase db push, then supabase functions deploy (docs/INSTALL.md)');
    } catch (error) {
      if (error instanceof InstallError) throw new UsageError(error.message);
      throw error;
    }
  },
};
