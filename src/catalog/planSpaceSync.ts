/**
 * Desired state + snapshot → the ordered, minimal list of Stripe calls that makes Stripe match.
 *
 * Order within a plan:
 *   1. create_product (new space), or for an existing product: create / unarchive / update prices;
 *   2. one update_product carrying every product change, including the default_price move;
 *   3. archive_price for replaced, removed and orphan prices.
 * So the product's default price is always moved (or unset) before it is archived, and a new price
 * exists and is active before it becomes the default.
 *
 * A new space with k prices costs k + 1 calls, not k: products.create takes the default price as
 * `default_price_data`, which accepts no `lookup_key` and no `nickname`, so one update_price follows
 * to set them on that price. It is skipped when the default price has neither (then k calls).
 */
import type { DesiredPrice, DesiredProduct, DesiredState, Recurring } from './desiredState.ts';
import { metadataPatch } from './metadata.ts';
import {
  PRODUCT_REF,
  priceRef,
  type CreatePriceParams,
  type CreateProductParams,
  type Operation,
  type PriceRef,
  type UpdatePriceParams,
  type UpdateProductParams,
} from './operations.ts';
import { productIdFor } from './productId.ts';
import type { SnapshotPrice, SnapshotProduct, StripeSnapshot } from './snapshot.ts';
import type { CurrencyOptions } from './types.ts';

export interface PlanContext {
  spaceId: string;
  version: number;
}

export function planSpaceSync(desired: DesiredState, snapshot: StripeSnapshot | null, ctx: PlanContext): Operation[] {
  if (desired.spaceId !== ctx.spaceId) {
    throw new Error(`planSpaceSync: desired state is for space ${desired.spaceId}, context for ${ctx.spaceId}`);
  }
  if (snapshot === null) return desired.product.active ? planCreate(desired) : [];
  if (!desired.product.active) return planDeactivate(snapshot, desired.product);
  return planUpdate(desired, snapshot);
}

function planCreate(desired: DesiredState): Operation[] {
  const ops: Operation[] = [];
  const def = desired.prices.find((p) => p.isDefault) ?? null;
  const id = productIdFor(desired.spaceId);
  const params: CreateProductParams = { ...(id !== null ? { id } : {}), name: desired.product.name, metadata: desired.product.metadata };
  if (desired.product.description !== null) params.description = desired.product.description;
  if (desired.product.images.length > 0) params.images = desired.product.images;
  if (def) {
    params.default_price_data = {
      currency: def.currency,
      unit_amount: def.unit_amount,
      ...(def.recurring ? { recurring: def.recurring } : {}),
      tax_behavior: def.tax_behavior,
      ...(hasKeys(def.currency_options) ? { currency_options: def.currency_options } : {}),
      metadata: def.metadata,
    };
  }
  ops.push({ kind: 'create_product', defaultRowId: def?.rowId ?? null, params });
  if (def && (def.lookup_key !== null || def.nickname !== null)) {
    const update: UpdatePriceParams = {};
    if (def.lookup_key !== null) {
      update.lookup_key = def.lookup_key;
      update.transfer_lookup_key = true;
    }
    if (def.nickname !== null) update.nickname = def.nickname;
    ops.push({ kind: 'update_price', rowId: def.rowId, priceId: priceRef(def.rowId), params: update });
  }
  for (const p of desired.prices) {
    if (p !== def) ops.push(createPriceOp(p, PRODUCT_REF, null));
  }
  return ops;
}

/** Archives the product (unsetting its default price) and every active price it has. */
export function planDeactivate(snapshot: StripeSnapshot, product: DesiredProduct | null): Operation[] {
  const ops: Operation[] = [];
  const params: UpdateProductParams = product ? productChanges(product, snapshot.product) : {};
  if (snapshot.product.defaultPriceId !== null) params.default_price = '';
  if (snapshot.product.active) {
    ops.push({ kind: 'archive_product', productId: snapshot.productId, params: { ...params, active: false } });
  } else if (hasKeys(params)) {
    ops.push({ kind: 'update_product', productId: snapshot.productId, params });
  }
  const seen = new Set<string>();
  for (const [rowId, price] of sortedEntries(snapshot.prices)) {
    if (price.active && !seen.has(price.priceId)) ops.push(archiveOp(price.priceId, rowId));
    seen.add(price.priceId);
  }
  for (const price of snapshot.orphanPrices ?? []) {
    if (price.active && !seen.has(price.priceId)) ops.push(archiveOp(price.priceId, null));
    seen.add(price.priceId);
  }
  return ops;
}

