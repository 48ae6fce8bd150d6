// The emulated account's state: products, prices, webhook endpoints and events, with the indexes
// Stripe's rules need (lookup keys, prices per product). Objects are immutable: writes replace them.
import { Collection } from './collection.ts';
import { EventLog } from './events.ts';
import type { Price, Product, WebhookEndpoint } from './types.ts';

export class Store {
  readonly products = new Collection<Product>();
  readonly prices = new Collection<Price>();
  readonly webhookEndpoints = new Collection<WebhookEndpoint>();
  readonly events = new EventLog();
  /** lookup_key → price id (lookup keys are unique across the account's prices). */
  readonly lookupKeys = new Map<string, string>();
  readonly pricesByProduct = new Map<string, Set<string>>();
  /** Called after every write (persistence hooks in here). */
  onWrite: () => void = () => {};

  insertProduct(p: Product): void {
    this.products.insert(p);
    this.onWrite();
  }

  replaceProduct(p: Product): void {
    this.products.replace(p);
    this.onWrite();
  }

  removeProduct(id: string): void {
    this.products.remove(id);
    this.pricesByProduct.delete(id);
    this.onWrite();
  }

  insertPrice(p: Price): void {
    this.prices.insert(p);
    if (p.lookup_key) this.lookupKeys.set(p.lookup_key, p.id);
    let set = this.pricesByProduct.get(p.product);
    if (!set) this.pricesByProduct.set(p.product, (set = new Set()));
    set.add(p.id);
    this.onWrite();
  }

  replacePrice(p: Price): void {
    const old = this.prices.get(p.id);
    if (old?.lookup_key && old.lookup_key !== p.lookup_key && this.lookupKeys.get(old.lookup_key) === p.id) {
      this.lookupKeys.delete(old.lookup_key);
    }
    if (p.lookup_key) this.lookupKeys.set(p.lookup_key, p.id);
    this.prices.replace(p);
    this.onWrite();
  }

  /** Only the dashboard deletes prices (the API has no DELETE /v1/prices/:id). */
  removePrice(id: string): void {
    const old = this.prices.remove(id);
    if (!old) return;
    if (old.lookup_key && this.lookupKeys.get(old.lookup_key) === id) this.lookupKeys.delete(old.lookup_key);
    const set = this.pricesByProduct.get(old.product);
    set?.delete(id);
    if (set && set.size === 0) this.pricesByProduct.delete(old.product);
    this.onWrite();
  }

  insertWebhookEndpoint(w: WebhookEndpoint): void {
    this.webhookEndpoints.insert(w);
    this.onWrite();
  }

  replaceWebhookEndpoint(w: WebhookEndpoint): void {
    this.webhookEndpoints.replace(w);
    this.onWrite();
  }

  removeWebhookEndpoint(id: string): void {
    this.webhookEndpoints.remove(id);
    this.onWrite();
  }

  priceCount(productId: string): number {
    return this.pricesByProduct.get(productId)?.size ?? 0;
  }

  clear(): void {
    this.products.clear();
    this.prices.clear();
    this.webhookEndpoints.clear();
    this.events.clear();
    this.lookupKeys.clear();
    this.pricesByProduct.clear();
    this.onWrite();
  }
}
