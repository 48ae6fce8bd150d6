// Supabase Edge Function `stripe-webhook`: Stripe's signed webhook events, stored once and queued (deploy with --no-verify-jwt).
// Bundled into supabase/functions/<name>/ by `spacesync supabase install`; the logic is src/edge/stripeWebhookHandler.ts, shared with the Node service's modules.
import { createEdgeDeps } from '../edgeDeps.ts';
import { loadEdgeConfig } from '../edgeConfig.ts';
import { createStripeWebhookHandler } from '../stripeWebhookHandler.ts';
import { serveFunction } from '../serveFunction.ts';

serveFunction('stripe-webhook', (env) => createStripeWebhookHandler(createEdgeDeps(loadEdgeConfig(env), { name: 'stripe-webhook' })));
