// /v1/products: create (with default_price_data), retrieve, update (incl. default_price), list, delete.
import { deepEqual } from './diff.ts';
import { invalidParam, invalidRequest, missingParam, resourceMissing } from './errors.ts';
import { newId } from './ids.ts';
import { applyMetadata } from './metadata.ts';
import { paginate, readPageParams, type Page } from './pagination.ts';
import {
  arr, assertKnown, bool, createdFilter, has, isEmpty, isObject, matchesCreated, num, obj, oneOf, str, strArr, type Input,
} from './params.ts';
import { buildPrice, DEFAULT_PRICE_DATA_KEYS, getPrice, insertPrice } from './prices.ts';
import type { Store } from './store.ts';
import { nowSeconds, type Actor, type PackageDimensions, type Product } from './types.ts';

const CREATE_KEYS = [
  'active', 'default_price_data', 'description', 'expand', 'id', 'images', 'marketing_features', 'metadata', 'name',
  'package_dimensions', 'shippable', 'statement_descriptor', 'tax_code', 'tax_details', 'type', 'unit_label', 'url',
] as const;
const UPDATE_KEYS = [
  'active', 'default_price', 'description', 'expand', 'images', 'marketing_features', 'metadata', 'name',
  'package_dimensions', 'shippable', 'statement_descriptor', 'tax_code', 'tax_details', 'unit_label', 'url',
] as const;
/** `product_data` on price creation. */
const PRODUCT_DATA_KEYS = ['active', 'id', 'metadata', 'name', 'statement_descriptor', 'tax_code', 'unit_label'] as const;

function readImages(input: Input): string[] {
  if (isEmpty(input, 'images')) return [];
  const images = strArr(input, 'images') ?? [];
  if (images.length > 8) throw invalidParam('You can provide at most 8 images.', 'images');
  return images;
}

function readFeatures(input: Input): { name: string }[] {
  if (isEmpty(input, 'marketing_features')) return [];
  const items = arr(input, 'marketing_features') ?? [];
  if (items.length > 15) throw invalidParam('You can provide at most 15 marketing features.', 'marketing_features');
  return items.map((item, i) => {
    const param = `marketing_features[${i}]`;
    if (!isObject(item)) throw invalidParam('Invalid object', param);
    assertKnown(item, ['name'], param);
    const name = str(item, 'name', `${param}[name]`);
    if (!name) throw missingParam(`${param}[name]`);
    return { name };
  });
}

function readDimensions(input: Input): PackageDimensions | null {
  if (isEmpty(input, 'package_dimensions')) return null;
  const d = obj(input, 'package_dimensions');
  if (!d) return null;
  assertKnown(d, ['height', 'length', 'weight', 'width'], 'package_dimensions');
  const get = (k: 'height' | 'length' | 'weight' | 'width') => {
    const v = num(d, k, `package_dimensions[${k}]`);
    if (v === undefined) throw missingParam(`package_dimensions[${k}]`);
    return v;
  };
  return { height: get('height'), length: get('length'), weight: get('weight'), width: get('width') };
}

const emptyable = (input: Input, key: string, max?: number): string | null => str(input, key, key, { max }) || null;

function readName(input: Input): string {
  const name = str(input, 'name', 'name', { max: 5000 });
  if (name === undefined) throw missingParam('name');
  if (name.trim() === '') throw invalidParam('You must specify a non-empty value for name.', 'name');
  return name;
}

/** Validates and builds a product record; no side effects. */
function buildProduct(store: Store, input: Input, allowed: readonly string[], prefix = ''): Product {
  assertKnown(input, allowed, prefix);
  const name = readName(input);
  const id = str(input, 'id');
  if (id !== undefined) {
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(id)) throw invalidParam(`Invalid id: ${id}`, 'id');
    if (store.products.has(id)) throw invalidRequest('Product already exists.', 'id', 'resource_already_exists');
  }
  const now = nowSeconds();
  return {
    id: id || newId('prod'),
    object: 'product',
    active: bool(input, 'active') ?? true,
    created: now,
    default_price: null,
    description: emptyable(input, 'description', 40000),
    images: readImages(input),
    livemode: false,
    marketing_features: readFeatures(input),
    metadata: applyMetadata({}, (input as Record<string, unknown>).metadata),
    name,
    package_dimensions: readDimensions(input),
    shippable: bool(input, 'shippable') ?? null,
    statement_descriptor: emptyable(input, 'statement_descriptor', 22),
    tax_code: emptyable(input, 'tax_code'),
    type: oneOf(input, 'type', ['good', 'service'] as const) ?? 'service',
    unit_label: emptyable(input, 'unit_label', 12),
    updated: now,
    url: emptyable(input, 'url', 5000),
  };
}

