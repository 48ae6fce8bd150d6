// /v1/prices: create, retrieve, update (only what Stripe allows), list; plus the price builder
// shared with products' `default_price_data`.
import { deepEqual } from './diff.ts';
import { invalidParam, invalidRequest, missingParam, resourceMissing } from './errors.ts';
import { renderPrice } from './expand.ts';
import { newId } from './ids.ts';
import { applyMetadata } from './metadata.ts';
import { paginate, readPageParams, type Page } from './pagination.ts';
import {
  assertKnown, bool, createdFilter, has, int, isEmpty, isObject, matchesCreated, obj, oneOf, str, strArr, type Input,
} from './params.ts';
import type { Store } from './store.ts';
import { nowSeconds, type Actor, type CurrencyOption, type CustomUnitAmount, type Price, type Product, type Recurring, type TaxBehavior } from './types.ts';

const TAX_BEHAVIORS = ['exclusive', 'inclusive', 'unspecified'] as const;
const INTERVALS = ['day', 'month', 'week', 'year'] as const;

export const PRICE_CREATE_KEYS = [
  'active', 'billing_scheme', 'currency', 'currency_options', 'custom_unit_amount', 'expand', 'lookup_key', 'metadata',
  'nickname', 'product', 'product_data', 'recurring', 'tax_behavior', 'tiers', 'tiers_mode', 'transfer_lookup_key',
  'transform_quantity', 'unit_amount', 'unit_amount_decimal',
] as const;
export const DEFAULT_PRICE_DATA_KEYS = [
  'currency', 'currency_options', 'custom_unit_amount', 'metadata', 'recurring', 'tax_behavior', 'unit_amount', 'unit_amount_decimal',
] as const;
export const PRICE_UPDATE_KEYS = [
  'active', 'currency_options', 'expand', 'lookup_key', 'metadata', 'nickname', 'tax_behavior', 'transfer_lookup_key',
] as const;

const p = (prefix: string, key: string) => (prefix ? `${prefix}[${key}]` : key);

export function readCurrency(input: Input, key: string, param: string): string {
  const c = str(input, key, param);
  if (c === undefined || c === '') throw missingParam(param);
  const lower = c.toLowerCase();
  if (!/^[a-z]{3}$/.test(lower)) throw invalidParam(`Invalid currency: ${c}.`, param);
  return lower;
}

function readCustomUnitAmount(input: Input, prefix: string): CustomUnitAmount | null {
  const cua = obj(input, 'custom_unit_amount', p(prefix, 'custom_unit_amount'));
  if (!cua) return null;
  const param = p(prefix, 'custom_unit_amount');
  assertKnown(cua, ['enabled', 'maximum', 'minimum', 'preset'], param);
  const enabled = bool(cua, 'enabled', `${param}[enabled]`);
  if (enabled === undefined) throw missingParam(`${param}[enabled]`);
  if (!enabled) return null;
  return {
    maximum: int(cua, 'maximum', `${param}[maximum]`) ?? null,
    minimum: int(cua, 'minimum', `${param}[minimum]`) ?? null,
    preset: int(cua, 'preset', `${param}[preset]`) ?? null,
  };
}

interface Amount {
  unit_amount: number | null;
  unit_amount_decimal: string | null;
  custom_unit_amount: CustomUnitAmount | null;
}

function readAmount(input: Input, prefix: string): Amount {
  const custom = readCustomUnitAmount(input, prefix);
  const amount = int(input, 'unit_amount', p(prefix, 'unit_amount'));
  const decimal = str(input, 'unit_amount_decimal', p(prefix, 'unit_amount_decimal'));
  if (amount !== undefined && decimal !== undefined) {
    throw invalidParam('You may only specify one of these parameters: unit_amount, unit_amount_decimal.', p(prefix, 'unit_amount'));
  }
  if (custom) {
    if (amount !== undefined || decimal !== undefined) {
      throw invalidParam('You may only specify one of these parameters: custom_unit_amount, unit_amount.', p(prefix, 'custom_unit_amount'));
    }
    return { unit_amount: null, unit_amount_decimal: null, custom_unit_amount: custom };
  }
  if (amount !== undefined) {
    if (amount < 0) throw invalidParam('This value must be greater than or equal to 0.', p(prefix, 'unit_amount'));
    return { unit_amount: amount, unit_amount_decimal: String(amount), custom_unit_amount: null };
  }
  if (decimal !== undefined) {
    if (!/^\d+(\.\d{1,12})?$/.test(decimal)) throw invalidParam(`Invalid decimal: ${decimal}`, p(prefix, 'unit_amount_decimal'));
    const normalized = decimal.includes('.') ? decimal.replace(/0+$/, '').replace(/\.$/, '') : decimal.replace(/^0+(?=\d)/, '');
    const whole = /^\d+$/.test(normalized);
    return { unit_amount: whole ? Number(normalized) : null, unit_amount_decimal: normalized, custom_unit_amount: null };
  }
  throw missingParam(p(prefix, 'unit_amount'));
}

