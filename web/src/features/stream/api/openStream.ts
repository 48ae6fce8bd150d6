// GET /api/stream read with fetch (EventSource cannot send the Authorization header), parsed with
// the small SSE parser, reconnected with exponential backoff and jitter. A watchdog reconnects when
// the server's 15 s pings stop arriving (a proxy that silently dropped the connection). Each connection
// sends the session's token of the moment: after a renewal, the next one (the Edge Function ends each
// answer within its wall-clock limit) goes with the new token; a 401 renews the session and reconnects.
import { API_BASE, ApiError, errorFromResponse } from '../../../lib/api.ts';
import { renewSession } from '../../../lib/renewSession.ts';
import { getToken, signOut } from '../../../lib/session.ts';
import { SseParser, type SseEvent } from '../../../lib/sse.ts';

export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'offline';

/** After this many failed attempts in a row (or when the browser says it is offline): "offline". */
const OFFLINE_AFTER = 2;

export interface StreamHandlers {
  onEvent(event: SseEvent): void;
  onState(state: StreamState): void;
  /** Called after every successful (re)connection; `resumed`: the server continues after the last event seen. */
  onOpen(reconnected: boolean, resumed: boolean): void;
  /** 401/403: the token is gone or not an admin's; the stream stops. */
  onRejected(error: ApiError): void;
}

const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;
const SILENCE_MS = 40_000;

/** Reads one connection until it ends; throws on a non-2xx answer or a network error. */
async function readOnce(token: string | null, signal: AbortSignal, parser: SseParser, onOpen: () => void, touch: () => void): Promise<void> {
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (parser.lastEventId) headers['Last-Event-ID'] = parser.lastEventId;
  const res = await fetch(`${API_BASE}/stream`, { headers, signal, cache: 'no-store' });
  if (!res.ok || !res.body) throw await errorFromResponse(res);
  onOpen();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      touch();
      parser.push(value);
    }
  } finally {
    reader.releaseLock();
  }
}

export function openStream(handlers: StreamHandlers): { close(): void } {
  const controller = new AbortController();
  let connections = 0;
  void (async () => {
    let attempt = 0;
    /** A 401 renews the session once between two successful connections, not in a loop. */
    let renewedSinceOpen = false;
    const parser = new SseParser(handlers.onEvent);
    while (!controller.signal.aborted) {
      if (connections === 0) handlers.onState('connecting');
      const connection = new AbortController();
      const stopConnection = () => connection.abort();
      controller.signal.addEventListener('abort', stopConnection);
      // The browser knows it lost the network: say so now rather than after the watchdog.
      const onOffline = () => connection.abort();
      window.addEventListener('offline', onOffline);
      let watchdog: ReturnType<typeof setTimeout> | undefined;
      const token = getToken();
      const touch = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => connection.abort(), SILENCE_MS);
      };
      try {
        await readOnce(
          token,
          connection.signal,
          parser,
          () => {
            attempt = 0;
            renewedSinceOpen = false;
            touch();
            handlers.onState('open');
            handlers.onOpen(connections++ > 0, parser.lastEventId !== null);
          },
          touch,
        );
      } catch (error) {
        const renewal = error instanceof ApiError && error.status === 401 && !renewedSinceOpen && token !== null ? await renewSession(token) : null;
        if (renewal?.kind === 'renewed') {
          renewedSinceOpen = true;
          continue;
        }
        // A renewal that failed for now (Supabase Auth unreachable): reconnect below, with backoff.
        if (error instanceof ApiError && (error.status === 401 || error.status === 403) && renewal?.kind !== 'failed') {
          if (renewal?.kind === 'cannot') signOut();
          handlers.onRejected(error);
          return;
        }
        // Network error, server restart or watchdog: reconnect below.
      } finally {
        clearTimeout(watchdog);
        window.removeEventListener('offline', onOffline);
        controller.signal.removeEventListener('abort', stopConnection);
      }
      if (controller.signal.aborted) return;
      if (connections === 0) connections = 1; // the first attempt failed: later ones are reconnections
      // The server or the network is gone: say so, and keep trying.
      handlers.onState(attempt + 1 >= OFFLINE_AFTER || !navigator.onLine ? 'offline' : 'reconnecting');
      const base = parser.retryMs ?? MIN_DELAY_MS;
      const delay = Math.min(MAX_DELAY_MS, base * 2 ** attempt++) * (0.8 + Math.random() * 0.4);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          window.removeEventListener('online', done);
          resolve();
        };
        const timer = setTimeout(done, navigator.onLine ? delay : MAX_DELAY_MS);
        // Back online: try at once.
        window.addEventListener('online', done);
        controller.signal.addEventListener('abort', done);
      });
    }
  })();
  return { close: () => controller.abort() };
}
