// The `spacesync` command line. Each command lives in src/cli/commands/<name>.ts and is imported only
// when it runs (src/cli/commands.ts), so `spacesync --help` starts in a few tens of milliseconds.
import { commands } from './cli/commands.ts';
import { UsageError } from './cli/command.ts';
import { ConfigError } from './config.ts';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'spacesync: keeps a Postgres catalog of bookable spaces in step with Stripe Products and Prices.',
    '',
    'Usage: spacesync <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `spacesync <command> --help` for a command’s options. Configuration comes from the environment (see README).',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (!first || first === '--help' || first === '-h' || first === 'help') {
    console.log(help());
    return first ? 0 : 1;
  }
  // Two-word commands (`catalog plan`, `user create`) are matched before one-word ones.
  const two = `${first} ${rest[0] ?? ''}`;
  const command = commands.find((c) => c.name === two) ?? commands.find((c) => c.name === first);
  if (!command) {
    const group = commands.filter((c) => c.name.startsWith(`${first} `));
    if (group.length) {
      console.log(`Usage: spacesync ${first} <${group.map((c) => c.name.split(' ')[1]).join('|')}>\n`);
      for (const c of group) console.log(`  ${c.name.padEnd(16)}  ${c.summary}`);
      return rest.includes('--help') || rest.includes('-h') ? 0 : 1;
    }
    console.error(`spacesync: unknown command "${first}"\n\n${help()}`);
    return 1;
  }
  const args = command.name.includes(' ') ? rest.slice(1) : rest;
  const loaded = await command.load();
  if (args.includes('--help') || args.includes('-h')) {
    console.log(loaded.usage.trim());
    return 0;
  }
  if (command.servesUi) await (await import('./cli/webBuild.ts')).ensureAdminUi();
  return (await loaded.run(args)) ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError) {
      console.error(`spacesync: ${error.message}`);
    } else {
      console.error('spacesync:', error);
    }
    process.exitCode = 1;
  },
);
