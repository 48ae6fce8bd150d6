/**
 * Validation of a space with its prices, shared by the API (400 with fieldErrors) and the admin form.
 * Limits are the database constraints (see the schema contract) and Stripe's. Every rule adds an issue
 * with `params.code` (a stable ErrorCode) and an English message; see fieldErrors / messages.
 */
import './zodConfig.ts';
import { z } from 'zod';
import { MAX_UNIT_AMOUNT, isStripeCurrency } from './currencies.ts';
import { formatMessage, type ErrorCode, type MessageVars } from './messages.ts';
import {
  MAX_SPACE_METADATA_KEYS,
  STRIPE_METADATA_KEY_MAX,
  STRIPE_METADATA_VALUE_MAX,
  isReservedMetadataKey,
} from './metadata.ts';
import { textProblem } from './storableText.ts';
import { MAX_INTERVAL_COUNT, PRICING_TYPES, RECURRING_INTERVALS, SPACE_KINDS, TAX_BEHAVIORS } from './types.ts';

export const LIMITS = {
  nameMax: 250,
  descriptionMax: 5000,
  capacityMin: 1,
  capacityMax: 100_000,
  locationMax: 500,
  imagesMax: 8,
  imageUrlMax: 2048,
  pricesMax: 20,
  nicknameMax: 250,
  lookupKeyMax: 200,
  unitAmountMax: MAX_UNIT_AMOUNT,
  metadataKeysMax: MAX_SPACE_METADATA_KEYS,
  metadataKeyMax: STRIPE_METADATA_KEY_MAX,
  metadataValueMax: STRIPE_METADATA_VALUE_MAX,
  /** Postgres integer. */
  positionMax: 2_147_483_647,
} as const;

interface Ctx {
  addIssue(issue: { code: 'custom'; message: string; params: Record<string, unknown>; path: PropertyKey[] }): void;
}

/** Adds a custom issue carrying its code; `path` is relative to the refined value. */
function fail(ctx: Ctx, code: ErrorCode, vars: MessageVars = {}, path: PropertyKey[] = []): void {
  ctx.addIssue({ code: 'custom', message: formatMessage(code, vars), params: { code, ...vars }, path });
}

/** Message for a wrong or missing value of a field (zod's invalid_type issues). */
export function typeMessage(field: string, expected: string, missing: boolean): string {
  return missing ? formatMessage('required', { field }) : formatMessage('invalid_type', { field, expected });
}

function typed(field: string, expected: string) {
  return { error: (iss: { input?: unknown }) => typeMessage(field, expected, iss.input === undefined) };
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T, field: string, code: ErrorCode) {
  return z.enum(values, {
    error: (iss) =>
      iss.input === undefined ? typeMessage(field, 'string', true) : formatMessage(code, { allowed: values.join(', ') }),
  });
}

const wholeNumber = (field: string) => z.number(typed(field, 'number'));

/** A string Postgres can store (no NUL, no unpaired surrogate): the first check of every text field. */
const text = (field: string) =>
  z.string(typed(field, 'string')).superRefine((v, ctx) => {
    if (textProblem(v)) fail(ctx, 'text_unstorable', { field });
  });

const isHttpUrl = (value: string): boolean => {
  if (value.length > LIMITS.imageUrlMax) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false; // not a URL at all
  }
};

export const currencySchema = z.string(typed('currency', 'string')).superRefine((v, ctx) => {
  if (!isStripeCurrency(v)) fail(ctx, 'currency_invalid', { currency: v });
});

export const unitAmountSchema = wholeNumber('unit_amount').superRefine((v, ctx) => {
  if (!Number.isInteger(v) || v < 0) fail(ctx, 'unit_amount_invalid');
  else if (v > LIMITS.unitAmountMax) fail(ctx, 'unit_amount_too_large', { max: LIMITS.unitAmountMax });
});

export const metadataSchema = z
  .record(text('metadata'), text('metadata'), typed('metadata', 'record'))
  .superRefine((map, ctx) => {
    const keys = Object.keys(map);
    if (keys.length > LIMITS.metadataKeysMax) fail(ctx, 'metadata_too_many_keys', { max: LIMITS.metadataKeysMax });
    for (const key of keys) {
      if (key.length === 0 || key.length > LIMITS.metadataKeyMax || /[[\]]/.test(key)) {
        fail(ctx, 'metadata_key_invalid', { key, max: LIMITS.metadataKeyMax }, [key]);
      } else if (isReservedMetadataKey(key)) {
        fail(ctx, 'metadata_key_reserved', { key }, [key]);
      } else if (map[key] === '') {
        fail(ctx, 'metadata_value_empty', { key }, [key]);
      } else if (map[key].length > LIMITS.metadataValueMax) {
        fail(ctx, 'metadata_value_too_long', { key, max: LIMITS.metadataValueMax }, [key]);
      }
    }
  });

