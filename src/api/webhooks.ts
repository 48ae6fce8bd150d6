// POST /webhooks/stripe: verify the signature on the raw body, store the event once and enqueue its
// processing in the same statement (storeStripeEvents.ts), answer at once. 400 only for what the
// sender got wrong (a bad signature, a timestamp outside the tolerance, a body that is not an event
// or that Postgres cannot store); our own faults are 5xx so that Stripe retries; a duplicate is a 2xx
// no-op. One receiver serves the Hono route (portable, Web Crypto) and the Node server's direct path
// (src/node/webhookListener.ts, node:crypto), so both behave alike.
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type Stripe from 'stripe';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { metrics } from '../metrics.ts';
import { checkStorableEvent } from './checkStorableEvent.ts';
import { errorBody } from './httpError.ts';
import { createStripeEventStore, UnstorableEventError, type StripeEventStore } from './storeStripeEvents.ts';
import { verifyStripeSignature, webCryptoStripeHmac, WEBHOOK_TOLERANCE_SECONDS, type StripeSignatureHmac } from './verifyStripeSignature.ts';

export { WEBHOOK_TOLERANCE_SECONDS };

export interface WebhookDeps {
  pool: Pool;
  /** Not needed to verify (the signature is checked here); kept so every caller passes the same deps. */
  stripe?: Stripe;
  log: Logger;
  /** The endpoint's signing secret (whsec_…), or a function reading it (known only once registered). */
  webhookSecret?: string | (() => string | undefined);
  /** HMAC-SHA256 for the signature; defaults to Web Crypto (node:crypto is injected by the Node entry). */
  hmac?: StripeSignatureHmac;
  /** Shares one group-commit store between the Hono route and the Node path. */
  store?: StripeEventStore;
}

export interface WebhookAnswer {
  status: ContentfulStatusCode;
  body: unknown;
}

export type WebhookReceiver = (body: Uint8Array, signature: string | undefined) => Promise<WebhookAnswer>;

const ACCEPTED: WebhookAnswer = { status: 200, body: { received: true } };
const DUPLICATE: WebhookAnswer = { status: 200, body: { received: true, duplicate: true } };
const decoder = new TextDecoder();

function refused(problem: string): WebhookAnswer {
  metrics.webhookDeliveries.inc({ result: 'invalid' });
  return { status: 400, body: errorBody('validation_failed', problem) };
}

export function createWebhookReceiver(deps: WebhookDeps): WebhookReceiver {
  const events = deps.store ?? createStripeEventStore(deps.pool);
  const hmac = deps.hmac ?? webCryptoStripeHmac();
  return async (raw, signature) => {
    const secret = typeof deps.webhookSecret === 'function' ? deps.webhookSecret() : deps.webhookSecret;
    if (!secret) {
      metrics.webhookDeliveries.inc({ result: 'error' });
      deps.log.error('a Stripe webhook arrived but STRIPE_WEBHOOK_SECRET is not configured: it cannot be verified');
      return { status: 503, body: errorBody('unavailable', 'webhooks are not configured on this server') };
    }
    if (!signature) return refused('missing Stripe-Signature header');
    const check = await verifyStripeSignature({ header: signature, body: raw, secret, hmac, toleranceSeconds: WEBHOOK_TOLERANCE_SECONDS });
    if (!check.ok) {
      deps.log.warn({ reason: check.reason }, 'refused a Stripe webhook with a bad signature');
      return refused(`the Stripe-Signature does not verify: ${check.reason}`);
    }
    const text = decoder.decode(raw);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return refused('the signed body is not JSON');
    }
    const event = checkStorableEvent(text, parsed);
    if (!event.ok) {
      deps.log.warn({ reason: event.problem }, 'refused a signed Stripe webhook that cannot be stored');
      return refused(event.problem);
    }
    const { facts } = event;
    let stored: boolean;
    try {
      stored = await events.store({ ...facts, payload: text });
    } catch (error) {
      if (error instanceof UnstorableEventError) {
        deps.log.warn({ reason: error.message, eventId: facts.id }, 'refused a signed Stripe webhook that cannot be stored');
        return refused(`the event cannot be stored: ${error.message}`);
      }
      metrics.webhookDeliveries.inc({ result: 'error' });
      deps.log.error({ err: { message: error instanceof Error ? error.message : String(error) }, eventId: facts.id }, 'could not store a Stripe webhook event: Stripe will retry');
      return { status: 503, body: errorBody('unavailable', 'the event could not be stored; retry later') };
    }
    metrics.webhookDeliveries.inc({ result: stored ? 'accepted' : 'duplicate' });
    return stored ? ACCEPTED : DUPLICATE;
  };
}

export function webhookRoutes(deps: WebhookDeps): Hono {
  const app = new Hono();
  const receive = createWebhookReceiver(deps);
  app.post('/stripe', async (c) => {
    const answer = await receive(new Uint8Array(await c.req.arrayBuffer()), c.req.header('stripe-signature'));
    return c.json(answer.body, answer.status);
  });
  return app;
}
