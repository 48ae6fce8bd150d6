// Supabase Edge Function `stripe-webhook`: Stripe's signed webhook events, stored once and queued (deploy with --no-verify-jwt).
// A thin shell: the logic is src/edge/stripeWebhookHandler.ts, shared with the Node service's modules.
import { createEdgeDeps } from '../../../src/edge/edgeDeps.ts';
import { loadEdgeConfig } from '../../../src/edge/edgeConfig.ts';
import { createStripeWebhookHandler } from '../../../src/edge/stripeWebhookHandler.ts';
import { serveFunction } from '../_shared/serveFunction.ts';

serveFunction('stripe-webhook', (env) => createStripeWebhookHandler(createEdgeDeps(loadEdgeConfig(env), { name: 'stripe-webhook' })));
