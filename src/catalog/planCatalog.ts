/**
 * The whole catalog: every space of the database against every managed product and price listed
 * from Stripe (metadata.managed_by = 'spacesync'). Diffs against the ACTUAL Stripe objects, so
 * changes made in the dashboard show up. Linear: everything is looked up through Maps by id.
 */
import type Stripe from 'stripe';
import { describeChanges, type Change } from './describeChanges.ts';
import { desiredState } from './desiredState.ts';
import { MANAGED_BY } from './metadata.ts';
import type { Operation } from './operations.ts';
import { planDeactivate, planSpaceSync } from './planSpaceSync.ts';
import type { StripeSnapshot } from './snapshot.ts';
import { idOf, snapshotFromStripe } from './snapshotFromStripe.ts';
import type { PriceContent, SpaceContent, SpaceRecord } from './types.ts';

export const CATALOG_ENTRY_KINDS = ['create', 'recreate', 'update', 'reprice', 'archive_orphan', 'adopt', 'unchanged'] as const;
export type CatalogEntryKind = (typeof CATALOG_ENTRY_KINDS)[number];

export interface CatalogSpace {
  space: SpaceContent & Pick<SpaceRecord, 'version' | 'stripe_product_id'> & { stripe_snapshot?: StripeSnapshot | null };
  /**
   * The listing shows no product (managed or not) with the space's stored id: Stripe does not have
   * it (deleted, another account, a reset test mode). Planned as new: "recreate".
   */
  missing?: boolean;
  /** All its price rows, deleted ones included (their Stripe prices get archived). */
  prices: readonly PriceContent[];
}

export interface CatalogInput {
  spaces: readonly CatalogSpace[];
  /** Managed products listed from Stripe (others are ignored). */
  products: readonly Stripe.Product[];
  /** Their prices, listed with `expand: ['data.currency_options']`. */
  prices: readonly Stripe.Price[];
}

export interface CatalogEntry {
  kind: CatalogEntryKind;
  spaceId: string | null;
  productId: string | null;
  name: string;
  /** The space's version (idempotency keys); null for an orphan product. */
  version: number | null;
  changes: Change[];
  operations: Operation[];
  /** What the operations were planned against (built from Stripe): the executor's starting snapshot. */
  snapshot: StripeSnapshot | null;
}

export interface CatalogPlan {
  entries: CatalogEntry[];
  totals: Record<CatalogEntryKind, number>;
  /** Stripe calls the plan makes. */
  calls: number;
}

export function isManagedProduct(product: Pick<Stripe.Product, 'metadata'>): boolean {
  return product.metadata?.managed_by === MANAGED_BY;
}

function newer(a: Stripe.Product, b: Stripe.Product): Stripe.Product {
  if (a.active !== b.active) return a.active ? a : b;
  return a.created >= b.created ? a : b;
}

export function planCatalog(input: CatalogInput): CatalogPlan {
  const productsById = new Map<string, Stripe.Product>();
  const productBySpace = new Map<string, Stripe.Product>();
  for (const product of input.products) {
    if (!isManagedProduct(product)) continue;
    productsById.set(product.id, product);
    const spaceId = product.metadata.space_id;
    if (spaceId) {
      const other = productBySpace.get(spaceId);
      productBySpace.set(spaceId, other ? newer(other, product) : product);
    }
  }
  const pricesByProduct = new Map<string, Stripe.Price[]>();
  for (const price of input.prices) {
    const productId = idOf(price.product);
    if (productId === null || !productsById.has(productId)) continue;
    const list = pricesByProduct.get(productId);
    if (list) list.push(price);
    else pricesByProduct.set(productId, [price]);
  }

  const entries: CatalogEntry[] = [];
  const claimed = new Set<string>();
  for (const { space, prices, missing } of input.spaces) {
    const knownId = space.stripe_product_id ?? space.stripe_snapshot?.productId ?? null;
    const gone = Boolean(missing) && knownId !== null && !productsById.has(knownId);
    let product = knownId !== null ? productsById.get(knownId) : undefined;
    const adopting = knownId === null && productBySpace.has(space.id);
    if (adopting) product = productBySpace.get(space.id);
    const desired = desiredState(space, prices);
    let snapshot: StripeSnapshot | null = null;
    if (product) {
      claimed.add(product.id);
      snapshot = snapshotFromStripe(product, pricesByProduct.get(product.id) ?? [], prices);
    } else if (knownId !== null && space.stripe_snapshot && !gone) {
      // Known product not in the listing (its managed_by was removed?): plan against what we last wrote.
      snapshot = space.stripe_snapshot;
    }
    const deleted = space.deleted_at !== null && space.deleted_at !== undefined;
    const operations = deleted
      ? snapshot
        ? planDeactivate(snapshot, null)
        : []
      : planSpaceSync(desired, snapshot, { spaceId: space.id, version: space.version });
    entries.push({
      kind: entryKind(operations, { adopting, deleted, hasProduct: snapshot !== null, gone }),
      spaceId: space.id,
      productId: snapshot?.productId ?? knownId,
      name: space.name,
      version: space.version,
      changes: describeChanges(operations, snapshot, deleted ? null : desired),
      operations,
      snapshot,
    });
  }

  // Managed products no live space stands for: the space is gone, or a duplicate.
  for (const product of productsById.values()) {
    if (claimed.has(product.id)) continue;
    const snapshot = snapshotFromStripe(product, pricesByProduct.get(product.id) ?? []);
    const operations = planDeactivate(snapshot, null);
    if (operations.length === 0) continue; // already archived with all its prices
    entries.push({
      kind: 'archive_orphan',
      spaceId: product.metadata.space_id || null,
      productId: product.id,
      name: product.name,
      version: null,
      changes: describeChanges(operations, snapshot, null),
      operations,
      snapshot,
    });
  }

  const totals = Object.fromEntries(CATALOG_ENTRY_KINDS.map((k) => [k, 0])) as Record<CatalogEntryKind, number>;
  let calls = 0;
  for (const entry of entries) {
    totals[entry.kind] += 1;
    calls += entry.operations.length;
  }
  return { entries, totals, calls };
}

function entryKind(
  operations: readonly Operation[],
  flags: { adopting: boolean; deleted: boolean; hasProduct: boolean; gone: boolean },
): CatalogEntryKind {
  if (flags.deleted) return operations.length === 0 ? 'unchanged' : 'archive_orphan';
  if (flags.adopting) return 'adopt';
  if (operations.length === 0) return 'unchanged';
  if (!flags.hasProduct) return flags.gone ? 'recreate' : 'create';
  if (operations.some((op) => op.kind === 'create_price' && op.replacesPriceId !== null)) return 'reprice';
  return 'update';
}

