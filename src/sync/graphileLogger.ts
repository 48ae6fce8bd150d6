// graphile-worker's logger, writing to ours. Its `info` lines (a worker started, a job completed) are
// kept at `info` by the long-running worker and lowered to `debug` where they would be noise.
import { Logger as GraphileLogger } from 'graphile-worker';
import type { Logger } from '../log.ts';

export function graphileLogger(log: Logger, options: { infoAs?: 'info' | 'debug' } = {}): GraphileLogger {
  const infoAs = options.infoAs ?? 'info';
  return new GraphileLogger((scope) => (level, message, meta) => {
    const fields = { ...scope, ...(meta ?? {}), source: 'graphile-worker' };
    if (level === 'error') log.error(fields, message);
    else if (level === 'warning') log.warn(fields, message);
    else if (level === 'info') log[infoAs](fields, message);
    else log.debug(fields, message);
  });
}