function readRecurring(input: Input, prefix: string): Recurring | null {
  const r = obj(input, 'recurring', p(prefix, 'recurring'));
  if (!r) return null;
  const param = p(prefix, 'recurring');
  assertKnown(r, ['aggregate_usage', 'interval', 'interval_count', 'meter', 'trial_period_days', 'usage_type'], param);
  const interval = oneOf(r, 'interval', INTERVALS, `${param}[interval]`);
  if (!interval) throw missingParam(`${param}[interval]`);
  const count = int(r, 'interval_count', `${param}[interval_count]`) ?? 1;
  if (count < 1) throw invalidParam('Invalid interval_count: must be a positive integer', `${param}[interval_count]`);
  return {
    interval,
    interval_count: count,
    meter: str(r, 'meter', `${param}[meter]`) ?? null,
    trial_period_days: null,
    usage_type: oneOf(r, 'usage_type', ['licensed', 'metered'] as const, `${param}[usage_type]`) ?? 'licensed',
  };
}

function readCurrencyOptions(input: Input, prefix: string, ownCurrency: string, existing: Record<string, CurrencyOption> = {}): Record<string, CurrencyOption> {
  const param = p(prefix, 'currency_options');
  if (isEmpty(input, 'currency_options')) return {};
  const co = obj(input, 'currency_options', param);
  if (!co) return existing;
  const out: Record<string, CurrencyOption> = { ...existing };
  for (const [rawCurrency, value] of Object.entries(co)) {
    const cParam = `${param}[${rawCurrency}]`;
    const currency = rawCurrency.toLowerCase();
    if (!/^[a-z]{3}$/.test(currency)) throw invalidParam(`Invalid currency: ${rawCurrency}.`, cParam);
    if (currency === ownCurrency) {
      throw invalidParam(
        'You are specifying an update to a currency option that matches the top-level currency for this price. Please remove this currency option and update the top-level params instead.',
        cParam,
      );
    }
    if (value === '') {
      delete out[currency];
      continue;
    }
    if (!isObject(value)) throw invalidParam('Invalid object', cParam);
    assertKnown(value, ['custom_unit_amount', 'tax_behavior', 'tiers', 'unit_amount', 'unit_amount_decimal'], cParam);
    if (has(value, 'tiers')) throw invalidParam('The emulator does not support tiered prices.', `${cParam}[tiers]`);
    const amount = readAmount(value, cParam);
    out[currency] = { ...amount, tax_behavior: oneOf(value, 'tax_behavior', TAX_BEHAVIORS, `${cParam}[tax_behavior]`) ?? out[currency]?.tax_behavior ?? 'unspecified' };
  }
  return out;
}

