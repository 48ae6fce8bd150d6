// A Logger (src/log.ts) writing one JSON object per line to the console: what Supabase's function
// logs collect. Portable: no pino, no node:*.
import type { LogLevel } from '../config.ts';
import type { Logger } from '../log.ts';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
type Level = Exclude<LogLevel, 'fatal' | 'silent'>;

function serialise(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, ...(value.cause !== undefined ? { cause: serialise(value.cause) } : {}) };
  return value;
}

export function createConsoleLogger(level: LogLevel = 'info', bindings: Record<string, unknown> = {}): Logger {
  const min = LEVELS.indexOf(level);
  const write = (at: Level) => (obj: object | string, msg?: string) => {
    if (LEVELS.indexOf(at) < min) return;
    const fields = typeof obj === 'string' ? { msg: obj } : { ...Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, serialise(v)])), msg };
    const line = JSON.stringify({ level: at, time: new Date().toISOString(), ...bindings, ...fields });
    if (at === 'error') console.error(line);
    else if (at === 'warn') console.warn(line);
    else console.log(line);
  };
  return {
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => createConsoleLogger(level, { ...bindings, ...more }),
  };
}