export const currencyOptionsSchema = z
  .record(
    z.string(),
    z.object({ unit_amount: unitAmountSchema }, typed('currency_options', 'object')),
    typed('currency_options', 'record'),
  )
  .superRefine((map, ctx) => {
    for (const key of Object.keys(map)) {
      if (!isStripeCurrency(key)) fail(ctx, 'currency_options_currency_invalid', { currency: key }, [key]);
    }
  });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const priceInputSchema = z
  .object({
    id: z
      .string(typed('id', 'string'))
      .superRefine((v, ctx) => {
        if (!UUID.test(v)) fail(ctx, 'price_id_invalid');
      })
      .optional(),
    pricing_type: oneOf(PRICING_TYPES, 'pricing_type', 'pricing_type_invalid'),
    unit_amount: unitAmountSchema,
    /** Optional: a price without one takes its space's currency (the database fills it). */
    currency: currencySchema.optional(),
    recurring_interval: oneOf(RECURRING_INTERVALS, 'recurring_interval', 'recurring_interval_invalid')
      .nullable()
      .default(null),
    recurring_interval_count: wholeNumber('recurring_interval_count').default(1),
    tax_behavior: oneOf(TAX_BEHAVIORS, 'tax_behavior', 'tax_behavior_invalid').default('unspecified'),
    currency_options: currencyOptionsSchema.default({}),
    nickname: text('nickname')
      .superRefine((v, ctx) => {
        if (v.length > LIMITS.nicknameMax) fail(ctx, 'nickname_too_long', { max: LIMITS.nicknameMax });
      })
      .nullable()
      .default(null),
    is_default: z.boolean(typed('is_default', 'boolean')).default(false),
    active: z.boolean(typed('active', 'boolean')).default(true),
    /** Optional: the database fills a stable default. */
    lookup_key: text('lookup_key')
      .superRefine((v, ctx) => {
        if (v.length === 0 || v.length > LIMITS.lookupKeyMax) fail(ctx, 'lookup_key_invalid', { max: LIMITS.lookupKeyMax });
      })
      .optional(),
    /** Optional display order. */
    position: wholeNumber('position')
      .superRefine((v, ctx) => {
        if (!Number.isInteger(v) || v < 0 || v > LIMITS.positionMax) fail(ctx, 'position_invalid', { max: LIMITS.positionMax });
      })
      .optional(),
  }, typed('price', 'object'))
  .superRefine((price, ctx) => {
    const count = price.recurring_interval_count;
    if (price.recurring_interval !== null) {
      const max = MAX_INTERVAL_COUNT[price.recurring_interval];
      if (!Number.isInteger(count) || count < 1 || count > max) {
        fail(ctx, 'interval_count_invalid', { max, interval: price.recurring_interval }, ['recurring_interval_count']);
      }
    } else if (!Number.isInteger(count) || count < 1) {
      fail(ctx, 'interval_count_invalid', { max: 1, interval: 'one-time' }, ['recurring_interval_count']);
    }
    if (price.currency !== undefined && price.currency in price.currency_options) {
      fail(ctx, 'currency_options_same_currency', { currency: price.currency }, ['currency_options', price.currency]);
    }
  });

export type PriceInput = z.input<typeof priceInputSchema>;
export type PriceValues = z.output<typeof priceInputSchema>;

/** Same pricing_type, currency and recurrence: two live prices would sell the same thing. */
function liveKey(p: PriceValues): string {
  return [p.pricing_type, p.currency, p.recurring_interval ?? 'once', p.recurring_interval ? p.recurring_interval_count : 1].join('|');
}

export const pricesSchema = z
  .array(priceInputSchema, typed('prices', 'array'))
  .superRefine((prices, ctx) => {
    if (prices.length > LIMITS.pricesMax) fail(ctx, 'prices_too_many', { max: LIMITS.pricesMax });
    let defaults = 0;
    const seen = new Set<string>();
    prices.forEach((p, i) => {
      if (p.is_default && ++defaults > 1) fail(ctx, 'prices_multiple_defaults', {}, [i, 'is_default']);
      if (!p.active) return;
      const key = liveKey(p);
      if (seen.has(key)) {
        fail(ctx, 'prices_duplicate', { pricing_type: p.pricing_type, currency: p.currency ?? '' }, [i, 'pricing_type']);
      }
      seen.add(key);
    });
  });

export const spaceInputSchema = z.object({
  name: text('name').superRefine((v, ctx) => {
    if (v.trim() === '') fail(ctx, 'name_required');
    else if (v.length > LIMITS.nameMax) fail(ctx, 'name_too_long', { max: LIMITS.nameMax });
  }),
  description: text('description')
    .superRefine((v, ctx) => {
      if (v.length > LIMITS.descriptionMax) fail(ctx, 'description_too_long', { max: LIMITS.descriptionMax });
    })
    .nullable()
    .default(null),
  kind: oneOf(SPACE_KINDS, 'kind', 'kind_invalid').default('meeting_room'),
  capacity: wholeNumber('capacity')
    .superRefine((v, ctx) => {
      if (!Number.isInteger(v) || v < LIMITS.capacityMin || v > LIMITS.capacityMax) {
        fail(ctx, 'capacity_invalid', { min: LIMITS.capacityMin, max: LIMITS.capacityMax });
      }
    })
    .nullable()
    .default(null),
  location: text('location')
    .superRefine((v, ctx) => {
      if (v.length > LIMITS.locationMax) fail(ctx, 'location_too_long', { max: LIMITS.locationMax });
    })
    .nullable()
    .default(null),
  images: z
    .array(
      text('images').superRefine((v, ctx) => {
        if (!isHttpUrl(v)) fail(ctx, 'image_url_invalid', { max: LIMITS.imageUrlMax });
      }),
      typed('images', 'array'),
    )
    .superRefine((v, ctx) => {
      if (v.length > LIMITS.imagesMax) fail(ctx, 'images_too_many', { max: LIMITS.imagesMax });
    })
    .default([]),
  currency: currencySchema.default('eur'),
  active: z.boolean(typed('active', 'boolean')).default(true),
  metadata: metadataSchema.default({}),
  prices: pricesSchema.default([]),
}, typed('space', 'object'));

export type SpaceInput = z.input<typeof spaceInputSchema>;
export type SpaceValues = z.output<typeof spaceInputSchema>;
