/**
 * The snapshot: what spacesync last wrote to Stripe for one space, stored as jsonb in
 * `spaces.stripe_snapshot`. The same shape is built from live Stripe objects (snapshotFromStripe),
 * so the planner diffs against either.
 */
import { z } from 'zod';
import type { Recurring } from './desiredState.ts';
import type { StringMap } from './metadata.ts';
import { RECURRING_INTERVALS, TAX_BEHAVIORS, type CurrencyOptions, type TaxBehavior } from './types.ts';

export interface SnapshotProduct {
  name: string;
  description: string | null;
  images: string[];
  active: boolean;
  metadata: StringMap;
  defaultPriceId: string | null;
}

export interface SnapshotPrice {
  priceId: string;
  /** null only for prices made elsewhere (tiered, customer-chosen amount): always repriced. */
  unit_amount: number | null;
  currency: string;
  recurring: Recurring | null;
  tax_behavior: TaxBehavior;
  /** Extra currencies (own currency excluded). Absent = unknown (Stripe lists it only when expanded): not compared. */
  currency_options?: CurrencyOptions;
  nickname: string | null;
  lookup_key: string | null;
  metadata: StringMap;
  active: boolean;
}

export interface StripeSnapshot {
  productId: string;
  product: SnapshotProduct;
  /** Keyed by `space_prices.id`: the Stripe price currently standing for that row. */
  prices: Record<string, SnapshotPrice>;
  /**
   * Prices of the product that stand for no row: replaced by a reprice and not yet archived,
   * or found in Stripe without a matching row. Active ones are archived by the next plan.
   */
  orphanPrices?: SnapshotPrice[];
}

const stringMap = z.record(z.string(), z.string());
const recurring = z.object({ interval: z.enum(RECURRING_INTERVALS), interval_count: z.number().int() }).nullable();
const snapshotPrice = z.object({
  priceId: z.string(),
  unit_amount: z.number().int().nullable(),
  currency: z.string(),
  recurring,
  tax_behavior: z.enum(TAX_BEHAVIORS),
  currency_options: z.record(z.string(), z.object({ unit_amount: z.number().int() })).optional(),
  nickname: z.string().nullable(),
  lookup_key: z.string().nullable(),
  metadata: stringMap,
  active: z.boolean(),
});

export const stripeSnapshotSchema = z.object({
  productId: z.string(),
  product: z.object({
    name: z.string(),
    description: z.string().nullable(),
    images: z.array(z.string()),
    active: z.boolean(),
    metadata: stringMap,
    defaultPriceId: z.string().nullable(),
  }),
  prices: z.record(z.string(), snapshotPrice),
  orphanPrices: z.array(snapshotPrice).optional(),
});

/**
 * Reads `spaces.stripe_snapshot`. null/undefined → null (never synced). A value of another shape
 * throws, naming the problem: the caller should then rebuild it with snapshotFromStripe.
 */
export function parseSnapshot(value: unknown): StripeSnapshot | null {
  if (value === null || value === undefined) return null;
  const parsed = stripeSnapshotSchema.safeParse(value);
  if (!parsed.success) {
    throw new Error(
      `stripe_snapshot has an unexpected shape (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}): ` +
        'rebuild it from Stripe with snapshotFromStripe',
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

/** Every price the snapshot knows, row prices first. */
export function snapshotPriceList(snapshot: StripeSnapshot): SnapshotPrice[] {
  return [...Object.values(snapshot.prices), ...(snapshot.orphanPrices ?? [])];
}
