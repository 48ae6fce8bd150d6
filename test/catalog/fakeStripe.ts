/**
 * A pure, in-memory stand-in for the few Stripe endpoints the planner uses, enforcing the rules the
 * plan must respect (default price cannot be archived, lookup keys are unique unless transferred,
 * immutable price fields, tax_behavior set once, idempotency keys bound to their params).
 * Test-only: echoes params into Stripe-shaped objects with generated ids.
 */
import type Stripe from 'stripe';
import {
  applyResult,
  canonicalJson,
  idempotencyKey,
  idempotencySeed,
  resolveOperation,
  type Operation,
  type StripeCall,
  type StripeSnapshot,
} from '../../src/catalog/index.ts';

type Meta = Record<string, string>;

function mergeMetadata(base: Meta, patch: Meta | '' | undefined): Meta {
  if (patch === undefined) return base;
  if (patch === '') return {};
  const out = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === '') delete out[k];
    else out[k] = v;
  }
  return out;
}

export class StripeRuleError extends Error {}

export class FakeStripe {
  readonly products = new Map<string, Stripe.Product>();
  readonly prices = new Map<string, Stripe.Price>();
  readonly log: StripeCall[] = [];
  private readonly idempotency = new Map<string, { params: string; result: Stripe.Product | Stripe.Price }>();
  private seq = 0;
  private clock = 1_700_000_000;

