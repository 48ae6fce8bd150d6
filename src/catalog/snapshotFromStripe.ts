/**
 * Live Stripe objects → snapshot, so the planner can diff against what Stripe really holds
 * (drift made in the dashboard) or rebuild a lost snapshot.
 *
 * List prices with `expand: ['data.currency_options']`; without it Stripe omits currency_options
 * and they are left out of the comparison.
 */
import type Stripe from 'stripe';
import { normalizeCurrencyOptions } from './desiredState.ts';
import { stringMetadata } from './metadata.ts';
import type { SnapshotPrice, StripeSnapshot } from './snapshot.ts';
import type { RecurringInterval, TaxBehavior } from './types.ts';

const TAX: ReadonlySet<string> = new Set(['inclusive', 'exclusive', 'unspecified']);

export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : value.id;
}

export function snapshotPriceFromStripe(price: Stripe.Price): SnapshotPrice {
  const out: SnapshotPrice = {
    priceId: price.id,
    unit_amount: price.unit_amount ?? null,
    currency: price.currency,
    recurring: price.recurring
      ? { interval: price.recurring.interval as RecurringInterval, interval_count: price.recurring.interval_count }
      : null,
    tax_behavior: (price.tax_behavior && TAX.has(price.tax_behavior) ? price.tax_behavior : 'unspecified') as TaxBehavior,
    nickname: price.nickname ? price.nickname : null,
    lookup_key: price.lookup_key ? price.lookup_key : null,
    metadata: stringMetadata(price.metadata),
    active: price.active,
  };
  if (price.currency_options) {
    const options: Record<string, { unit_amount: number }> = {};
    for (const [cur, opt] of Object.entries(price.currency_options)) {
      if (typeof opt.unit_amount === 'number') options[cur] = { unit_amount: opt.unit_amount };
    }
    out.currency_options = normalizeCurrencyOptions(options, price.currency);
  }
  return out;
}

export interface RowRef {
  id: string;
  lookup_key: string | null;
}

/**
 * Builds the snapshot of `product` from its prices (prices of other products are ignored).
 * A price stands for a row by `metadata.space_price_id`, else by `lookup_key` when `rows` are given
 * (with `rows`, a space_price_id naming no row does not count). When several prices claim a row,
 * the active one wins, then the product's default, then the holder of the lookup key, then the newest;
 * the others, and prices claiming no row, are orphans.
 */
export function snapshotFromStripe(
  product: Stripe.Product,
  prices: readonly Stripe.Price[],
  rows?: readonly RowRef[],
): StripeSnapshot {
  const defaultPriceId = idOf(product.default_price);
  const rowIds = rows ? new Set(rows.map((r) => r.id)) : null;
  const rowByKey = new Map<string, string>();
  for (const r of rows ?? []) if (r.lookup_key) rowByKey.set(r.lookup_key, r.id);

  const candidates = new Map<string, Stripe.Price[]>();
  const orphans: Stripe.Price[] = [];
  for (const price of prices) {
    if (idOf(price.product) !== product.id) continue;
    const claimed = price.metadata?.space_price_id;
    let rowId: string | null = null;
    if (claimed && (!rowIds || rowIds.has(claimed))) rowId = claimed;
    else if (price.lookup_key && rowByKey.has(price.lookup_key)) rowId = rowByKey.get(price.lookup_key) ?? null;
    if (rowId === null) {
      orphans.push(price);
      continue;
    }
    const list = candidates.get(rowId);
    if (list) list.push(price);
    else candidates.set(rowId, [price]);
  }

  const snapshotPrices: Record<string, SnapshotPrice> = {};
  for (const rowId of [...candidates.keys()].sort()) {
    const list = candidates.get(rowId) ?? [];
    if (list.length > 1) {
      const key = rows?.find((r) => r.id === rowId)?.lookup_key ?? null;
      const rank = (p: Stripe.Price): number[] => [
        p.active ? 0 : 1,
        p.id === defaultPriceId ? 0 : 1,
        p.lookup_key && p.lookup_key === key ? 0 : 1,
        -p.created,
      ];
      list.sort((a, b) => {
        const ra = rank(a);
        const rb = rank(b);
        for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
        return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
      });
    }
    snapshotPrices[rowId] = snapshotPriceFromStripe(list[0]);
    for (let i = 1; i < list.length; i++) orphans.push(list[i]);
  }

  const snapshot: StripeSnapshot = {
    productId: product.id,
    product: {
      name: product.name,
      description: product.description ? product.description : null,
      images: [...(product.images ?? [])],
      active: product.active,
      metadata: stringMetadata(product.metadata),
      defaultPriceId,
    },
    prices: snapshotPrices,
  };
  if (orphans.length > 0) snapshot.orphanPrices = orphans.map(snapshotPriceFromStripe);
  return snapshot;
}
