// GET /api/stream: Server-Sent Events of what changed (spaces and their prices, catalog runs, log
// lines, drift), for admins. Each event's id is its change-log id: a client that reconnects sends
// Last-Event-ID and resumes right after it, from any process; when the log no longer holds what
// followed, a `resync` event tells it to reload. The feed only wakes the stream up; what is sent is
// read from the tables. A `: ping` comment every 15 s keeps proxies from closing the connection.
// HEAD answers the headers and nothing else; when the feed closes (shutdown), every stream ends.
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Pool } from '../db/pool.ts';
import { requireAdmin, type AuthEnv } from './auth.ts';
import { createChangeReader, resumePoint } from './changeReader.ts';
import type { StatusFeed } from './statusFeed.ts';
import { parseEventId } from './walkChanges.ts';

export const PING_INTERVAL_MS = 15_000;
/** Read the log even without a wake-up this often (a lost NOTIFY, a runtime without LISTEN). */
export const POLL_INTERVAL_MS = 1_000;
/** How soon to look again while a gap in the log may still fill. */
const GAP_RETRY_MS = 50;

export interface StreamDeps {
  statusFeed: StatusFeed;
  pool: Pick<Pool, 'query'>;
  pingIntervalMs?: number;
  pollIntervalMs?: number;
}

export function streamRoutes(deps: StreamDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const headers = { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no' };
  app.get('/', requireAdmin, (c) => {
    // Hono answers HEAD with the GET handler and drops the body: a stream opened here would never be
    // read nor aborted, so HEAD gets the headers alone.
    if (c.req.raw.method === 'HEAD') return c.body(null, 200, headers);
    for (const [k, v] of Object.entries(headers)) c.header(k, v);
    const lastEventId = parseEventId(c.req.header('Last-Event-ID') ?? c.req.query('last_event_id'));
    return streamSSE(c, async (stream) => {
      let closed = false;
      let wake: (() => void) | undefined;
      let dirty = true;
      const poke = () => {
        dirty = true;
        wake?.();
      };
      const unsubscribe = deps.statusFeed.subscribe(poke);
      const end = () => {
        closed = true;
        wake?.();
      };
      void deps.statusFeed.closed.then(end);
      stream.onAbort(end);
      const pingEvery = deps.pingIntervalMs ?? PING_INTERVAL_MS;
      const ping = setInterval(() => wake?.(), pingEvery);
      let lastWrite = Date.now();
      try {
        const start = await resumePoint(deps.pool, lastEventId);
        const reader = createChangeReader(deps.pool, start.cursor);
        await stream.write('retry: 1000\n: connected\n\n');
        // The id the client resumes from, even before any change arrives.
        await stream.writeSSE({ id: String(start.cursor), event: start.resync ? 'resync' : 'ready', data: '{}' });
        while (!closed) {
          if (dirty) {
            dirty = false;
            const { messages, more, waiting } = await reader.read();
            for (const m of messages) {
              if (closed) break;
              await stream.writeSSE({ id: String(m.id), event: m.type, data: JSON.stringify(m.data) });
              lastWrite = Date.now();
            }
            if (more) dirty = true;
            if (more || closed) continue;
            if (waiting) {
              await sleep(GAP_RETRY_MS);
              dirty = true;
              continue;
            }
          }
          await new Promise<void>((resolve) => {
            const poll = setTimeout(() => {
              dirty = true;
              resolve();
            }, deps.pollIntervalMs ?? POLL_INTERVAL_MS);
            wake = () => {
              clearTimeout(poll);
              resolve();
            };
          });
          wake = undefined;
          if (!closed && Date.now() - lastWrite >= pingEvery) {
            await stream.write(': ping\n\n');
            lastWrite = Date.now();
          }
        }
      } finally {
        clearInterval(ping);
        unsubscribe();
      }
    }, async () => {
      // The database went away mid-stream: the stream ends and the client reconnects and resumes.
    });
  });
  return app;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
