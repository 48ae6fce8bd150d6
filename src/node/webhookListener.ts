// The Node server's direct path for POST /webhooks/stripe: the body read straight from the socket and
// handed to the same receiver as the Hono route (src/api/webhooks.ts), with node:crypto's HMAC,
// skipping the Request/Response translation that costs more than the work itself. Every other
// request goes to the Hono app's listener unchanged.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { WEBHOOK_BODY_LIMIT } from '../api/app.ts';
import { errorBody } from '../api/httpError.ts';
import { createStripeEventStore } from '../api/storeStripeEvents.ts';
import { createWebhookReceiver, type WebhookAnswer, type WebhookDeps, type WebhookReceiver } from '../api/webhooks.ts';
import { metrics } from '../metrics.ts';
import { nodeStripeHmac } from './nodeStripeHmac.ts';

type FetchCallback = Parameters<typeof getRequestListener>[0];

export const WEBHOOK_PATH = '/webhooks/stripe';

function send(req: IncomingMessage, res: ServerResponse, answer: WebhookAnswer, close = false): void {
  const body = JSON.stringify(answer.body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
  if (close) headers.connection = 'close';
  res.writeHead(answer.status, headers);
  res.end(body);
  metrics.httpRequests.inc({ method: 'POST', route: WEBHOOK_PATH, status: `${Math.floor(answer.status / 100)}xx` });
  if (close) req.resume();
}

const TOO_LARGE: WebhookAnswer = { status: 413, body: errorBody('payload_too_large', `the body is larger than ${WEBHOOK_BODY_LIMIT / 1024} KB`) };

/** Wraps `next` (the Hono listener) so that POST /webhooks/stripe is answered by `receive` directly. */
export function withWebhookPath(receive: WebhookReceiver, next: RequestListener, log: WebhookDeps['log']): RequestListener {
  return (req, res) => {
    const url = req.url ?? '';
    if (req.method !== 'POST' || (url !== WEBHOOK_PATH && !url.startsWith(`${WEBHOOK_PATH}?`))) {
      next(req, res);
      return;
    }
    if (Number(req.headers['content-length'] ?? 0) > WEBHOOK_BODY_LIMIT) {
      send(req, res, TOO_LARGE, true);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > WEBHOOK_BODY_LIMIT) {
        tooLarge = true;
        send(req, res, TOO_LARGE, true);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) return;
      const signature = req.headers['stripe-signature'];
      receive(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), Array.isArray(signature) ? signature[0] : signature).then(
        (answer) => send(req, res, answer),
        (error: unknown) => {
          log.error({ err: { message: error instanceof Error ? error.message : String(error) } }, 'the Stripe webhook path failed');
          send(req, res, { status: 500, body: errorBody('internal', 'internal error: the server could not complete the request; try again, and see the server logs') });
        },
      );
    });
    req.on('error', () => res.destroy());
  };
}

/**
 * The API's node:http server: the Hono app through @hono/node-server's listener, except POST
 * /webhooks/stripe, which takes the direct path verified with node:crypto. Not yet listening.
 */
export function createApiServer(fetch: FetchCallback, deps: WebhookDeps): Server {
  // A direct Postgres session (or a pooler keeping prepared statements): the store's statement is
  // planned once per connection.
  const store = deps.store ?? createStripeEventStore(deps.pool, { prepared: true });
  const receive = createWebhookReceiver({ ...deps, hmac: nodeStripeHmac, store });
  return createServer(withWebhookPath(receive, getRequestListener(fetch), deps.log));
}