  private nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}_${String(this.seq).padStart(6, '0')}`;
  }

  call(call: StripeCall, key?: string): Stripe.Product | Stripe.Price {
    if (key !== undefined) {
      const params = canonicalJson(call);
      const seen = this.idempotency.get(key);
      if (seen) {
        if (seen.params !== params) throw new StripeRuleError(`idempotency key ${key} reused with other params`);
        return structuredClone(seen.result);
      }
      const result = this.dispatch(call);
      this.idempotency.set(key, { params, result: structuredClone(result) });
      return result;
    }
    return this.dispatch(call);
  }

  private dispatch(call: StripeCall): Stripe.Product | Stripe.Price {
    this.log.push(structuredClone(call));
    this.clock += 1;
    if (call.resource === 'products') {
      return call.method === 'create' ? this.createProduct(call.params) : this.updateProduct(call.id, call.params);
    }
    return call.method === 'create' ? this.createPrice(call.params) : this.updatePrice(call.id, call.params);
  }

  private createProduct(p: Stripe.ProductCreateParams): Stripe.Product {
    const id = this.nextId('prod');
    const product = {
      id,
      object: 'product',
      active: p.active ?? true,
      created: this.clock,
      name: p.name,
      description: p.description ?? null,
      images: p.images ?? [],
      metadata: mergeMetadata({}, p.metadata as Meta | undefined),
      default_price: null as string | null,
    } as unknown as Stripe.Product;
    this.products.set(id, product);
    if (p.default_price_data) {
      const data = p.default_price_data as unknown as Record<string, unknown>;
      if ('lookup_key' in data || 'nickname' in data) throw new StripeRuleError('default_price_data takes no lookup_key/nickname');
      const price = this.createPrice({ ...p.default_price_data, product: id } as Stripe.PriceCreateParams);
      product.default_price = price.id;
    }
    return structuredClone(product);
  }

  private updateProduct(id: string, p: Stripe.ProductUpdateParams): Stripe.Product {
    const product = this.products.get(id);
    if (!product) throw new StripeRuleError(`No such product: ${id}`);
    if (p.default_price !== undefined) {
      if (p.default_price === '') product.default_price = null;
      else {
        const price = this.prices.get(p.default_price);
        if (!price || price.product !== id) throw new StripeRuleError(`price ${p.default_price} is not a price of ${id}`);
        if (!price.active) throw new StripeRuleError('The price specified is inactive.');
        product.default_price = price.id;
      }
    }
    if (p.name !== undefined) product.name = p.name;
    if (p.description !== undefined) product.description = p.description ? p.description : null;
    if (p.images !== undefined) product.images = p.images ? [...p.images] : [];
    if (p.active !== undefined) product.active = p.active;
    if (p.metadata !== undefined) product.metadata = mergeMetadata(product.metadata, (p.metadata ?? '') as Meta | '');
    return structuredClone(product);
  }

  private takeLookupKey(key: string, transfer: boolean | undefined, newHolder: string): void {
    for (const other of this.prices.values()) {
      if (other.lookup_key === key && other.id !== newHolder) {
        if (!transfer) throw new StripeRuleError(`A price (${other.id}) already uses lookup key ${key}`);
        other.lookup_key = null;
      }
    }
  }

  private currencyOptions(
    currency: string,
    unitAmount: number | null,
    tax: string,
    options: Record<string, { unit_amount?: number }> | undefined,
  ): Stripe.Price['currency_options'] {
    const out: Record<string, unknown> = {
      [currency]: { unit_amount: unitAmount, tax_behavior: tax, custom_unit_amount: null, unit_amount_decimal: String(unitAmount) },
    };
    for (const [cur, opt] of Object.entries(options ?? {})) {
      out[cur] = { unit_amount: opt.unit_amount ?? null, tax_behavior: tax, custom_unit_amount: null, unit_amount_decimal: String(opt.unit_amount) };
    }
    return out as Stripe.Price['currency_options'];
  }

  private createPrice(p: Stripe.PriceCreateParams): Stripe.Price {
    if (!p.product || !this.products.has(p.product)) throw new StripeRuleError(`No such product: ${p.product}`);
    if (typeof p.unit_amount !== 'number') throw new StripeRuleError('unit_amount is required');
    const id = this.nextId('price');
    if (p.lookup_key) this.takeLookupKey(p.lookup_key, p.transfer_lookup_key, id);
    const tax = p.tax_behavior ?? 'unspecified';
    const price = {
      id,
      object: 'price',
      active: p.active ?? true,
      created: this.clock,
      currency: p.currency,
      unit_amount: p.unit_amount,
      product: p.product,
      recurring: p.recurring
        ? { interval: p.recurring.interval, interval_count: p.recurring.interval_count ?? 1, meter: null, trial_period_days: null, usage_type: 'licensed' }
        : null,
      tax_behavior: tax,
      currency_options: this.currencyOptions(p.currency, p.unit_amount, tax, p.currency_options),
      lookup_key: p.lookup_key ?? null,
      nickname: p.nickname ?? null,
      metadata: mergeMetadata({}, p.metadata as Meta | undefined),
      type: p.recurring ? 'recurring' : 'one_time',
    } as unknown as Stripe.Price;
    this.prices.set(id, price);
    return structuredClone(price);
  }

  private updatePrice(id: string, p: Stripe.PriceUpdateParams): Stripe.Price {
    const price = this.prices.get(id);
    if (!price) throw new StripeRuleError(`No such price: ${id}`);
    const allowed = new Set(['active', 'metadata', 'nickname', 'lookup_key', 'transfer_lookup_key', 'tax_behavior', 'currency_options']);
    for (const key of Object.keys(p)) if (!allowed.has(key)) throw new StripeRuleError(`Received unknown parameter: ${key}`);
    const product = this.products.get(price.product as string);
    if (p.active === false && product?.default_price === id) {
      throw new StripeRuleError('This price cannot be archived because it is the default price of its product.');
    }
    if (p.tax_behavior !== undefined && p.tax_behavior !== price.tax_behavior) {
      if (price.tax_behavior !== 'unspecified') throw new StripeRuleError('tax_behavior cannot be changed once specified');
      price.tax_behavior = p.tax_behavior;
    }
    if (p.lookup_key !== undefined) {
      if (p.lookup_key === '') throw new StripeRuleError('lookup_key cannot be empty');
      this.takeLookupKey(p.lookup_key, p.transfer_lookup_key, id);
      price.lookup_key = p.lookup_key;
    }
    if (p.active !== undefined) price.active = p.active;
    if (p.nickname !== undefined) price.nickname = p.nickname === '' ? null : p.nickname;
    if (p.metadata !== undefined) price.metadata = mergeMetadata(price.metadata, (p.metadata ?? '') as Meta | '');
    if (p.currency_options !== undefined) {
      price.currency_options = this.currencyOptions(
        price.currency,
        price.unit_amount,
        price.tax_behavior ?? 'unspecified',
        p.currency_options ? p.currency_options : {},
      );
    }
    return structuredClone(price);
  }

  productList(): Stripe.Product[] {
    return [...this.products.values()].map((p) => structuredClone(p));
  }

  priceList(productId?: string): Stripe.Price[] {
    return [...this.prices.values()].filter((p) => productId === undefined || p.product === productId).map((p) => structuredClone(p));
  }
}

export interface ExecuteOptions {
  /** Stop after this many calls whose result was persisted. */
  stopAfter?: number;
  /** Make one more call after the last persisted one, then "crash" before persisting its result. */
  crashBeforePersist?: boolean;
}

/** What the sync worker does: resolve, call with an idempotency key, apply the result, persist. */
export function execute(
  fake: FakeStripe,
  snapshot: StripeSnapshot | null,
  operations: readonly Operation[],
  ctx: { spaceId: string; version: number },
  options: ExecuteOptions = {},
): StripeSnapshot | null {
  let snap = snapshot;
  const limit = options.stopAfter ?? operations.length;
  for (let i = 0; i < operations.length; i++) {
    const op = operations[i];
    if (i >= limit) {
      if (options.crashBeforePersist) fake.call(resolveOperation(op, snap), idempotencyKey(idempotencySeed(op, snap), ctx));
      break;
    }
    const result = fake.call(resolveOperation(op, snap), idempotencyKey(idempotencySeed(op, snap), ctx));
    snap = applyResult(snap, op, result);
    snap = JSON.parse(JSON.stringify(snap)) as StripeSnapshot; // persisted as jsonb
  }
  return snap;
}
