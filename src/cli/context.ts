// What most commands need: the parsed config and a logger.
import { loadConfig, type Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { createLogger } from '../node/logger.ts';

export function cliContext(overrides: Record<string, string | undefined> = {}): { config: Config; log: Logger } {
  const config = loadConfig({ ...process.env, ...overrides });
  return { config, log: createLogger(config.logLevel) };
}
