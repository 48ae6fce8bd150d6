/**
 * Rows of `spaces` and `space_prices` as they come out of pg (snake_case, like the columns).
 * bigint columns (`version`, `synced_version`, `unit_amount`) are parsed to numbers by the db layer.
 */
import type { StripeSnapshot } from './snapshot.ts';

export const SPACE_KINDS = ['meeting_room', 'desk', 'office', 'venue', 'other'] as const;
export type SpaceKind = (typeof SPACE_KINDS)[number];

/** Known pricing types; the column is text and more may be added. */
export const PRICING_TYPES = ['hourly', 'half_day', 'daily', 'weekly', 'monthly'] as const;
export type PricingType = (typeof PRICING_TYPES)[number];

export const RECURRING_INTERVALS = ['day', 'week', 'month', 'year'] as const;
export type RecurringInterval = (typeof RECURRING_INTERVALS)[number];

/** Longest interval_count per interval: at most one year in total. */
export const MAX_INTERVAL_COUNT: Readonly<Record<RecurringInterval, number>> = {
  day: 365,
  week: 52,
  month: 12,
  year: 1,
};

export const TAX_BEHAVIORS = ['inclusive', 'exclusive', 'unspecified'] as const;
export type TaxBehavior = (typeof TAX_BEHAVIORS)[number];

export const SYNC_STATUSES = ['pending', 'syncing', 'synced', 'error', 'drift'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/** `{"usd": {"unit_amount": 1200}}`: extra currencies of a price. */
export type CurrencyOptions = Record<string, { unit_amount: number }>;

export type Timestamp = string | Date;

export interface SpaceRecord {
  id: string;
  name: string;
  description: string | null;
  kind: string;
  capacity: number | null;
  location: string | null;
  images: string[];
  currency: string;
  active: boolean;
  /** string→string in practice; SQL clients may store other JSON values, stringified on the way to Stripe. */
  metadata: Record<string, unknown>;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
  version: number;
  stripe_product_id: string | null;
  sync_status: SyncStatus;
  synced_version: number | null;
  last_synced_at: Timestamp | null;
  last_error: string | null;
  sync_attempt: number;
  stripe_snapshot: StripeSnapshot | null;
  drift: unknown;
}

export interface PriceRecord {
  id: string;
  space_id: string;
  pricing_type: string;
  unit_amount: number;
  currency: string;
  recurring_interval: RecurringInterval | null;
  recurring_interval_count: number;
  tax_behavior: TaxBehavior;
  currency_options: CurrencyOptions;
  nickname: string | null;
  is_default: boolean;
  position: number;
  active: boolean;
  /** NOT NULL in the database (a trigger fills it); null/'' is tolerated here and means "no lookup key". */
  lookup_key: string | null;
  stripe_price_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
}

/** The columns of a space the desired Stripe state depends on. */
export type SpaceContent = Pick<
  SpaceRecord,
  'id' | 'name' | 'description' | 'kind' | 'capacity' | 'location' | 'images' | 'active' | 'metadata' | 'deleted_at'
>;

/** The columns of a price row the desired Stripe state depends on. */
export type PriceContent = Pick<
  PriceRecord,
  | 'id'
  | 'pricing_type'
  | 'unit_amount'
  | 'currency'
  | 'recurring_interval'
  | 'recurring_interval_count'
  | 'tax_behavior'
  | 'currency_options'
  | 'nickname'
  | 'is_default'
  | 'position'
  | 'active'
  | 'lookup_key'
  | 'created_at'
  | 'deleted_at'
>;

/** A live space: not deleted and active. */
export function isLiveSpace(space: Pick<SpaceRecord, 'active' | 'deleted_at'>): boolean {
  return space.active && space.deleted_at == null;
}

/** A live price row: not deleted and active. */
export function isLivePrice(price: Pick<PriceRecord, 'active' | 'deleted_at'>): boolean {
  return price.active && price.deleted_at == null;
}
