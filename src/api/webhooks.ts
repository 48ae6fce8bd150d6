// POST /webhooks/stripe: verify the signature on the raw body, store the event once and enqueue its
// processing in the same statement (storeStripeEvents.ts), answer at once. 400 only for a bad signature or body; our own
// faults are 5xx so that Stripe retries; a duplicate is a 2xx no-op.
import { Hono } from 'hono';
import type Stripe from 'stripe';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { metrics } from '../metrics.ts';
import { CachedSubtleCryptoProvider } from './cachedSubtleCryptoProvider.ts';
import { HttpError } from './httpError.ts';
import { createStripeEventStore } from './storeStripeEvents.ts';

export const WEBHOOK_TOLERANCE_SECONDS = 300;

// Web Crypto (runs on Deno too), with the imported HMAC key kept between deliveries.
const cryptoProvider = new CachedSubtleCryptoProvider();

export interface WebhookDeps {
  pool: Pool;
  stripe: Stripe;
  log: Logger;
  /** The endpoint's signing secret (whsec_…), or a function reading it (known only once registered). */
  webhookSecret?: string | (() => string | undefined);
}

/** The id of the object an event is about, and its `updated` (products have one; prices do not). */
function objectFacts(event: Stripe.Event): { objectId: string | null; objectUpdated: string | null } {
  const object = event.data?.object as { id?: unknown; updated?: unknown } | undefined;
  const objectId = typeof object?.id === 'string' ? object.id : null;
  const objectUpdated = typeof object?.updated === 'number' ? new Date(object.updated * 1000).toISOString() : null;
  return { objectId, objectUpdated };
}

export function webhookRoutes(deps: WebhookDeps): Hono {
  const app = new Hono();
  const events = createStripeEventStore(deps.pool);
  app.post('/stripe', async (c) => {
    const signature = c.req.header('stripe-signature');
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const secret = typeof deps.webhookSecret === 'function' ? deps.webhookSecret() : deps.webhookSecret;
    if (!secret) {
      metrics.webhookDeliveries.inc({ result: 'error' });
      deps.log.error('a Stripe webhook arrived but STRIPE_WEBHOOK_SECRET is not configured: it cannot be verified');
      throw new HttpError(503, 'unavailable', 'webhooks are not configured on this server');
    }
    if (!signature) {
      metrics.webhookDeliveries.inc({ result: 'invalid' });
      throw new HttpError(400, 'validation_failed', 'missing Stripe-Signature header');
    }
    let event: Stripe.Event;
    try {
      event = await deps.stripe.webhooks.constructEventAsync(raw, signature, secret, WEBHOOK_TOLERANCE_SECONDS, cryptoProvider);
    } catch (error) {
      metrics.webhookDeliveries.inc({ result: 'invalid' });
      const message = error instanceof Error ? error.message : String(error);
      deps.log.warn({ reason: message.slice(0, 200) }, 'refused a Stripe webhook with a bad signature or body');
      throw new HttpError(400, 'validation_failed', 'the Stripe-Signature does not match the body, or the body is not an event', undefined, { cause: error });
    }
    if (typeof event?.id !== 'string' || typeof event.type !== 'string' || typeof event.created !== 'number') {
      metrics.webhookDeliveries.inc({ result: 'invalid' });
      throw new HttpError(400, 'validation_failed', 'the body is not a Stripe event (id, type and created are required)');
    }
    const { objectId, objectUpdated } = objectFacts(event);
    let stored: boolean;
    try {
      stored = await events.store({
        id: event.id, type: event.type, objectId, created: event.created, objectUpdated, livemode: Boolean(event.livemode), payload: new TextDecoder().decode(raw),
      });
    } catch (error) {
      metrics.webhookDeliveries.inc({ result: 'error' });
      deps.log.error({ err: { message: error instanceof Error ? error.message : String(error) }, eventId: event.id }, 'could not store a Stripe webhook event: Stripe will retry');
      throw new HttpError(503, 'unavailable', 'the event could not be stored; retry later', undefined, { cause: error });
    }
    metrics.webhookDeliveries.inc({ result: stored ? 'accepted' : 'duplicate' });
    return c.json(stored ? { received: true } : { received: true, duplicate: true }, 200);
  });
  return app;
}
