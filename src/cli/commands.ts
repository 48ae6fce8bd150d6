// Every command of the CLI, in the order `spacesync --help` lists them.
import type { Command } from './command.ts';
import { startCommand } from './commands/start.ts';
import { migrateCommand } from './commands/migrate.ts';
import { emulatorCommand } from './commands/emulator.ts';
import { workerCommand } from './commands/worker.ts';
import { syncCommand } from './commands/sync.ts';
import { catalogPlanCommand, catalogSyncCommand } from './commands/catalog.ts';
import { seedCommand } from './commands/seed.ts';
import { apiCommand } from './commands/api.ts';
import { userCreateCommand } from './commands/userCreate.ts';
import { logsCommand } from './commands/logs.ts';
import { supabaseInstallCommand } from './commands/supabaseInstall.ts';

export const commands: Command[] = [startCommand, migrateCommand, emulatorCommand];
commands.push(workerCommand, syncCommand, catalogPlanCommand, catalogSyncCommand, seedCommand);
commands.push(apiCommand, userCreateCommand, logsCommand);
commands.push(supabaseInstallCommand);
