// One LISTEN connection per process on `spacesync_status`, fanned out to every SSE subscriber.
// Reconnects with backoff when the connection drops; subscribers keep their subscription.
import pg from 'pg';
import type { Logger } from '../log.ts';
import { parseStatusPayload, type StatusFeed, type StatusMessage } from '../api/statusFeed.ts';

export const STATUS_CHANNEL = 'spacesync_status';

export interface PgStatusFeed extends StatusFeed {
  /** Resolves once the first LISTEN is in place. */
  ready: Promise<void>;
  /** How many subscribers are listening (open SSE streams). */
  subscribers(): number;
  close(): Promise<void>;
}

export function startPgStatusFeed(connectionString: string, log: Logger): PgStatusFeed {
  const listeners = new Set<(message: StatusMessage) => void>();
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = 500;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString, application_name: 'spacesync-status-feed' });
    c.on('notification', (n) => {
      const message = parseStatusPayload(n.payload);
      if (!message) return;
      for (const l of listeners) {
        try {
          l(message);
        } catch (error) {
          log.warn({ err: error }, 'a status subscriber failed');
        }
      }
    });
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
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    subscribers: () => listeners.size,
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      listeners.clear();
      const c = client;
      client = undefined;
      if (c) {
        c.removeAllListeners('end');
        await c.end().catch(() => {});
      }
    },
  };
}
