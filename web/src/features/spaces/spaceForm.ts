// The space form's values (what the inputs hold: amounts as typed, in major units) and their
// conversion to the API's SpaceInput (minor units via toMinorUnits), validated by the shared
// spaceInputSchema. Messages come from the catalog's `messages` in the UI's locale, keyed by the
// same dotted paths the API uses in its 400 `fields`, mapped onto the form's inputs.
import { toNestErrors } from '@hookform/resolvers';
import type { FieldErrors, Resolver } from 'react-hook-form';
import type { I18n } from '../../i18n/useI18n.tsx';
import { currencyDecimals, fromMinorUnits, toMinorUnits, type RecurringInterval, type TaxBehavior } from '../../lib/catalog.ts';
import { fieldErrors, LIMITS, spaceInputSchema, type PriceInput, type SpaceInput } from '../../lib/validation.ts';
import type { Price, Space } from './types.ts';

export type Billing = 'one_time' | RecurringInterval;

export interface PriceFormValues {
  id?: string;
  stripe_price_id?: string | null;
  pricing_type: string;
  /** As typed, in major units: "12.50" or "12,50". */
  amount: string;
  currency: string;
  billing: Billing;
  recurring_interval_count: string;
  tax_behavior: TaxBehavior;
  is_default: boolean;
  // Kept as loaded (no input): sent back unchanged so an edit does not lose them.
  active: boolean;
  nickname: string | null;
  lookup_key?: string;
  currency_options: Record<string, { unit_amount: number }>;
}

export interface SpaceFormValues {
  name: string;
  description: string;
  kind: string;
  capacity: string;
  location: string;
  currency: string;
  active: boolean;
  images: { url: string }[];
  prices: PriceFormValues[];
  metadata: Record<string, string>;
}

/** Pricing types in the order a new row takes them: the first one no other row of the currency uses. */
const NEW_ROW_TYPES = ['hourly', 'half_day', 'daily', 'weekly', 'monthly'] as const;

export function newPrice(currency: string, isDefault: boolean, others: ReadonlyArray<Pick<PriceFormValues, 'pricing_type' | 'currency'>> = []): PriceFormValues {
  const used = new Set(others.filter((p) => p.currency === currency).map((p) => p.pricing_type));
  const pricingType = NEW_ROW_TYPES.find((t) => !used.has(t)) ?? 'hourly';
  return {
    pricing_type: pricingType,
    amount: '',
    currency,
    billing: pricingType === 'monthly' ? 'month' : 'one_time',
    recurring_interval_count: '1',
    tax_behavior: 'unspecified',
    is_default: isDefault,
    active: true,
    nickname: null,
    currency_options: {},
  };
}

export const emptySpaceForm = (): SpaceFormValues => ({
  name: '',
  description: '',
  kind: 'meeting_room',
  capacity: '',
  location: '',
  currency: 'eur',
  active: true,
  images: [],
  prices: [newPrice('eur', true)],
  metadata: {},
});

function priceToForm(p: Price): PriceFormValues {
  return {
    id: p.id,
    stripe_price_id: p.stripe_price_id,
    pricing_type: p.pricing_type,
    amount: fromMinorUnits(p.unit_amount, p.currency),
    currency: p.currency,
    billing: p.recurring_interval ?? 'one_time',
    recurring_interval_count: String(p.recurring_interval_count ?? 1),
    tax_behavior: p.tax_behavior,
    is_default: p.is_default,
    active: p.active,
    nickname: p.nickname,
    lookup_key: p.lookup_key || undefined,
    currency_options: p.currency_options ?? {},
  };
}

export function spaceToForm(space: Space): SpaceFormValues {
  const prices = [...space.prices].sort((a, b) => a.position - b.position).map(priceToForm);
  // The API makes the earliest price the default when none is flagged: show it as such.
  if (prices.length > 0 && !prices.some((p) => p.is_default)) prices[0].is_default = true;
  return {
    name: space.name,
    description: space.description ?? '',
    kind: space.kind,
    capacity: space.capacity === null ? '' : String(space.capacity),
    location: space.location ?? '',
    currency: space.currency,
    active: space.active,
    images: space.images.map((url) => ({ url })),
    prices,
    metadata: space.metadata ?? {},
  };
}

const blankToNull = (v: string) => (v.trim() === '' ? null : v);

function amountExample(currency: string, locale: string): string {
  const decimals = currencyDecimals(currency);
  const sep = locale === 'fr' ? ',' : '.';
  return decimals === 0 ? '1200' : `12${sep}${'50'.padEnd(decimals, '0')}`;
}

