// Standalone entry: `node --import tsx src/emulator/main.ts --port 12111 [--host 127.0.0.1]
//   [--persist file.json] [--rate-limit 25] [--search-delay-ms 1000] [--seed 1] [--log]`
import { parseArgs } from 'node:util';
import { startEmulator } from './index.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '12111' },
    host: { type: 'string', default: '127.0.0.1' },
    persist: { type: 'string' },
    'rate-limit': { type: 'string' },
    'search-delay-ms': { type: 'string' },
    seed: { type: 'string' },
    log: { type: 'boolean', default: false },
  },
});

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

const running = await startEmulator({
  port: Number(values.port),
  host: values.host,
  persistFile: values.persist,
  rateLimit: num(values['rate-limit']),
  searchDelayMs: num(values['search-delay-ms']),
  seed: num(values.seed),
  logRequests: values.log,
});
console.log(running.url);

const shutdown = () => {
  void running.stop().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
