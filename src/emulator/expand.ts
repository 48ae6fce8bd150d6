// `expand[]`: parsing into a tree and rendering objects with expanded or included fields.
import { invalidRequest } from './errors.ts';
import { strArr, type Input } from './params.ts';
import type { Store } from './store.ts';
import type { Price, Product, WebhookEndpoint } from './types.ts';

export type ExpandTree = Map<string, ExpandTree>;
export const EMPTY_TREE: ExpandTree = new Map();
const MAX_DEPTH = 4;

export function parseExpand(input: Input): ExpandTree {
  const paths = strArr(input, 'expand');
  if (!paths || paths.length === 0) return EMPTY_TREE;
  const root: ExpandTree = new Map();
  for (const path of paths) {
    const parts = path.split('.');
    if (parts.length > MAX_DEPTH) {
      throw invalidRequest(`You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${path}`, 'expand', undefined, true);
    }
    let node = root;
    for (const part of parts) {
      let next = node.get(part);
      if (!next) node.set(part, (next = new Map()));
      node = next;
    }
  }
  return root;
}

export function cannotExpand(path: string): never {
  throw invalidRequest(`This property cannot be expanded (${path}).`, 'expand', undefined, true);
}

function checkKeys(tree: ExpandTree, allowed: readonly string[], prefix: string): void {
  for (const key of tree.keys()) if (!allowed.includes(key)) cannotExpand(prefix + key);
}

export function renderProduct(store: Store, p: Product, tree: ExpandTree = EMPTY_TREE, prefix = ''): Record<string, unknown> {
  if (tree.size === 0) return p as unknown as Record<string, unknown>;
  checkKeys(tree, ['default_price'], prefix);
  const sub = tree.get('default_price');
  if (!sub || p.default_price === null) return { ...p };
  const price = store.prices.get(p.default_price);
  return { ...p, default_price: price ? renderPrice(store, price, sub, `${prefix}default_price.`) : p.default_price };
}

export function renderPrice(store: Store, p: Price, tree: ExpandTree = EMPTY_TREE, prefix = ''): Record<string, unknown> {
  const { currency_options, ...rest } = p;
  if (tree.size === 0) return rest;
  checkKeys(tree, ['product', 'currency_options', 'tiers'], prefix);
  const out: Record<string, unknown> = { ...rest };
  if (tree.has('currency_options')) {
    const own = { custom_unit_amount: p.custom_unit_amount, tax_behavior: p.tax_behavior, unit_amount: p.unit_amount, unit_amount_decimal: p.unit_amount_decimal };
    out.currency_options = { [p.currency]: own, ...currency_options };
  }
  const sub = tree.get('product');
  if (sub) {
    const product = store.products.get(p.product);
    out.product = product ? renderProduct(store, product, sub, `${prefix}product.`) : { id: p.product, object: 'product', deleted: true };
  }
  return out;
}

/** The secret is only shown once, in the response to the create call. */
export function renderWebhookEndpoint(w: WebhookEndpoint, withSecret = false): Record<string, unknown> {
  if (withSecret) return w as unknown as Record<string, unknown>;
  const { secret: _secret, ...rest } = w;
  return rest;
}

export function assertNoExpand(tree: ExpandTree, prefix = ''): void {
  checkKeys(tree, [], prefix);
}

export interface ListBody {
  object: 'list';
  data: unknown[];
  has_more: boolean;
  url: string;
}

/** Splits a list-level expand tree into the per-item tree (`data.x`) and checks nothing else is asked. */
export function itemTree(tree: ExpandTree, extra: readonly string[] = []): ExpandTree {
  checkKeys(tree, ['data', ...extra], '');
  return tree.get('data') ?? EMPTY_TREE;
}

export function listBody(url: string, data: unknown[], hasMore: boolean): ListBody {
  return { object: 'list', data, has_more: hasMore, url };
}
