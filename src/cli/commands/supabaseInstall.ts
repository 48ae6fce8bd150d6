import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { parseOptions } from '../args.ts';

export const supabaseInstallCommand: Command = {
  name: 'supabase install',
  summary: "add spacesync's migrations and Edge Functions to a Supabase project folder",
  usage: `
Usage: spacesync supabase install --project-dir DIR [--db-url URL] [--dry-run]

Writes into DIR/supabase (the folder \`supabase init\` made):
  migrations/  spacesync's migrations, versioned after the project's latest one; run again after an
               upgrade of spacesync, only the new ones are added
  functions/   its Edge Functions (create-stripe-catalog, drain-queue, spacesync-api, stripe-webhook,
               sync-space-stripe), each a folder holding everything it imports
  config.toml  verify_jwt = false for those functions (each checks its caller itself)
Then push and deploy with the Supabase CLI (docs/INSTALL.md).

It refuses, writing nothing, when your migrations (or the database, with --db-url) already have a
table spacesync needs (spaces, space_prices, application_logs, ...) that spacesync did not create.

  --project-dir DIR  the project's folder (default: the current folder)
  --db-url URL       also check the project's database (its connection string)
  --dry-run          show what would be written; write nothing`,
  async run(args) {
    const { values } = parseOptions(args, {
      'project-dir': { type: 'string', default: '.' },
      'db-url': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    });
    const { installSupabase, InstallError } = await import('../../supabase/installSupabase.ts');
    const projectDir = values['project-dir'] as string;
    const dryRun = values['dry-run'] as boolean;
    try {
      const result = await installSupabase({
        projectDir,
        dbUrl: values['db-url'] as string | undefined,
        dryRun,
        progress: (line) => console.error(line),
      });
      const verb = dryRun ? 'would add' : 'added';
      console.log(`${verb} ${result.added.length} migration(s)${result.added.length ? `: ${result.added.map((m) => m.file).join(', ')}` : ''}`);
      console.log(`${dryRun ? 'would write' : 'wrote'} ${result.functions.length} function(s): ${result.functions.map((f) => f.name).join(', ')}`);
      if (!dryRun) console.log('next: supabase db push, then supabase functions deploy (docs/INSTALL.md)');
    } catch (error) {
      if (error instanceof InstallError) throw new UsageError(error.message);
      throw error;
    }
  },
};