/** Builds (validates) a new price record for `productId`; no side effects. */
export function buildPrice(input: Input, productId: string, prefix = ''): Price {
  if (has(input, 'billing_scheme') && oneOf(input, 'billing_scheme', ['per_unit', 'tiered'] as const, p(prefix, 'billing_scheme')) === 'tiered') {
    throw invalidParam('The emulator does not support tiered prices.', p(prefix, 'billing_scheme'));
  }
  if (has(input, 'tiers') || has(input, 'tiers_mode')) throw invalidParam('The emulator does not support tiered prices.', p(prefix, 'tiers'));
  const currency = readCurrency(input, 'currency', p(prefix, 'currency'));
  const amount = readAmount(input, prefix);
  const recurring = readRecurring(input, prefix);
  const lookupKey = str(input, 'lookup_key', p(prefix, 'lookup_key'), { max: 200 });
  const tq = obj(input, 'transform_quantity', p(prefix, 'transform_quantity'));
  let transform: Price['transform_quantity'] = null;
  if (tq) {
    const tqParam = p(prefix, 'transform_quantity');
    assertKnown(tq, ['divide_by', 'round'], tqParam);
    const divideBy = int(tq, 'divide_by', `${tqParam}[divide_by]`);
    const round = oneOf(tq, 'round', ['down', 'up'] as const, `${tqParam}[round]`);
    if (divideBy === undefined) throw missingParam(`${tqParam}[divide_by]`);
    if (!round) throw missingParam(`${tqParam}[round]`);
    transform = { divide_by: divideBy, round };
  }
  const now = nowSeconds();
  return {
    id: newId('price'),
    object: 'price',
    active: bool(input, 'active', p(prefix, 'active')) ?? true,
    billing_scheme: 'per_unit',
    created: now,
    currency,
    currency_options: readCurrencyOptions(input, prefix, currency),
    custom_unit_amount: amount.custom_unit_amount,
    livemode: false,
    lookup_key: lookupKey || null,
    metadata: applyMetadata({}, (input as Record<string, unknown>).metadata, p(prefix, 'metadata')),
    nickname: str(input, 'nickname', p(prefix, 'nickname')) || null,
    product: productId,
    recurring,
    tax_behavior: oneOf(input, 'tax_behavior', TAX_BEHAVIORS, p(prefix, 'tax_behavior')) ?? 'unspecified',
    tiers_mode: null,
    transform_quantity: transform,
    type: recurring ? 'recurring' : 'one_time',
    unit_amount: amount.unit_amount,
    unit_amount_decimal: amount.unit_amount_decimal,
  };
}

/** Finds who holds `key` (other than `selfId`) and refuses unless the key is being transferred. */
export function lookupKeyHolder(store: Store, key: string | null, selfId: string, transfer: boolean): Price | undefined {
  if (!key) return undefined;
  const holderId = store.lookupKeys.get(key);
  if (!holderId || holderId === selfId) return undefined;
  if (!transfer) throw invalidRequest(`A price (\`${holderId}\`) already uses that lookup key.`, 'lookup_key');
  return store.prices.get(holderId);
}

/** Clears the lookup key of its current holder (a `price.updated` event for it). */
export function releaseLookupKey(store: Store, holder: Price | undefined, actor: Actor): void {
  if (!holder) return;
  const next: Price = { ...holder, lookup_key: null };
  store.replacePrice(next);
  store.events.emitUpdate('price', holder, next, actor, (x) => renderPrice(store, x));
}

export function insertPrice(store: Store, price: Price, actor: Actor, holder?: Price): void {
  releaseLookupKey(store, holder, actor);
  store.insertPrice(price);
  store.events.emit('price.created', renderPrice(store, price), actor);
}

export function createPrice(store: Store, input: Input, actor: Actor, createProductFromData: (data: Record<string, unknown>) => Product): Price {
  assertKnown(input, PRICE_CREATE_KEYS);
  const productId = str(input, 'product');
  const productData = obj(input, 'product_data');
  if (productId && productData) throw invalidParam('You may only specify one of these parameters: product, product_data.', 'product');
  if (!productId && !productData) throw missingParam('product');
  if (productId && !store.products.has(productId)) throw resourceMissing('product', productId, 'product');
  // Validate everything before writing anything.
  const price = buildPrice(input, productId ?? 'prod_pending');
  const holder = lookupKeyHolder(store, price.lookup_key, price.id, bool(input, 'transfer_lookup_key') ?? false);
  const product = productData ? createProductFromData(productData) : undefined;
  const finalPrice = product ? { ...price, product: product.id } : price;
  insertPrice(store, finalPrice, actor, holder);
  return finalPrice;
}

export function getPrice(store: Store, id: string, param = 'price'): Price {
  const price = store.prices.get(id);
  if (!price) throw resourceMissing('price', id, param);
  return price;
}

