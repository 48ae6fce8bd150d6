// Every managed product (metadata.managed_by = spacesync) and every price of those products, listed
// page by page (limit 100) through the gateway — products and prices as two concurrent cursors.
// Listing is consistent (unlike search), so a catalog run sees what was created a moment ago.
import type Stripe from 'stripe';
import { idOf, isManagedProduct } from '../catalog/index.ts';
import { listPages } from '../stripe/listAll.ts';
import type { StripeGateway } from '../stripe/stripeGateway.ts';

/** Only the fields the catalog plan reads: a no-op run over 10,000 products holds 40,000 of these. */
function slimProduct(p: Stripe.Product): Stripe.Product {
  const slim = {
    id: p.id,
    object: p.object,
    active: p.active,
    created: p.created,
    default_price: p.default_price,
    description: p.description,
    images: p.images,
    metadata: p.metadata,
    name: p.name,
  };
  return slim as Stripe.Product;
}

function slimPrice(p: Stripe.Price): Stripe.Price {
  const slim = {
    id: p.id,
    object: p.object,
    active: p.active,
    created: p.created,
    currency: p.currency,
    currency_options: p.currency_options,
    lookup_key: p.lookup_key,
    metadata: p.metadata,
    nickname: p.nickname,
    product: p.product,
    recurring: p.recurring ? { interval: p.recurring.interval, interval_count: p.recurring.interval_count } : null,
    tax_behavior: p.tax_behavior,
    type: p.type,
    unit_amount: p.unit_amount,
  };
  return slim as Stripe.Price;
}

export interface ManagedObjects {
  products: Stripe.Product[];
  /** The id of every product listed, managed or not: what Stripe has. */
  allProductIds: Set<string>;
  prices: Stripe.Price[];
  /** List requests made. */
  pages: number;
  /** Time spent listing, in ms. */
  ms: number;
}

export async function listManaged(gateway: StripeGateway): Promise<ManagedObjects> {
  let pages = 0;
  const started = performance.now();
  const products: Stripe.Product[] = [];
  const allProductIds = new Set<string>();
  const allPrices: Stripe.Price[] = [];
  const productsDone = (async () => {
    for await (const page of listPages<Stripe.Product, Stripe.ProductListParams>(gateway, 'GET /v1/products', (p, o) => gateway.stripe.products.list(p, o), {})) {
      pages++;
      for (const product of page) {
        allProductIds.add(product.id);
        if (isManagedProduct(product)) products.push(slimProduct(product));
      }
    }
  })();
  const pricesDone = (async () => {
    for await (const page of listPages<Stripe.Price, Stripe.PriceListParams>(gateway, 'GET /v1/prices', (p, o) => gateway.stripe.prices.list(p, o), {
      expand: ['data.currency_options'],
    })) {
      pages++;
      // Kept whatever their metadata: a price added in the dashboard to a managed product is drift too.
      for (const price of page) allPrices.push(slimPrice(price));
    }
  })();
  await Promise.all([productsDone, pricesDone]);
  const managed = new Set(products.map((p) => p.id));
  const prices = allPrices.filter((p) => {
    const productId = idOf(p.product);
    return productId !== null && managed.has(productId);
  });
  return { products, allProductIds, prices, pages, ms: performance.now() - started };
}
