// The HTTP API of src/api as the Edge Function `spacesync-api`, so the static admin UI can run against
// a Supabase project alone: the same Hono app, configured for the edge. Supabase serves the function
// under /functions/v1/spacesync-api/…, the function sees /spacesync-api/…: the prefix is taken off
// before the app routes it. The live status stream ends before the runtime's wall-clock limit; the
// UI reconnects with Last-Event-ID and the stream resumes where it was.
import { createApp } from '../api/app.ts';
import { startPgStatusFeed } from '../node/pgStatusFeed.ts';
import type { FetchHandler } from './edgeApp.ts';
import type { EdgeDeps } from './edgeDeps.ts';

export const API_FUNCTION_NAME = 'spacesync-api';
/** Supabase's wall clock is 150 s (free plan) to 400 s: a stream ends well before. */
export const DEFAULT_STREAM_MAX_MS = 120_000;

export interface ApiHandlerOptions {
  /** How long one GET /api/stream answer lasts before it ends for the client to reconnect. */
  streamMaxMs?: number;
}

/** The path the app routes: without /functions/v1 and the function's name. */
export function appPath(pathname: string): string {
  const stripped = pathname.replace(/^\/functions\/v1(?=\/)/, '').replace(new RegExp(`^/${API_FUNCTION_NAME}(?=/|$)`), '');
  return stripped === '' ? '/' : stripped;
}

/** Ends a streamed body after `ms`, cleanly (the reader sees the end, not an error). */
function endAfter(response: Response, ms: number): Response {
  if (!response.body) return response;
  const reader = response.body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      timer = setTimeout(() => {
        void reader.cancel().catch(() => {});
        try {
          controller.close();
        } catch {
          // already closed by the reader's own end
        }
      }, ms);
    },
    async pull(controller) {
      try {
        const { value, done } = await reader.read();
        if (done) {
          clearTimeout(timer);
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch {
        clearTimeout(timer);
        try {
          controller.close();
        } catch {
          // closed by the timer
        }
      }
    },
    cancel() {
      clearTimeout(timer);
      return reader.cancel();
    },
  });
  return new Response(body, { status: response.status, headers: response.headers });
}

export function createApiHandler(deps: EdgeDeps, options: ApiHandlerOptions = {}): FetchHandler {
  const statusFeed = startPgStatusFeed(deps.config.databaseUrl, deps.log);
  const app = createApp({
    config: deps.config,
    pool: deps.pool,
    stripe: deps.stripe,
    log: deps.log,
    statusFeed,
    verifyToken: deps.verifyToken,
  });
  const streamMaxMs = options.streamMaxMs ?? DEFAULT_STREAM_MAX_MS;
  return async (request) => {
    const url = new URL(request.url);
    const path = appPath(url.pathname);
    if (path !== url.pathname) {
      url.pathname = path;
      request = new Request(url, request);
    }
    const response = await app.fetch(request);
    const streaming = path === '/api/stream' && request.method === 'GET' && response.ok;
    return streaming ? endAfter(response, streamMaxMs) : response;
  };
}
