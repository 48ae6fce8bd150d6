// /v1/products/search and /v1/prices/search: query, `page` cursor, `has_more`, optional `total_count`,
// and an indexing delay (an object is searchable only `searchDelayMs` after its last write).
import type { Collection } from './collection.ts';
import { invalidParam, missingParam } from './errors.ts';
import { readLimit } from './pagination.ts';
import { assertKnown, str, type Input } from './params.ts';
import { compileQuery, parseQuery, type FieldGetter } from './searchQuery.ts';
import type { Price, Product } from './types.ts';

export interface SearchPage<T> {
  data: T[];
  hasMore: boolean;
  nextPage: string | null;
  totalCount: number | null;
}

const meta = (m: Record<string, string>, key: string | undefined) => (key === undefined ? undefined : m[key]);

export const PRODUCT_FIELDS: Record<string, FieldGetter<Product>> = {
  active: (p) => p.active,
  description: (p) => p.description,
  metadata: (p, c) => meta(p.metadata, c.metadataKey),
  name: (p) => p.name,
  shippable: (p) => p.shippable,
  url: (p) => p.url,
};

export const PRICE_FIELDS: Record<string, FieldGetter<Price>> = {
  active: (p) => p.active,
  currency: (p) => p.currency,
  lookup_key: (p) => p.lookup_key,
  metadata: (p, c) => meta(p.metadata, c.metadataKey),
  product: (p) => p.product,
  type: (p) => p.type,
};

const encodePage = (seq: number) => Buffer.from(`s:${seq}`).toString('base64url');

function decodePage(token: string): number {
  const m = /^s:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  if (!m) throw invalidParam(`Invalid page: ${token}`, 'page');
  return Number(m[1]);
}

export function search<T extends { id: string }>(
  col: Collection<T>,
  resource: string,
  fields: Record<string, FieldGetter<T>>,
  input: Input,
  opts: { delayMs: number; withTotal: boolean; now?: number },
): SearchPage<T> {
  assertKnown(input, ['expand', 'limit', 'page', 'query']);
  const q = str(input, 'query');
  if (q === undefined) throw missingParam('query');
  const match = compileQuery(parseQuery(q), resource, fields);
  const limit = readLimit(input);
  const pageToken = str(input, 'page');
  const now = opts.now ?? Date.now();
  const visible = (i: number) => {
    const e = col.at(i)!;
    return now - e.writtenAt >= opts.delayMs && match(e.obj);
  };
  let start = col.size - 1;
  if (pageToken) start = col.upperBound(decodePage(pageToken) - 1) - 1;
  const data: T[] = [];
  let lastSeq = 0;
  let hasMore = false;
  let i = start;
  for (; i >= 0; i--) {
    if (!visible(i)) continue;
    if (data.length === limit) {
      hasMore = true;
      break;
    }
    data.push(col.at(i)!.obj);
    lastSeq = col.at(i)!.seq;
  }
  let totalCount: number | null = null;
  if (opts.withTotal) {
    totalCount = 0;
    for (let j = col.size - 1; j >= 0; j--) if (visible(j)) totalCount++;
  }
  return { data, hasMore, nextPage: hasMore ? encodePage(lastSeq) : null, totalCount };
}
