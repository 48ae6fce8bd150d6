// Every managed product (metadata.managed_by = spacesync) and every price of those products, listed
// page by page (limit 100) through the gateway — products and prices as two concurrent cursors.
// Listing is consistent (unlike search), so a catalog run sees what was created a moment ago.
import type Stripe from 'stripe';
import { idOf, isManagedProduct } from '../catalog/index.ts';
import { listPages } from '../stripe/listAll.ts';
import type { StripeGateway } from '../stripe/stripeGateway.ts';

export interface ManagedObjects {
  products: Stripe.Product[];
  prices: Stripe.Price[];
  /** List requests made. */
  pages: number;
}

export async function listManaged(gateway: StripeGateway): Promise<ManagedObjects> {
  let pages = 0;
  const products: Stripe.Product[] = [];
  const allPrices: Stripe.Price[] = [];
  const productsDone = (async () => {
    for await (const page of listPages<Stripe.Product, Stripe.ProductListParams>(gateway, 'GET /v1/products', (p, o) => gateway.stripe.products.list(p, o), {})) {
      pages++;
      for (const product of page) if (isManagedProduct(product)) products.push(product);
    }
  })();
  const pricesDone = (async () => {
    for await (const page of listPages<Stripe.Price, Stripe.PriceListParams>(gateway, 'GET /v1/prices', (p, o) => gateway.stripe.prices.list(p, o), {
      expand: ['data.currency_options'],
    })) {
      pages++;
      // Kept whatever their metadata: a price added in the dashboard to a managed product is drift too.
      allPrices.push(...page);
    }
  })();
  await Promise.all([productsDone, pricesDone]);
  const managed = new Set(products.map((p) => p.id));
  const prices = allPrices.filter((p) => {
    const productId = idOf(p.product);
    return productId !== null && managed.has(productId);
  });
  return { products, prices, pages };
}
