/**
 * Snapshot + an operation + what Stripe returned → the new snapshot. The executor persists it after
 * every call, so a crash resumes from exactly what was written. Fields come from the params we sent
 * (that is what the snapshot records), ids from the result.
 */
import { applyMetadataPatch, sortedMap } from './metadata.ts';
import type { Operation, PriceRef } from './operations.ts';
import type { SnapshotPrice, StripeSnapshot } from './snapshot.ts';
import { idOf } from './snapshotFromStripe.ts';

/** The part of a Stripe.Product / Stripe.Price the snapshot needs. */
export interface StripeResult {
  id: string;
  default_price?: string | { id: string } | null;
}

export function applyResult(snapshot: StripeSnapshot | null, op: Operation, result: StripeResult): StripeSnapshot {
  if (op.kind === 'create_product') return afterCreateProduct(op, result);
  if (snapshot === null) throw new Error(`applyResult: ${op.kind} needs a snapshot (create the product first)`);
  const next = cloneSnapshot(snapshot);
  switch (op.kind) {
    case 'update_product':
    case 'archive_product': {
      const p = op.params;
      const product = next.product;
      if (p.name !== undefined) product.name = p.name;
      if (p.description !== undefined) product.description = p.description === '' ? null : p.description;
      if (p.images !== undefined) product.images = p.images === '' ? [] : [...p.images];
      if (p.active !== undefined) product.active = p.active;
      if (p.metadata !== undefined) product.metadata = applyMetadataPatch(product.metadata, p.metadata);
      if (p.default_price !== undefined) {
        product.defaultPriceId = p.default_price === '' ? null : priceIdOf(next, p.default_price);
      }
      break;
    }
    case 'create_price': {
      const p = op.params;
      const created: SnapshotPrice = {
        priceId: result.id,
        unit_amount: p.unit_amount,
        currency: p.currency,
        recurring: p.recurring ? { ...p.recurring } : null,
        tax_behavior: p.tax_behavior,
        currency_options: sortedMap(p.currency_options ?? {}),
        nickname: p.nickname ? p.nickname : null,
        lookup_key: p.lookup_key ? p.lookup_key : null,
        metadata: sortedMap(p.metadata),
        active: true,
      };
      if (created.lookup_key !== null) releaseLookupKey(next, created.lookup_key, result.id);
      const previous = next.prices[op.rowId];
      if (previous && previous.priceId !== result.id) addOrphan(next, previous);
      next.prices[op.rowId] = created;
      next.orphanPrices = next.orphanPrices?.filter((o) => o.priceId !== result.id);
      break;
    }
    case 'update_price':
    case 'archive_price': {
      const priceId = priceIdOf(next, op.priceId);
      const entry = findPrice(next, priceId);
      if (!entry) break; // a price we do not track: nothing to record
      const p = op.params;
      if (p.active !== undefined) entry.active = p.active;
      if (op.kind === 'update_price') {
        const u = op.params;
        if (u.metadata !== undefined) entry.metadata = applyMetadataPatch(entry.metadata, u.metadata);
        if (u.nickname !== undefined) entry.nickname = u.nickname === '' ? null : u.nickname;
        if (u.lookup_key !== undefined) {
          releaseLookupKey(next, u.lookup_key, priceId);
          entry.lookup_key = u.lookup_key === '' ? null : u.lookup_key;
        }
        if (u.tax_behavior !== undefined) entry.tax_behavior = u.tax_behavior;
        if (u.currency_options !== undefined) {
          entry.currency_options = u.currency_options === '' ? {} : sortedMap(u.currency_options);
        }
      }
      break;
    }
  }
  return tidy(next);
}

function afterCreateProduct(op: Extract<Operation, { kind: 'create_product' }>, result: StripeResult): StripeSnapshot {
  const p = op.params;
  const defaultPriceId = idOf(result.default_price);
  const snapshot: StripeSnapshot = {
    productId: result.id,
    product: {
      name: p.name,
      description: p.description ? p.description : null,
      images: [...(p.images ?? [])],
      active: true,
      metadata: sortedMap(p.metadata),
      defaultPriceId,
    },
    prices: {},
  };
  const data = p.default_price_data;
  if (data && op.defaultRowId !== null) {
    if (defaultPriceId === null) {
      throw new Error(`applyResult: product ${result.id} was created with default_price_data but has no default_price`);
    }
    snapshot.prices[op.defaultRowId] = {
      priceId: defaultPriceId,
      unit_amount: data.unit_amount,
      currency: data.currency,
      recurring: data.recurring ? { ...data.recurring } : null,
      tax_behavior: data.tax_behavior,
      currency_options: sortedMap(data.currency_options ?? {}),
      nickname: null,
      lookup_key: null,
      metadata: sortedMap(data.metadata),
      active: true,
    };
  }
  return snapshot;
}

/** Resolves a price id or a `price:<rowId>` ref against the snapshot. */
export function priceIdOf(snapshot: StripeSnapshot, id: string | PriceRef): string {
  if (typeof id === 'string') return id;
  const rowId = id.ref.slice('price:'.length);
  const entry = snapshot.prices[rowId];
  if (!entry) throw new Error(`unresolved ${id.ref}: no price was created for row ${rowId} earlier in the plan`);
  return entry.priceId;
}

function findPrice(snapshot: StripeSnapshot, priceId: string): SnapshotPrice | undefined {
  for (const entry of Object.values(snapshot.prices)) if (entry.priceId === priceId) return entry;
  return snapshot.orphanPrices?.find((o) => o.priceId === priceId);
}

/** transfer_lookup_key: the key leaves whichever other price held it. */
function releaseLookupKey(snapshot: StripeSnapshot, key: string, newHolder: string): void {
  for (const entry of Object.values(snapshot.prices)) {
    if (entry.lookup_key === key && entry.priceId !== newHolder) entry.lookup_key = null;
  }
  for (const entry of snapshot.orphanPrices ?? []) {
    if (entry.lookup_key === key && entry.priceId !== newHolder) entry.lookup_key = null;
  }
}

function addOrphan(snapshot: StripeSnapshot, price: SnapshotPrice): void {
  const list = (snapshot.orphanPrices ??= []);
  if (!list.some((o) => o.priceId === price.priceId)) list.push(price);
}

/** Archived orphans holding no lookup key need no more attention: drop them. */
function tidy(snapshot: StripeSnapshot): StripeSnapshot {
  if (snapshot.orphanPrices) {
    const rowPriceIds = new Set(Object.values(snapshot.prices).map((p) => p.priceId));
    snapshot.orphanPrices = snapshot.orphanPrices.filter(
      (o) => !rowPriceIds.has(o.priceId) && (o.active || o.lookup_key !== null),
    );
    if (snapshot.orphanPrices.length === 0) delete snapshot.orphanPrices;
  }
  return snapshot;
}

export function cloneSnapshot(snapshot: StripeSnapshot): StripeSnapshot {
  return structuredClone(snapshot);
}