/** Form values → SpaceInput; amounts that cannot be read come back as errors on `prices.N.amount`. */
export function toSpaceInput(values: SpaceFormValues, i18n: Pick<I18n, 't' | 'locale'>): { input: SpaceInput; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const prices = values.prices.map((p, i): PriceInput => {
    let unitAmount = 0;
    if (p.amount.trim() === '') {
      errors[`prices.${i}.amount`] = i18n.t('form.amountRequired');
    } else {
      try {
        unitAmount = toMinorUnits(p.amount, p.currency);
      } catch {
        errors[`prices.${i}.amount`] = i18n.t('form.amountInvalid', {
          decimals: currencyDecimals(p.currency),
          currency: p.currency.toUpperCase(),
          example: amountExample(p.currency, i18n.locale),
        });
      }
    }
    const recurring = p.billing !== 'one_time';
    return {
      ...(p.id ? { id: p.id } : {}),
      pricing_type: p.pricing_type as PriceInput['pricing_type'],
      unit_amount: unitAmount,
      currency: p.currency,
      recurring_interval: p.billing === 'one_time' ? null : p.billing,
      recurring_interval_count: recurring ? (p.recurring_interval_count.trim() === '' ? Number.NaN : Number(p.recurring_interval_count)) : 1,
      tax_behavior: p.tax_behavior,
      currency_options: p.currency_options ?? {},
      nickname: p.nickname ?? null,
      is_default: p.is_default,
      active: p.active ?? true,
      ...(p.lookup_key ? { lookup_key: p.lookup_key } : {}),
      position: i,
    };
  });
  const input: SpaceInput = {
    name: values.name,
    description: blankToNull(values.description),
    kind: values.kind as SpaceInput['kind'],
    capacity: values.capacity.trim() === '' ? null : Number(values.capacity),
    location: blankToNull(values.location),
    images: values.images.map((img) => img.url.trim()),
    currency: values.currency,
    active: values.active,
    metadata: values.metadata ?? {},
    prices,
  };
  return { input, errors };
}

/** A dotted path of the schema / API (`prices.0.unit_amount`) → the form input that shows it. */
export function formPath(path: string): string {
  const parts = path.split('.');
  if (parts[0] === 'images') return parts.length === 1 ? 'images.root' : `images.${parts[1]}.url`;
  if (parts[0] === 'prices') {
    if (parts.length === 1) return 'prices.root';
    const [, index, field] = parts;
    const map: Record<string, string> = {
      unit_amount: 'amount',
      recurring_interval: 'billing',
      recurring_interval_count: 'recurring_interval_count',
      pricing_type: 'pricing_type',
      currency: 'currency',
      tax_behavior: 'tax_behavior',
      is_default: 'is_default',
    };
    const target = field ? map[field] : undefined;
    return target && parts.length === 3 ? `prices.${index}.${target}` : `prices.${index}.root`;
  }
  if (['name', 'description', 'kind', 'capacity', 'location', 'currency', 'active'].includes(parts[0]) && parts.length === 1) return parts[0];
  return 'root.server';
}

/** The shared schema as a react-hook-form resolver, with messages in the UI's language. */
/** Messages written for people where the shared schema speaks of fields and minor units. */
function humanMessages(flat: Record<string, string>, values: SpaceFormValues, input: SpaceInput, i18n: I18n): void {
  // A price without a currency takes its space's (the form always sends one).
  const currencyOf = (price: { currency?: string }): string => price.currency ?? input.currency ?? values.currency;
  for (const key of Object.keys(flat)) {
    if (key === 'name' && values.name.trim() === '') flat.name = i18n.t('form.nameRequired');
    const m = key.match(/^prices\.(\d+)\.(amount)$/);
    if (!m) continue;
    const i = Number(m[1]);
    const prices = input.prices ?? [];
    const price = prices[i];
    if (!price) continue;
    if (m[2] === 'amount' && price.unit_amount > LIMITS.unitAmountMax) {
      flat[key] = i18n.t('form.amountTooLarge', { max: i18n.formatAmount(LIMITS.unitAmountMax, currencyOf(price)) });
    }
  }
  // Two rows alike: the message names what they share, in words, on every such row.
  const prices = input.prices ?? [];
  prices.forEach((price, i) => {
    const same = prices.some(
      (o, j) => j !== i && o.pricing_type === price.pricing_type && o.currency === price.currency && (o.recurring_interval ?? null) === (price.recurring_interval ?? null),
    );
    if (!same) return;
    const message = i18n.t('form.priceDuplicate', {
      type: i18n.t(`pricing.${price.pricing_type}` as 'pricing.hourly').toLowerCase(),
      currency: currencyOf(price).toUpperCase(),
      billing: price.recurring_interval ? i18n.t('form.everyInterval', { interval: i18n.t(`interval.${price.recurring_interval}`) }) : i18n.t('form.oneTime'),
    });
    let placed = false;
    for (const key of Object.keys(flat)) {
      if (key.startsWith(`prices.${i}.`) && !key.endsWith('.amount')) {
        flat[key] = message;
        placed = true;
      }
    }
    if (placed) return;
    if (flat['prices.root']) flat['prices.root'] = message;
  });
}

export function spaceFormResolver(i18n: I18n): Resolver<SpaceFormValues, unknown, SpaceInput> {
  return async (values, _context, options) => {
    const { input, errors: amountErrors } = toSpaceInput(values, i18n);
    const result = spaceInputSchema.safeParse(input);
    const flat: Record<string, string> = {};
    if (!result.success) {
      for (const [path, message] of Object.entries(fieldErrors(result.error, i18n.locale))) {
        const target = formPath(path);
        if (target === 'root.server' && flat[target]) flat[target] += ` ${message}`;
        else flat[target] ??= message;
      }
    }
    // An unreadable amount was sent as 0 to the schema: its own message is the one to show.
    Object.assign(flat, amountErrors);
    humanMessages(flat, values, input, i18n);
    if (Object.keys(flat).length === 0 && result.success) return { values: input, errors: {} };
    const errors: FieldErrors = {};
    for (const [path, message] of Object.entries(flat)) errors[path] = { type: 'validate', message };
    return { values: {}, errors: toNestErrors(errors, options) };
  };
}
