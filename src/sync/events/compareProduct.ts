// Product fields spacesync manages: what Stripe holds versus what we wrote (snapshot) and what the
// catalog wants (desired).
import type Stripe from 'stripe';
import { desiredProduct, idOf, stringMetadata, type DesiredProduct, type SnapshotProduct } from '../../catalog/index.ts';
import type { ManagedSpace } from './findManagedSpace.ts';
import type { DriftField } from './types.ts';

export interface ProductView {
  name: string;
  description: string | null;
  images: string[];
  active: boolean;
  metadata: Record<string, string>;
}

export function productView(product: Stripe.Product): ProductView {
  return {
    name: product.name,
    description: product.description ? product.description : null,
    images: [...(product.images ?? [])],
    active: product.active,
    metadata: stringMetadata(product.metadata),
  };
}

const FIELDS = ['name', 'description', 'images', 'active', 'metadata'] as const;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sorted(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(map).sort().map((k) => [k, map[k]]));
}

/** Fields where `stripe` differs from `expected` (metadata compared with sorted keys). */
export function productDifferences(stripe: ProductView, expected: ProductView | SnapshotProduct | DesiredProduct): Array<(typeof FIELDS)[number]> {
  return FIELDS.filter((f) => (f === 'metadata' ? !same(sorted(stripe.metadata), sorted(expected.metadata)) : !same(stripe[f], expected[f])));
}

/** The product's default price differs from the one we set. */
export function defaultPriceDiffers(product: Stripe.Product, snapshot: SnapshotProduct): boolean {
  return idOf(product.default_price) !== snapshot.defaultPriceId;
}

export function productDriftFields(stripe: ProductView, managed: ManagedSpace): DriftField[] {
  const desired = desiredProduct(managed.space);
  const against = managed.snapshot?.product ?? desired;
  const fromDesired = new Set(productDifferences(stripe, desired));
  return productDifferences(stripe, against)
    .filter((field) => fromDesired.has(field))
    .map((field) => ({ field, catalog: desired[field], stripe: stripe[field] }));
}