export function updatePrice(store: Store, id: string, input: Input, actor: Actor): Price {
  const before = getPrice(store, id);
  assertKnown(input, PRICE_UPDATE_KEYS);
  const next: Price = { ...before };
  const active = bool(input, 'active');
  if (active !== undefined) {
    if (!active && before.active && store.products.get(before.product)?.default_price === before.id) {
      throw invalidRequest('This price cannot be archived because it is the default price of its product.', 'active');
    }
    next.active = active;
  }
  if (has(input, 'metadata')) next.metadata = applyMetadata(before.metadata, (input as Record<string, unknown>).metadata);
  if (has(input, 'nickname')) next.nickname = str(input, 'nickname') || null;
  if (has(input, 'lookup_key')) next.lookup_key = str(input, 'lookup_key', 'lookup_key', { max: 200 }) || null;
  const taxBehavior = oneOf(input, 'tax_behavior', TAX_BEHAVIORS);
  if (taxBehavior !== undefined && taxBehavior !== before.tax_behavior) {
    if (before.tax_behavior !== 'unspecified') {
      throw invalidRequest(
        `This price's tax_behavior is already set to \`${before.tax_behavior}\` and cannot be changed. tax_behavior can only be updated when it is \`unspecified\`.`,
        'tax_behavior',
      );
    }
    next.tax_behavior = taxBehavior as TaxBehavior;
  }
  if (has(input, 'currency_options')) next.currency_options = readCurrencyOptions(input, '', before.currency, before.currency_options);
  const holder = lookupKeyHolder(store, next.lookup_key, id, bool(input, 'transfer_lookup_key') ?? false);
  if (deepEqual(next, before)) return before; // nothing changed: no write, no event
  releaseLookupKey(store, holder, actor);
  store.replacePrice(next);
  store.events.emitUpdate('price', before, next, actor, (x) => renderPrice(store, x));
  return next;
}

/**
 * Deletes a price, as Stripe's dashboard allows for a price that was never used (there is no API
 * call for it). Refused for the product's default price, which must be changed first. The
 * `price.deleted` event carries the price as it was (like `product.deleted`); the answer is
 * Stripe's `deleted_price` shape.
 */
export function deletePrice(store: Store, id: string, actor: Actor): { id: string; object: 'price'; deleted: true } {
  const price = getPrice(store, id, 'id');
  if (store.products.get(price.product)?.default_price === id) {
    throw invalidRequest('This price cannot be deleted because it is the default price of its product. Set another default price first.');
  }
  const rendered = renderPrice(store, price);
  store.removePrice(id);
  store.events.emit('price.deleted', rendered, actor);
  return { id, object: 'price', deleted: true };
}

const PRICE_LIST_KEYS = [
  'active', 'created', 'currency', 'ending_before', 'expand', 'limit', 'lookup_keys', 'product', 'recurring', 'starting_after', 'type',
] as const;

export function listPrices(store: Store, input: Input): Page<Price> {
  assertKnown(input, PRICE_LIST_KEYS);
  const page = readPageParams(input);
  const active = bool(input, 'active');
  const created = createdFilter(input);
  const currency = str(input, 'currency')?.toLowerCase();
  const product = str(input, 'product');
  const type = oneOf(input, 'type', ['one_time', 'recurring'] as const);
  const lookupKeys = strArr(input, 'lookup_keys');
  if (lookupKeys && lookupKeys.length > 10) throw invalidParam('You can pass up to 10 lookup keys.', 'lookup_keys');
  const lk = lookupKeys ? new Set(lookupKeys) : undefined;
  const rec = obj(input, 'recurring');
  let interval: string | undefined;
  let usageType: string | undefined;
  let meter: string | undefined;
  if (rec) {
    assertKnown(rec, ['interval', 'meter', 'usage_type'], 'recurring');
    interval = oneOf(rec, 'interval', INTERVALS, 'recurring[interval]');
    usageType = oneOf(rec, 'usage_type', ['licensed', 'metered'] as const, 'recurring[usage_type]');
    meter = str(rec, 'meter', 'recurring[meter]');
  }
  return paginate(store.prices, 'price', page, (x) => {
    if (active !== undefined && x.active !== active) return false;
    if (!matchesCreated(x.created, created)) return false;
    if (currency && x.currency !== currency) return false;
    if (product && x.product !== product) return false;
    if (type && x.type !== type) return false;
    if (lk && (!x.lookup_key || !lk.has(x.lookup_key))) return false;
    if (rec) {
      if (!x.recurring) return false;
      if (interval && x.recurring.interval !== interval) return false;
      if (usageType && x.recurring.usage_type !== usageType) return false;
      if (meter && x.recurring.meter !== meter) return false;
    }
    return true;
  });
}