function planUpdate(desired: DesiredState, snapshot: StripeSnapshot): Operation[] {
  const priceOps: Operation[] = [];
  const archives: Operation[] = [];
  const keep = new Set<string>(); // Stripe price ids that stand for a desired row after the plan
  const toArchive: Array<[priceId: string, rowId: string | null]> = [];
  const archive = (priceId: string, rowId: string | null) => toArchive.push([priceId, rowId]);
  let defaultTarget: string | PriceRef | null = null;

  for (const d of desired.prices) {
    const s = snapshot.prices[d.rowId];
    let target: string | PriceRef;
    if (!s) {
      priceOps.push(createPriceOp(d, snapshot.productId, null));
      target = priceRef(d.rowId);
    } else if (needsReprice(d, s)) {
      priceOps.push(createPriceOp(d, snapshot.productId, s.priceId));
      target = priceRef(d.rowId);
      if (s.active) archive(s.priceId, d.rowId);
    } else {
      const params = priceChanges(d, s);
      if (params) priceOps.push({ kind: 'update_price', rowId: d.rowId, priceId: s.priceId, params });
      target = s.priceId;
      keep.add(s.priceId);
    }
    if (d.isDefault) defaultTarget = target;
  }

  const desiredRows = new Set(desired.prices.map((p) => p.rowId));
  for (const [rowId, price] of sortedEntries(snapshot.prices)) {
    if (price.active && !desiredRows.has(rowId)) archive(price.priceId, rowId);
  }
  for (const price of snapshot.orphanPrices ?? []) if (price.active) archive(price.priceId, null);
  const archived = new Set<string>(keep); // never archive a price that stays, nor one twice
  for (const [priceId, rowId] of toArchive) {
    if (archived.has(priceId)) continue;
    archived.add(priceId);
    archives.push(archiveOp(priceId, rowId));
  }

  const params = productChanges(desired.product, snapshot.product);
  if (!snapshot.product.active) params.active = true;
  if (defaultTarget === null) {
    if (snapshot.product.defaultPriceId !== null) params.default_price = '';
  } else if (typeof defaultTarget !== 'string' || defaultTarget !== snapshot.product.defaultPriceId) {
    params.default_price = defaultTarget;
  }
  const productOps: Operation[] = hasKeys(params)
    ? [{ kind: 'update_product', productId: snapshot.productId, params }]
    : [];
  return [...priceOps, ...productOps, ...archives];
}

/** Product fields that differ (not active, not default_price). */
export function productChanges(d: DesiredProduct, s: SnapshotProduct): UpdateProductParams {
  const params: UpdateProductParams = {};
  if (d.name !== s.name) params.name = d.name;
  if (d.description !== (s.description ?? null)) params.description = d.description ?? '';
  if (!arraysEqual(d.images, s.images)) params.images = d.images.length > 0 ? d.images : '';
  const metadata = metadataPatch(s.metadata, d.metadata);
  if (metadata) params.metadata = metadata;
  return params;
}

/** True when the price must be replaced: Stripe cannot change amount, currency, interval, or a set tax behavior. */
export function needsReprice(d: DesiredPrice, s: SnapshotPrice): boolean {
  return (
    s.unit_amount !== d.unit_amount ||
    s.currency !== d.currency ||
    !recurringEqual(d.recurring, s.recurring) ||
    (s.tax_behavior !== d.tax_behavior && s.tax_behavior !== 'unspecified')
  );
}

/** The update_price params for the mutable differences, or null when there are none. */
export function priceChanges(d: DesiredPrice, s: SnapshotPrice): UpdatePriceParams | null {
  const params: UpdatePriceParams = {};
  if (!s.active) params.active = true;
  const metadata = metadataPatch(s.metadata, d.metadata);
  if (metadata) params.metadata = metadata;
  if ((s.nickname ?? null) !== d.nickname) params.nickname = d.nickname ?? '';
  if (d.lookup_key !== null && s.lookup_key !== d.lookup_key) {
    params.lookup_key = d.lookup_key;
    params.transfer_lookup_key = true;
  }
  if (s.tax_behavior !== d.tax_behavior) params.tax_behavior = d.tax_behavior; // from 'unspecified' only
  if (s.currency_options !== undefined && !currencyOptionsEqual(d.currency_options, s.currency_options)) {
    params.currency_options = hasKeys(d.currency_options) ? d.currency_options : '';
  }
  return hasKeys(params) ? params : null;
}

function createPriceOp(d: DesiredPrice, product: string | typeof PRODUCT_REF, replaces: string | null): Operation {
  const params: CreatePriceParams = {
    product,
    currency: d.currency,
    unit_amount: d.unit_amount,
    ...(d.recurring ? { recurring: d.recurring } : {}),
    tax_behavior: d.tax_behavior,
    ...(hasKeys(d.currency_options) ? { currency_options: d.currency_options } : {}),
    ...(d.nickname !== null ? { nickname: d.nickname } : {}),
    ...(d.lookup_key !== null ? { lookup_key: d.lookup_key, transfer_lookup_key: true as const } : {}),
    metadata: d.metadata,
  };
  return { kind: 'create_price', rowId: d.rowId, replacesPriceId: replaces, params };
}

function archiveOp(priceId: string, rowId: string | null): Operation {
  return { kind: 'archive_price', rowId, priceId, params: { active: false } };
}

export function recurringEqual(a: Recurring | null, b: Recurring | null): boolean {
  if (a === null || b === null) return a === b;
  return a.interval === b.interval && a.interval_count === b.interval_count;
}

export function currencyOptionsEqual(a: CurrencyOptions, b: CurrencyOptions): boolean {
  const ak = Object.keys(a);
  if (ak.length !== Object.keys(b).length) return false;
  return ak.every((k) => b[k] !== undefined && b[k].unit_amount === a[k].unit_amount);
}

function arraysEqual(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

function sortedEntries<T>(record: Record<string, T>): Array<[string, T]> {
  return Object.keys(record)
    .sort()
    .map((k) => [k, record[k]]);
}
