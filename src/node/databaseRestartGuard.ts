// A worker rides out a Postgres restart. graphile-worker 0.17.3 does not await its job completion
// and failure calls (batchCompleteJobs/batchFailJobs): when Postgres restarts under them their
// rejection is unhandled, and Node ends the process. Connection errors of that kind are logged and
// the process carries on: the pool reconnects, graphile-worker's LISTEN client reconnects, and the
// heartbeat hands back the jobs whose completion was lost (workerHeartbeat.ts). Any other unhandled
// rejection still ends the process, as Node would.
import type { Logger } from '../log.ts';

const CONNECTION_CODES = new Set(['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);

export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (CONNECTION_CODES.has(code) || code.startsWith('08')) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|terminating connection|the database system is (starting up|shutting down|in recovery)|Client has encountered a connection error|Connection ended/i.test(message);
}

/** Installs the guard once per process; returns a function that removes it. */
export function guardAgainstDatabaseRestarts(log: Logger): () => void {
  let lost = 0;
  const onRejection = (reason: unknown) => {
    if (isConnectionError(reason)) {
      lost++;
      log.warn({ err: reason, lost }, 'a database call of the job queue failed during a connection loss; carrying on (its job is handed back by the heartbeat)');
      return;
    }
    log.error({ err: reason }, 'unhandled rejection');
    process.exitCode = 1;
    // As Node does by default: an unknown failure ends the process.
    setImmediate(() => process.exit(1));
  };
  process.on('unhandledRejection', onRejection);
  return () => process.off('unhandledRejection', onRejection);
}
