import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { parseOptions } from '../args.ts';
import { startEmulator } from '../../emulator/index.ts';
import { untilSignal } from '../../node/startServices.ts';

export const emulatorCommand: Command = {
  name: 'emulator',
  summary: 'run the Stripe emulator alone (point STRIPE_API_URL of other processes at it)',
  usage: `
Usage: spacesync emulator [--port N] [--rate-limit N] [--search-delay MS] [--persist FILE] [--seed N]

  --port N          port to listen on (default 12111; 0 = any free port)
  --rate-limit N    answer 429 above N requests per second, as Stripe does (default: no limit)
  --search-delay MS how long a write takes to become searchable (default 0)
  --persist FILE    keep the emulated Stripe's state in FILE across restarts
  --seed N          seed of the fault generator

Control API: POST /_emulator/reset, GET /_emulator/requests, POST /_emulator/faults, GET /_emulator/state.`,
  async run(args) {
    const { values } = parseOptions(args, {
      port: { type: 'string', default: '12111' },
      'rate-limit': { type: 'string' },
      'search-delay': { type: 'string' },
      persist: { type: 'string' },
      seed: { type: 'string' },
    });
    const num = (name: string, v: string | undefined) => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a number ≥ 0 (got "${v}")`);
      return n;
    };
    const emulator = await startEmulator({
      port: num('port', values.port),
      rateLimit: num('rate-limit', values['rate-limit']),
      searchDelayMs: num('search-delay', values['search-delay']),
      seed: num('seed', values.seed),
      persistFile: values.persist,
    });
    console.log(`Stripe emulator listening on ${emulator.url} (any sk_test_ key is accepted)`);
    await untilSignal();
    await emulator.stop();
  },
};
