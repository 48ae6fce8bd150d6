// The stripe-webhook function: the API's own webhook route (src/api/webhooks.ts), unchanged. It
// verifies Stripe-Signature on the raw body (300 s tolerance), stores the event once and enqueues
// `process_stripe_event` in the same statement: 400 only for a bad signature or body, 5xx for our
// faults so that Stripe retries, 2xx for a duplicate. The queue is drained by the worker or drain-queue.
import { webhookRoutes } from '../api/webhooks.ts';
import { createEdgeApp, type FetchHandler } from './edgeApp.ts';
import type { EdgeDeps } from './edgeDeps.ts';

export function createStripeWebhookHandler(deps: Pick<EdgeDeps, 'pool' | 'stripe' | 'log' | 'config'>): FetchHandler {
  const app = createEdgeApp({ log: deps.log });
  app.route('/', webhookRoutes({ pool: deps.pool, stripe: deps.stripe, log: deps.log, webhookSecret: deps.config.stripeWebhookSecret }));
  // The route is POST /stripe; the function is reached at /stripe-webhook (or / when served alone).
  return async (request) => {
    const url = new URL(request.url);
    url.pathname = '/stripe';
    return app.fetch(new Request(url, request));
  };
}
