// Price fields spacesync manages (the mutable ones: active, nickname, lookup_key, metadata,
// tax_behavior) and the ones that define what a price sells (immutable, for recognising our own).
import type Stripe from 'stripe';
import { desiredPrices, snapshotPriceList, stringMetadata, type DesiredPrice, type SnapshotPrice } from '../../catalog/index.ts';
import type { ManagedSpace } from './findManagedSpace.ts';
import type { DriftField } from './types.ts';

export interface PriceView {
  active: boolean;
  nickname: string | null;
  lookup_key: string | null;
  metadata: Record<string, string>;
  tax_behavior: string;
}

export function priceView(price: Stripe.Price): PriceView {
  return {
    active: price.active,
    nickname: price.nickname ? price.nickname : null,
    lookup_key: price.lookup_key ? price.lookup_key : null,
    metadata: stringMetadata(price.metadata),
    tax_behavior: price.tax_behavior ?? 'unspecified',
  };
}

const FIELDS = ['active', 'nickname', 'lookup_key', 'metadata', 'tax_behavior'] as const;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sorted(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(map).sort().map((k) => [k, map[k]]));
}

export function priceDifferences(stripe: PriceView, expected: PriceView): Array<(typeof FIELDS)[number]> {
  return FIELDS.filter((f) => (f === 'metadata' ? !same(sorted(stripe.metadata), sorted(expected.metadata)) : !same(stripe[f], expected[f])));
}

export function snapshotPriceOf(managed: ManagedSpace, priceId: string): SnapshotPrice | undefined {
  return managed.snapshot ? snapshotPriceList(managed.snapshot).find((p) => p.priceId === priceId) : undefined;
}

export function snapshotPriceView(p: SnapshotPrice): PriceView {
  return { active: p.active, nickname: p.nickname, lookup_key: p.lookup_key, metadata: p.metadata, tax_behavior: p.tax_behavior };
}

/** What the catalog wants of this Stripe price: its row's desired price, or archived when it stands for no live row. */
export function desiredPriceOf(managed: ManagedSpace, price: Stripe.Price): DesiredPrice | null {
  const rowId = price.metadata?.space_price_id;
  const desired = desiredPrices(managed.space, managed.prices).find((d) => d.rowId === rowId);
  if (!desired) return null;
  // The row's current Stripe price is this one, or (sync in flight) it sells exactly what the row says.
  const row = managed.prices.find((r) => r.id === rowId);
  if (row?.stripe_price_id && row.stripe_price_id !== price.id && !sellsSame(price, desired)) return null;
  return desired;
}

export function desiredPriceView(desired: DesiredPrice | null): PriceView | null {
  if (!desired) return null;
  return { active: true, nickname: desired.nickname, lookup_key: desired.lookup_key, metadata: desired.metadata, tax_behavior: desired.tax_behavior };
}

/** Same amount, currency and recurrence: the immutable part of a price. */
export function sellsSame(price: Stripe.Price, desired: DesiredPrice): boolean {
  const recurring = price.recurring ? { interval: price.recurring.interval, interval_count: price.recurring.interval_count } : null;
  return price.unit_amount === desired.unit_amount && price.currency === desired.currency && same(recurring, desired.recurring);
}

export function priceDriftFields(stripe: PriceView, snapshot: PriceView | null, desired: PriceView | null): DriftField[] {
  const want: PriceView = desired ?? { ...(snapshot ?? stripe), active: false };
  const fromDesired = new Set(priceDifferences(stripe, want));
  return priceDifferences(stripe, snapshot ?? want)
    .filter((f) => fromDesired.has(f))
    .map((field) => ({ field, catalog: want[field], stripe: stripe[field] }));
}
