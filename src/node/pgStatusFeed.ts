// One LISTEN connection per process on `spacesync_status`, fanned out as wake-ups to every SSE
// stream (each then reads the change log itself: the payload is never used). Reconnects with backoff
// when the connection drops; streams keep their subscription and poll meanwhile. Prunes the change
// log of rows older than a day, once an hour.
import pg from 'pg';
import type { Logger } from '../log.ts';
import type { StatusFeed } from '../api/statusFeed.ts';

export const STATUS_CHANNEL = 'spacesync_status';
const PRUNE_EVERY_MS = 60 * 60 * 1000;

export interface PgStatusFeed extends StatusFeed {
  /** Resolves once the first LISTEN is in place. */
  ready: Promise<void>;
  /** How many subscribers are listening (open SSE streams). */
  subscribers(): number;
  /** Ends every stream and the LISTEN connection. */
  close(): Promise<void>;
}

export function startPgStatusFeed(connectionString: string, log: Logger): PgStatusFeed {
  const listeners = new Set<() => void>();
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = 500;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let markClosed: () => void = () => {};
  const closedPromise = new Promise<void>((resolve) => (markClosed = resolve));

  const wakeAll = () => {
    for (const l of listeners) {
      try {
        l();
      } catch (error) {
        log.warn({ err: error }, 'a status subscriber failed');
      }
    }
  };

  const prune = async () => {
    const c = client;
    if (!c) return;
    try {
      await c.query('select public.spacesync_prune_changes()');
    } catch (error) {
      log.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'could not prune the change log');
    }
  };
  const pruneTimer = setInterval(() => void prune(), PRUNE_EVERY_MS);
  pruneTimer.unref?.();

  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString, application_name: 'spacesync-status-feed' });
    c.on('notification', wakeAll);
    c.on('error', (error) => {
      log.warn({ err: { message: error.message } }, 'status feed connection lost: reconnecting');
      reconnect(c);
    });
    c.on('end', () => reconnect(c));
    try {
      await c.connect();
      await c.query(`listen ${STATUS_CHANNEL}`);
      client = c;
      retryMs = 500;
      markReady();
      // What changed while we were not listening is in the log: let every stream read it.
      wakeAll();
    } catch (error) {
      log.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'status feed could not listen: retrying');
      reconnect(c);
    }
  };
  const reconnect = (c: pg.Client) => {
    if (client === c) client = undefined;
    c.removeAllListeners('end');
    c.end().catch(() => {});
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, 15_000);
  };
  void connect();

  return {
    ready,
    closed: closedPromise,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    subscribers: () => listeners.size,
    async close() {
      closed = true;
      markClosed();
      clearInterval(pruneTimer);
      if (retryTimer) clearTimeout(retryTimer);
      const c = client;
      client = undefined;
      if (c) {
        c.removeAllListeners('end');
        await c.end().catch(() => {});
      }
    },
  };
}
