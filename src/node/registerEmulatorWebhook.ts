// With the built-in emulator, spacesync registers its own webhook endpoint (replacing any earlier one
// for the same URL, whose secret is not known any more) and returns the signing secret.
import type Stripe from 'stripe';

export const WEBHOOK_EVENTS = ['product.created', 'product.updated', 'product.deleted', 'price.created', 'price.updated', 'price.deleted'] as const;

export async function registerEmulatorWebhook(stripe: Stripe, url: string): Promise<string> {
  for await (const endpoint of stripe.webhookEndpoints.list({ limit: 100 })) {
    if (endpoint.url === url) await stripe.webhookEndpoints.del(endpoint.id);
  }
  const endpoint = await stripe.webhookEndpoints.create({ url, enabled_events: [...WEBHOOK_EVENTS], description: 'spacesync (registered on start)' });
  if (!endpoint.secret) throw new Error(`the emulator did not return a signing secret for the webhook endpoint ${endpoint.id}`);
  return endpoint.secret;
}
