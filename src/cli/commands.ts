// Every command of the CLI, in the order `spacesync --help` lists them. The list holds each command's
// name and summary; its module is imported only when it runs or prints its own --help, so
// `spacesync --help` loads none of them (test/cli/commands.test.ts checks both sides agree).
import type { Command } from './command.ts';

export interface CommandEntry {
  name: string;
  summary: string;
  /** Serves the admin UI: web/dist is built first when missing or older than its sources. */
  servesUi?: boolean;
  load(): Promise<Command>;
}

export const commands: CommandEntry[] = [
  {
    name: 'start',
    summary: 'run everything: Postgres (embedded unless DATABASE_URL), the worker, the API and admin UI, the Stripe emulator (unless STRIPE_SECRET_KEY)',
    servesUi: true,
    load: async () => (await import('./commands/start.ts')).startCommand,
  },
  {
    name: 'migrate',
    summary: 'apply the database migrations (graphile-worker’s schema included); a no-op when up to date',
    load: async () => (await import('./commands/migrate.ts')).migrateCommand,
  },
  {
    name: 'emulator',
    summary: 'run the Stripe emulator alone (point STRIPE_API_URL of other processes at it)',
    load: async () => (await import('./commands/emulator.ts')).emulatorCommand,
  },
  {
    name: 'worker',
    summary: 'run a sync worker alone (any number may run at once, on any machine)',
    load: async () => (await import('./commands/worker.ts')).workerCommand,
  },
  {
    name: 'sync',
    summary: 'sync one space with Stripe now, in this process, printing each Stripe call',
    load: async () => (await import('./commands/sync.ts')).syncCommand,
  },
  {
    name: 'catalog plan',
    summary: 'show what a catalog sync would change in Stripe (dry run)',
    load: async () => (await import('./commands/catalog.ts')).catalogPlanCommand,
  },
  {
    name: 'catalog sync',
    summary: 'make Stripe match the whole catalog: create, update, reprice, adopt, archive orphans',
    load: async () => (await import('./commands/catalog.ts')).catalogSyncCommand,
  },
  {
    name: 'seed',
    summary: 'insert demo spaces with 1 to 3 prices each (synced by the worker like any edit)',
    load: async () => (await import('./commands/seed.ts')).seedCommand,
  },
  {
    name: 'api',
    summary: 'run the API and admin UI only (no worker, no emulator): scale it separately from `spacesync worker`',
    servesUi: true,
    load: async () => (await import('./commands/api.ts')).apiCommand,
  },
  {
    name: 'user create',
    summary: 'create a user of the embedded login (prints a generated password when none is given)',
    load: async () => (await import('./commands/userCreate.ts')).userCreateCommand,
  },
  {
    name: 'logs',
    summary: 'show application_logs (what the sync and the webhooks did), newest last; --follow to tail',
    load: async () => (await import('./commands/logs.ts')).logsCommand,
  },
  {
    name: 'attach',
    summary: "sync an app's own table (rooms, venues…) to Stripe through a mapping file: triggers, backfill, catalog sync",
    load: async () => (await import('./commands/attach.ts')).attachCommand,
  },
  {
    name: 'detach',
    summary: "stop syncing an attached app table: its triggers go, every row (the app's and the catalog's) stays",
    load: async () => (await import('./commands/detach.ts')).detachCommand,
  },
  {
    name: 'supabase install',
    summary: "add spacesync's migrations and Edge Functions to a Supabase project folder",
    load: async () => (await import('./commands/supabaseInstall.ts')).supabaseInstallCommand,
  },
];
