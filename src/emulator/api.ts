// The /v1 routes: method + path → handler returning the JSON body.
import { itemTree, listBody, parseExpand, renderPrice, renderProduct, renderWebhookEndpoint, assertNoExpand, type ExpandTree } from './expand.ts';
import type { Emulator } from './emulator.ts';
import { listEvents, retrieveEvent } from './events.ts';
import type { Input } from './params.ts';
import { createPrice, getPrice, listPrices, updatePrice } from './prices.ts';
import { createProduct, createProductFromData, deleteProduct, getProduct, listProducts, updateProduct } from './products.ts';
import { PRICE_FIELDS, PRODUCT_FIELDS, search, type SearchPage } from './search.ts';
import type { Store } from './store.ts';
import type { Actor } from './types.ts';
import {
  createWebhookEndpoint, deleteWebhookEndpoint, getWebhookEndpoint, listWebhookEndpoints, updateWebhookEndpoint,
} from './webhookEndpoints.ts';

export interface ApiContext {
  emu: Emulator;
  input: Input;
  /** The path parameter (`:id`), when the route has one. */
  id: string;
  actor: Actor;
}

export type Handler = (ctx: ApiContext) => unknown;

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

function searchBody<T>(url: string, page: SearchPage<T>, render: (x: T) => unknown): Record<string, unknown> {
  const body: Record<string, unknown> = { object: 'search_result', data: page.data.map(render), has_more: page.hasMore, next_page: page.nextPage, url };
  if (page.totalCount !== null) body.total_count = page.totalCount;
  return body;
}

const productOut = (store: Store, tree: ExpandTree) => (p: Parameters<typeof renderProduct>[1]) => renderProduct(store, p, tree);

const handlers: [string, string, Handler][] = [
  ['POST', '/v1/products', ({ emu, input, actor }) => {
    const tree = parseExpand(input);
    return renderProduct(emu.store, createProduct(emu.store, input, actor), tree);
  }],
  ['GET', '/v1/products', ({ emu, input }) => {
    const tree = itemTree(parseExpand(input));
    const page = listProducts(emu.store, input);
    return listBody('/v1/products', page.data.map(productOut(emu.store, tree)), page.hasMore);
  }],
  ['GET', '/v1/products/search', ({ emu, input }) => {
    const full = parseExpand(input);
    const tree = itemTree(full, ['total_count']);
    const page = search(emu.store.products, 'products', PRODUCT_FIELDS, input, { delayMs: emu.searchDelayMs, withTotal: full.has('total_count') });
    return searchBody('/v1/products/search', page, productOut(emu.store, tree));
  }],
  ['GET', '/v1/products/:id', ({ emu, input, id }) => renderProduct(emu.store, getProduct(emu.store, id), parseExpand(input))],
  ['POST', '/v1/products/:id', ({ emu, input, id, actor }) => {
    const tree = parseExpand(input);
    return renderProduct(emu.store, updateProduct(emu.store, id, input, actor), tree);
  }],
  ['DELETE', '/v1/products/:id', ({ emu, id, actor }) => deleteProduct(emu.store, id, actor)],

  ['POST', '/v1/prices', ({ emu, input, actor }) => {
    const tree = parseExpand(input);
    const price = createPrice(emu.store, input, actor, (data) => createProductFromData(emu.store, data, actor));
    return renderPrice(emu.store, price, tree);
  }],
  ['GET', '/v1/prices', ({ emu, input }) => {
    const tree = itemTree(parseExpand(input));
    const page = listPrices(emu.store, input);
    return listBody('/v1/prices', page.data.map((p) => renderPrice(emu.store, p, tree)), page.hasMore);
  }],
  ['GET', '/v1/prices/search', ({ emu, input }) => {
    const full = parseExpand(input);
    const tree = itemTree(full, ['total_count']);
    const page = search(emu.store.prices, 'prices', PRICE_FIELDS, input, { delayMs: emu.searchDelayMs, withTotal: full.has('total_count') });
    return searchBody('/v1/prices/search', page, (p) => renderPrice(emu.store, p, tree));
  }],
  ['GET', '/v1/prices/:id', ({ emu, input, id }) => renderPrice(emu.store, getPrice(emu.store, id), parseExpand(input))],
  ['POST', '/v1/prices/:id', ({ emu, input, id, actor }) => {
    const tree = parseExpand(input);
    return renderPrice(emu.store, updatePrice(emu.store, id, input, actor), tree);
  }],

  // The account of the key: its id, and the few fields a client reads to know whom it talks to.
  ['GET', '/v1/account', ({ emu }) => ({
    id: emu.config.accountId ?? 'acct_1SpacesyncEmulator',
    object: 'account',
    type: 'standard',
    country: 'FR',
    default_currency: 'eur',
    charges_enabled: true,
    payouts_enabled: true,
    details_submitted: true,
    settings: { dashboard: { display_name: 'spacesync emulator', timezone: 'Etc/UTC' } },
  })],
  ['GET', '/v1/events', ({ emu, input }) => {
    assertNoExpand(itemTree(parseExpand(input)), 'data.');
    const page = listEvents(emu.store.events, input);
    return listBody('/v1/events', page.data, page.hasMore);
  }],
  ['GET', '/v1/events/:id', ({ emu, input, id }) => {
    assertNoExpand(parseExpand(input));
    return retrieveEvent(emu.store.events, id);
  }],

  ['POST', '/v1/webhook_endpoints', ({ emu, input }) => {
    assertNoExpand(parseExpand(input));
    return renderWebhookEndpoint(createWebhookEndpoint(emu.store, input), true);
  }],
  ['GET', '/v1/webhook_endpoints', ({ emu, input }) => {
    assertNoExpand(itemTree(parseExpand(input)), 'data.');
    const page = listWebhookEndpoints(emu.store, input);
    return listBody('/v1/webhook_endpoints', page.data.map((w) => renderWebhookEndpoint(w)), page.hasMore);
  }],
  ['GET', '/v1/webhook_endpoints/:id', ({ emu, input, id }) => {
    assertNoExpand(parseExpand(input));
    return renderWebhookEndpoint(getWebhookEndpoint(emu.store, id));
  }],
  ['POST', '/v1/webhook_endpoints/:id', ({ emu, input, id }) => {
    assertNoExpand(parseExpand(input));
    return renderWebhookEndpoint(updateWebhookEndpoint(emu.store, id, input));
  }],
  ['DELETE', '/v1/webhook_endpoints/:id', ({ emu, id }) => deleteWebhookEndpoint(emu.store, id)],
];

const routes: Route[] = handlers.map(([method, path, handler]) => ({ method, segments: path.split('/'), handler }));

export interface RouteMatch {
  handler: Handler;
  id: string;
  /** The route pattern, e.g. `/v1/products/:id`. */
  pattern: string;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function matchRoute(method: string, path: string): RouteMatch | null {
  const segs = path.split('/');
  for (const r of routes) {
    if (r.method !== method || r.segments.length !== segs.length) continue;
    let id = '';
    let ok = true;
    for (let i = 0; i < segs.length; i++) {
      const want = r.segments[i];
      if (want === ':id') {
        if (!segs[i]) {
          ok = false;
          break;
        }
        id = safeDecode(segs[i]);
      } else if (want !== segs[i]) {
        ok = false;
        break;
      }
    }
    if (ok) return { handler: r.handler, id, pattern: r.segments.join('/') };
  }
  return null;
}
