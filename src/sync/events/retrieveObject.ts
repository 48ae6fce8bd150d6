// What Stripe holds right now (in doubt, the event's copy may be old). null when the object is gone.
import type Stripe from 'stripe';
import type { StripeGateway } from '../../stripe/stripeGateway.ts';

function isMissing(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { statusCode?: number; code?: string };
  return e.statusCode === 404 || e.code === 'resource_missing';
}

export async function retrieveProduct(gateway: StripeGateway, id: string): Promise<Stripe.Product | null> {
  try {
    const { value: product } = await gateway.request('GET /v1/products/:id', (o) => gateway.stripe.products.retrieve(id, {}, o), { objectId: id });
    return (product as { deleted?: boolean }).deleted ? null : product;
  } catch (error) {
    if (isMissing(error)) return null;
    throw new Error(`could not read product ${id} from Stripe to check the event against`, { cause: error });
  }
}

export async function retrievePrice(gateway: StripeGateway, id: string): Promise<Stripe.Price | null> {
  try {
    const { value: price } = await gateway.request('GET /v1/prices/:id', (o) => gateway.stripe.prices.retrieve(id, {}, o), { objectId: id });
    return (price as { deleted?: boolean }).deleted ? null : price;
  } catch (error) {
    if (isMissing(error)) return null;
    throw new Error(`could not read price ${id} from Stripe to check the event against`, { cause: error });
  }
}
