// Every command of the CLI, in the order `spacesync --help` lists them.
import type { Command } from './command.ts';
import { startCommand } from './commands/start.ts';
import { migrateCommand } from './commands/migrate.ts';
import { emulatorCommand } from './commands/emulator.ts';

export const commands: Command[] = [startCommand, migrateCommand, emulatorCommand];
