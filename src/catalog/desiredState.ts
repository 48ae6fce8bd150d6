/**
 * Space (+ price rows) → the Stripe product and prices it should have. Pure and deterministic:
 * empty values are omitted the same way every time, metadata values are strings, keys sorted,
 * so that comparing with a snapshot is stable.
 */
import { MANAGED_BY, isReservedMetadataKey, sortedMap, stringMetadata, type StringMap } from './metadata.ts';
import {
  isLivePrice,
  isLiveSpace,
  type CurrencyOptions,
  type PriceContent,
  type RecurringInterval,
  type SpaceContent,
  type TaxBehavior,
  type Timestamp,
} from './types.ts';

export interface Recurring {
  interval: RecurringInterval;
  interval_count: number;
}

export interface DesiredProduct {
  name: string;
  /** null when the space has no (or a blank) description: omitted on create, unset ('') on update. */
  description: string | null;
  images: string[];
  /** The space is active and not deleted. */
  active: boolean;
  metadata: StringMap;
}

export interface DesiredPrice {
  rowId: string;
  unit_amount: number;
  currency: string;
  recurring: Recurring | null;
  tax_behavior: TaxBehavior;
  /** Extra currencies, without the price's own currency, keys sorted. */
  currency_options: CurrencyOptions;
  nickname: string | null;
  lookup_key: string | null;
  metadata: StringMap;
  isDefault: boolean;
}

export interface DesiredState {
  spaceId: string;
  product: DesiredProduct;
  /** Live price rows only, in display order (position, created_at, id); exactly one isDefault when any. */
  prices: DesiredPrice[];
}

export function desiredProduct(space: SpaceContent): DesiredProduct {
  const metadata: StringMap = {};
  const own = stringMetadata(space.metadata);
  for (const key of Object.keys(own)) if (!isReservedMetadataKey(key)) metadata[key] = own[key];
  metadata.space_id = space.id;
  metadata.managed_by = MANAGED_BY;
  if (space.kind) metadata.kind = space.kind;
  if (space.capacity !== null && space.capacity !== undefined) metadata.capacity = String(space.capacity);
  if (space.location) metadata.location = space.location;
  const description = space.description && space.description.trim() !== '' ? space.description : null;
  return {
    name: space.name,
    description,
    images: [...(space.images ?? [])],
    active: isLiveSpace(space),
    metadata: sortedMap(metadata),
  };
}

function timeOf(t: Timestamp | null | undefined): number {
  if (t === null || t === undefined) return 0;
  if (t instanceof Date) return t.getTime();
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : ms;
}

/** Display order, also the order that picks the fallback default: position, created_at, id. */
export function comparePriceRows(a: PriceContent, b: PriceContent): number {
  return (
    a.position - b.position ||
    timeOf(a.created_at) - timeOf(b.created_at) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Live rows in display order. */
export function livePriceRows<T extends PriceContent>(prices: readonly T[]): T[] {
  return prices.filter(isLivePrice).sort(comparePriceRows);
}

/** The row that is the product's default price: the live is_default row, else the earliest live row. */
export function defaultPriceRowId(prices: readonly PriceContent[]): string | null {
  const live = livePriceRows(prices);
  if (live.length === 0) return null;
  return (live.find((p) => p.is_default) ?? live[0]).id;
}

export function normalizeCurrencyOptions(
  options: CurrencyOptions | null | undefined,
  currency: string,
): CurrencyOptions {
  const out: CurrencyOptions = {};
  if (!options) return out;
  for (const key of Object.keys(options).sort()) {
    const amount = options[key]?.unit_amount;
    if (key === currency || typeof amount !== 'number') continue;
    out[key] = { unit_amount: amount };
  }
  return out;
}

export function desiredPrices(space: Pick<SpaceContent, 'id'>, prices: readonly PriceContent[]): DesiredPrice[] {
  const live = livePriceRows(prices);
  const defaultId = live.length === 0 ? null : (live.find((p) => p.is_default) ?? live[0]).id;
  return live.map((row) => ({
    rowId: row.id,
    unit_amount: row.unit_amount,
    currency: row.currency,
    recurring: row.recurring_interval
      ? { interval: row.recurring_interval, interval_count: row.recurring_interval_count ?? 1 }
      : null,
    tax_behavior: row.tax_behavior ?? 'unspecified',
    currency_options: normalizeCurrencyOptions(row.currency_options, row.currency),
    nickname: row.nickname ? row.nickname : null,
    lookup_key: row.lookup_key ? row.lookup_key : null,
    metadata: sortedMap({
      managed_by: MANAGED_BY,
      pricing_type: row.pricing_type,
      space_id: space.id,
      space_price_id: row.id,
    }),
    isDefault: row.id === defaultId,
  }));
}

export function desiredState(space: SpaceContent, prices: readonly PriceContent[]): DesiredState {
  return { spaceId: space.id, product: desiredProduct(space), prices: desiredPrices(space, prices) };
}
