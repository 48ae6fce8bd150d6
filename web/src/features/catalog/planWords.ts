// A plan's changes in words. The catalog core names fields as Stripe does (`default_price`,
// `metadata.kind`, `price hourly.lookup_key`) and writes amounts in minor units ("1000 eur / month
// (default)"): here they become "Default price", "Kind (metadata)", "Price · Hourly · Lookup key" and
// "€10.00 / month (default)". Only amount fields are read as money: any other text stays as typed.
import type { I18n, MessageKey } from '../../i18n/useI18n.tsx';
import type { ChangeValue } from '../../lib/catalog.ts';

const PRODUCT_FIELDS = ['product', 'name', 'description', 'images', 'active', 'default_price'] as const;
const PRICE_PROPS = ['active', 'nickname', 'lookup_key', 'tax_behavior', 'currency_options'] as const;
const METADATA_KEYS = ['kind', 'capacity', 'location', 'space_id', 'managed_by', 'pricing_type', 'price_row_id'] as const;
const PRICING_TYPES = ['hourly', 'half_day', 'daily', 'weekly', 'monthly'] as const;
const INTERVALS = ['day', 'week', 'month', 'year'] as const;

type Words = Pick<I18n, 't' | 'formatAmount'>;

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

function metadataLabel(words: Words, key: string): string {
  const name = isOneOf(METADATA_KEYS, key) ? words.t(`catalog.metadata.${key}` as MessageKey) : key;
  return words.t('catalog.field.metadata', { key: name });
}

function priceLabel(words: Words, type: string): string {
  return words.t('catalog.field.price', { type: isOneOf(PRICING_TYPES, type) ? words.t(`pricing.${type}`) : type });
}

/** "metadata.kind" → "Kind (metadata)"; "price hourly.lookup_key" → "Price · Hourly · Lookup key". */
export function fieldLabel(words: Words, field: string): string {
  if (isOneOf(PRODUCT_FIELDS, field)) return words.t(`catalog.field.${field}`);
  if (field === 'orphan price') return words.t('catalog.field.orphanPrice');
  if (field.startsWith('metadata.')) return metadataLabel(words, field.slice('metadata.'.length));
  const price = /^price ([^.]+)(?:\.(.+))?$/.exec(field);
  if (price) {
    const [, type, prop] = price;
    const label = priceLabel(words, type);
    if (prop === undefined) return label;
    if (prop.startsWith('metadata.')) return `${label} · ${metadataLabel(words, prop.slice('metadata.'.length))}`;
    return `${label} · ${isOneOf(PRICE_PROPS, prop) ? words.t(`catalog.priceField.${prop}`) : prop}`;
  }
  return field;
}

/** Fields whose values are amounts ("1000 eur / month"): a price, the default price, an orphan price. */
export function isAmountField(field: string): boolean {
  return field === 'default_price' || field === 'orphan price' || /^price [^.]+$/.test(field);
}

const AMOUNT = /^(\d+) ([a-z]{3})(?: \/ (?:(\d+) )?(day|week|month|year)s?)?(?: \((default|[^)]+)\))?$/;

export type ValueWords =
  | { kind: 'none' }
  | { kind: 'archived' }
  | { kind: 'text'; text: string };

/** A value as it reads: money on amount fields, Yes/No, kinds and pricing types in words, else as is. */
export function valueWords(words: Words, field: string, value: ChangeValue): ValueWords {
  if (value === null) return { kind: 'none' };
  if (value === 'archived') return { kind: 'archived' };
  if (typeof value === 'boolean') return { kind: 'text', text: words.t(value ? 'common.yes' : 'common.no') };
  const text = String(value);
  if (isAmountField(field)) {
    const m = AMOUNT.exec(text);
    if (m) {
      const [, minor, currency, count, interval, note] = m;
      let out = words.formatAmount(Number(minor), currency);
      if (interval && isOneOf(INTERVALS, interval)) {
        out += ' ' + (count && count !== '1' ? words.t('interval.perCount', { count, interval: words.t(`interval.${interval}`) }) : words.t('interval.per', { interval: words.t(`interval.${interval}`) }));
      }
      if (note === 'default') out += ` (${words.t('catalog.defaultPrice')})`;
      else if (note) out += ` (${note})`;
      return { kind: 'text', text: out };
    }
    return { kind: 'text', text };
  }
  if (field.endsWith('metadata.kind') && isOneOf(['meeting_room', 'desk', 'office', 'venue', 'other'] as const, text)) return { kind: 'text', text: words.t(`kind.${text}`) };
  if (field.endsWith('metadata.pricing_type') && isOneOf(PRICING_TYPES, text)) return { kind: 'text', text: words.t(`pricing.${text}`) };
  return { kind: 'text', text };
}