export function createProduct(store: Store, input: Input, actor: Actor): Product {
  const product = buildProduct(store, input, CREATE_KEYS);
  const dpd = obj(input, 'default_price_data');
  if (dpd) {
    assertKnown(dpd, DEFAULT_PRICE_DATA_KEYS, 'default_price_data');
    const price = buildPrice(dpd, product.id, 'default_price_data');
    const withDefault: Product = { ...product, default_price: price.id };
    store.insertProduct(withDefault);
    store.events.emit('product.created', withDefault as unknown as Record<string, unknown>, actor);
    insertPrice(store, price, actor);
    return withDefault;
  }
  store.insertProduct(product);
  store.events.emit('product.created', product as unknown as Record<string, unknown>, actor);
  return product;
}

/** `product_data` of POST /v1/prices. */
export function createProductFromData(store: Store, data: Record<string, unknown>, actor: Actor): Product {
  const product = buildProduct(store, data, PRODUCT_DATA_KEYS, 'product_data');
  store.insertProduct(product);
  store.events.emit('product.created', product as unknown as Record<string, unknown>, actor);
  return product;
}

export function getProduct(store: Store, id: string, param = 'id'): Product {
  const product = store.products.get(id);
  if (!product) throw resourceMissing('product', id, param);
  return product;
}

export function updateProduct(store: Store, id: string, input: Input, actor: Actor): Product {
  const before = getProduct(store, id);
  assertKnown(input, UPDATE_KEYS);
  const next: Product = { ...before };
  if (has(input, 'name')) next.name = readName(input);
  const active = bool(input, 'active');
  if (active !== undefined) next.active = active;
  if (has(input, 'description')) next.description = emptyable(input, 'description', 40000);
  if (has(input, 'images')) next.images = readImages(input);
  if (has(input, 'marketing_features')) next.marketing_features = readFeatures(input);
  if (has(input, 'metadata')) next.metadata = applyMetadata(before.metadata, (input as Record<string, unknown>).metadata);
  if (has(input, 'package_dimensions')) next.package_dimensions = readDimensions(input);
  const shippable = bool(input, 'shippable');
  if (shippable !== undefined) next.shippable = shippable;
  if (has(input, 'statement_descriptor')) next.statement_descriptor = emptyable(input, 'statement_descriptor', 22);
  if (has(input, 'tax_code')) next.tax_code = emptyable(input, 'tax_code');
  if (has(input, 'unit_label')) next.unit_label = emptyable(input, 'unit_label', 12);
  if (has(input, 'url')) next.url = emptyable(input, 'url', 5000);
  if (has(input, 'default_price')) {
    const priceId = str(input, 'default_price');
    if (!priceId) next.default_price = null;
    else {
      const price = getPrice(store, priceId, 'default_price');
      if (price.product !== before.id) {
        throw invalidRequest(`The price \`${priceId}\` does not belong to this product (\`${before.id}\`).`, 'default_price');
      }
      if (!price.active) throw invalidRequest('The price specified is inactive. This field only accepts active prices.', 'default_price');
      next.default_price = priceId;
    }
  }
  if (deepEqual({ ...next, updated: 0 }, { ...before, updated: 0 })) return before; // nothing changed: no write, no event
  next.updated = nowSeconds();
  store.replaceProduct(next);
  store.events.emitUpdate('product', before, next, actor, (x) => x as unknown as Record<string, unknown>);
  return next;
}

export function deleteProduct(store: Store, id: string, actor: Actor): { id: string; object: 'product'; deleted: true } {
  const product = getProduct(store, id);
  if (store.priceCount(id) > 0) {
    throw invalidRequest('This product cannot be deleted because it has one or more user-created prices.');
  }
  store.removeProduct(id);
  store.events.emit('product.deleted', product as unknown as Record<string, unknown>, actor);
  return { id, object: 'product', deleted: true };
}

const LIST_KEYS = ['active', 'created', 'ending_before', 'expand', 'ids', 'limit', 'shippable', 'starting_after', 'url'] as const;

export function listProducts(store: Store, input: Input): Page<Product> {
  assertKnown(input, LIST_KEYS);
  const page = readPageParams(input);
  const active = bool(input, 'active');
  const shippable = bool(input, 'shippable');
  const url = str(input, 'url');
  const created = createdFilter(input);
  const ids = strArr(input, 'ids');
  const filter = (p: Product) =>
    (active === undefined || p.active === active) &&
    (shippable === undefined || p.shippable === shippable) &&
    (url === undefined || p.url === url) &&
    matchesCreated(p.created, created);
  if (ids) {
    if (page.startingAfter || page.endingBefore) {
      throw invalidParam('You cannot use `ids` with `starting_after` or `ending_before`.', 'ids');
    }
    const found = [...new Set(ids)]
      .map((i) => store.products.entry(i))
      .filter((e): e is NonNullable<typeof e> => e !== undefined && filter(e.obj))
      .sort((a, b) => b.seq - a.seq)
      .map((e) => e.obj);
    return { data: found.slice(0, page.limit), hasMore: found.length > page.limit };
  }
  return paginate(store.products, 'product', page, filter);
}

