/**
 * Operation → the exact SDK call, with symbolic ids resolved against the snapshot the executor keeps
 * up to date (applyResult after each call). The executor then does
 * `stripe[call.resource][call.method](...(call.id ? [call.id, call.params] : [call.params]), { idempotencyKey })`.
 */
import type Stripe from 'stripe';
import { priceIdOf } from './applyResult.ts';
import type { Operation } from './operations.ts';
import type { StripeSnapshot } from './snapshot.ts';

export type StripeCall =
  | { resource: 'products'; method: 'create'; params: Stripe.ProductCreateParams }
  | { resource: 'products'; method: 'update'; id: string; params: Stripe.ProductUpdateParams }
  | { resource: 'prices'; method: 'create'; params: Stripe.PriceCreateParams }
  | { resource: 'prices'; method: 'update'; id: string; params: Stripe.PriceUpdateParams };

function productIdOf(snapshot: StripeSnapshot | null, id: string | { ref: 'product' }): string {
  if (typeof id === 'string') return id;
  if (!snapshot) throw new Error('unresolved product ref: the product was not created earlier in the plan');
  return snapshot.productId;
}

function need(snapshot: StripeSnapshot | null, kind: string): StripeSnapshot {
  if (!snapshot) throw new Error(`${kind} needs the snapshot of the product created earlier in the plan`);
  return snapshot;
}

export function resolveOperation(op: Operation, snapshot: StripeSnapshot | null): StripeCall {
  switch (op.kind) {
    case 'create_product':
      return { resource: 'products', method: 'create', params: structuredClone(op.params) };
    case 'update_product':
    case 'archive_product': {
      const { default_price, ...rest } = op.params;
      const params: Stripe.ProductUpdateParams = structuredClone(rest);
      if (default_price !== undefined) {
        params.default_price = default_price === '' ? '' : priceIdOf(need(snapshot, op.kind), default_price);
      }
      return { resource: 'products', method: 'update', id: op.productId, params };
    }
    case 'create_price': {
      const { product, ...rest } = op.params;
      return {
        resource: 'prices',
        method: 'create',
        params: { ...structuredClone(rest), product: productIdOf(snapshot, product) },
      };
    }
    case 'update_price':
    case 'archive_price':
      return {
        resource: 'prices',
        method: 'update',
        id: typeof op.priceId === 'string' ? op.priceId : priceIdOf(need(snapshot, op.kind), op.priceId),
        params: structuredClone(op.params),
      };
  }
}
