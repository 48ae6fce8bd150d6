// GET /api/stream: Server-Sent Events of sync status, catalog run progress and new log lines, for
// admins. A `: ping` comment every 15 s keeps proxies from closing the connection.
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { requireAdmin, type AuthEnv } from './auth.ts';
import type { StatusFeed, StatusMessage } from './statusFeed.ts';

export const PING_INTERVAL_MS = 15_000;

export function streamRoutes(deps: { statusFeed: StatusFeed; pingIntervalMs?: number }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.get('/', requireAdmin, (c) => {
    c.header('Cache-Control', 'no-cache, no-transform');
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      const queue: StatusMessage[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = deps.statusFeed.subscribe((message) => {
        // A slow reader does not hold the process' memory hostage: beyond 1000 waiting messages, drop.
        if (queue.length < 1000) queue.push(message);
        wake?.();
      });
      const ping = setInterval(() => wake?.(), deps.pingIntervalMs ?? PING_INTERVAL_MS);
      let closed = false;
      stream.onAbort(() => {
        closed = true;
        wake?.();
      });
      try {
        await stream.write(': connected\n\n');
        while (!closed) {
          if (queue.length === 0) {
            const woke = await new Promise<'message' | 'tick'>((resolve) => {
              wake = () => resolve(queue.length ? 'message' : 'tick');
            });
            wake = undefined;
            if (woke === 'tick' && !closed) await stream.write(': ping\n\n');
            continue;
          }
          const message = queue.shift() as StatusMessage;
          await stream.writeSSE({ event: message.type, data: JSON.stringify(message.data) });
        }
      } finally {
        clearInterval(ping);
        unsubscribe();
      }
    });
  });
  return app;
}
