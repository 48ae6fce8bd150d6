// A create_product Stripe refused with `resource_already_exists`: the space's deterministic product
// id (productIdFor, src/catalog/productId.ts) is taken. Normally by this space's own product, whose id
// we lost (a database restored from a backup, a pending create forgotten past Stripe's idempotency
// window): it is adopted, and the sync plans against it. Retrieve and list are consistent, unlike
// search. The id cannot be used when its product was deleted (if Stripe keeps deleted ids reserved)
// or carries another space's metadata: the caller then creates the product without an `id`.
import type Stripe from 'stripe';
import {
  snapshotFromStripe,
  type CreateProductParams,
  type Operation,
  type RowRef,
  type StripeSnapshot,
} from '../catalog/index.ts';
import type { StripeCallRecord, StripeGateway } from '../stripe/stripeGateway.ts';
import { listProductPrices, retrieveProduct } from './fetchLiveSnapshot.ts';

/** Thrown by the send loop so the sync can adopt the product at `productId`. */
export class ProductIdTakenError extends Error {
  override name = 'ProductIdTakenError';
  constructor(readonly productId: string, cause: unknown) {
    super(`Stripe already has a product with id ${productId}`, { cause });
  }
}

export type ProductAtId =
  | { snapshot: StripeSnapshot; records: StripeCallRecord[] }
  | { snapshot: null; reason: 'deleted' | 'other_space'; records: StripeCallRecord[] };

export async function productAtId(
  gateway: StripeGateway,
  target: { spaceId: string; productId: string; rows: readonly RowRef[] },
): Promise<ProductAtId> {
  const records: StripeCallRecord[] = [];
  const product: Stripe.Product | null = await retrieveProduct(gateway, target.productId, records);
  if (product === null) return { snapshot: null, reason: 'deleted', records };
  const owner = product.metadata?.space_id;
  if (owner !== undefined && owner !== '' && owner !== target.spaceId) return { snapshot: null, reason: 'other_space', records };
  const prices = await listProductPrices(gateway, product.id);
  return { snapshot: snapshotFromStripe(product, prices, target.rows), records };
}

/** The create without its custom id: Stripe generates one. */
export function withoutProductId(op: Operation): Operation {
  if (op.kind !== 'create_product' || op.params.id === undefined) return op;
  const { id: _id, ...params } = op.params;
  return { ...op, params: params satisfies CreateProductParams };
}
