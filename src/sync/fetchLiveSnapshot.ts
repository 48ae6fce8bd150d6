// What Stripe really holds for a space, as a snapshot: the product (by its stored id, or found
// through its `space_id` metadata when adopting) and all its prices, listed with currency options.
// Used by forced syncs (manual sync, drift repair) and to rebuild a lost snapshot. Retrieve and list
// are consistent; search lags (up to a minute on Stripe) and is only used to recover a product whose
// id we never stored.
import type Stripe from 'stripe';
import { isManagedProduct, snapshotFromStripe, type RowRef, type StripeSnapshot } from '../catalog/index.ts';
import { listAll } from '../stripe/listAll.ts';
import { isResourceMissing } from '../stripe/stripeErrors.ts';
import type { StripeCallRecord, StripeGateway } from '../stripe/stripeGateway.ts';

export interface LiveSnapshot {
  snapshot: StripeSnapshot | null;
  /** The product was found by search rather than by a stored id. */
  adopted: boolean;
  /** Other managed products search found for the space (left for the catalog sync to archive). */
  duplicates: string[];
  /** The stored product id pointed at nothing (deleted in Stripe). */
  missing: boolean;
  records: StripeCallRecord[];
}

export async function retrieveProduct(gateway: StripeGateway, id: string, records: StripeCallRecord[]): Promise<Stripe.Product | null> {
  try {
    const { value, record } = await gateway.request('GET /v1/products/:id', (o) => gateway.stripe.products.retrieve(id, {}, o), { objectId: id });
    records.push(record);
    return (value as { deleted?: boolean }).deleted ? null : value;
  } catch (error) {
    if (isResourceMissing(error)) return null;
    throw error;
  }
}

export async function listProductPrices(gateway: StripeGateway, productId: string): Promise<Stripe.Price[]> {
  return listAll<Stripe.Price, Stripe.PriceListParams>(gateway, 'GET /v1/prices', (p, o) => gateway.stripe.prices.list(p, o), {
    product: productId,
    expand: ['data.currency_options'],
  });
}

/** Managed products whose metadata names the space, best first (active, then newest). */
export async function searchSpaceProducts(gateway: StripeGateway, spaceId: string, records: StripeCallRecord[]): Promise<Stripe.Product[]> {
  const query = `metadata['space_id']:'${spaceId.replace(/'/g, "\\'")}'`;
  const { value, record } = await gateway.request('GET /v1/products/search', (o) => gateway.stripe.products.search({ query, limit: 100 }, o));
  records.push(record);
  return value.data
    .filter((p) => isManagedProduct(p) && p.metadata.space_id === spaceId)
    .sort((a, b) => Number(b.active) - Number(a.active) || b.created - a.created || (a.id < b.id ? 1 : -1));
}

export async function fetchLiveSnapshot(
  gateway: StripeGateway,
  target: { spaceId: string; productId: string | null; rows: readonly RowRef[]; search: boolean },
): Promise<LiveSnapshot> {
  const records: StripeCallRecord[] = [];
  let product: Stripe.Product | null = null;
  let missing = false;
  if (target.productId) {
    product = await retrieveProduct(gateway, target.productId, records);
    missing = product === null;
  }
  let adopted = false;
  let duplicates: string[] = [];
  if (product === null && target.search) {
    const found = (await searchSpaceProducts(gateway, target.spaceId, records)).filter((p) => p.id !== target.productId);
    if (found.length > 0) {
      product = found[0];
      adopted = true;
      duplicates = found.slice(1).map((p) => p.id);
    }
  }
  if (product === null) return { snapshot: null, adopted, duplicates, missing, records };
  const prices = await listProductPrices(gateway, product.id);
  return { snapshot: snapshotFromStripe(product, prices, target.rows), adopted, duplicates, missing, records };
}
