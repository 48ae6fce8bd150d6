// One planned operation → one Stripe call through the gateway, with its deterministic idempotency
// key: `spacesync:<space>:v<version>:<operation>[:<row>]:<hash of the resolved call>`, plus
// `:<discriminator>` for runs that re-plan against live Stripe objects at the same version (a forced
// sync, a catalog run): without it Stripe would replay an older answer instead of repairing drift.
import type Stripe from 'stripe';
import {
  idempotencyKey,
  idempotencySeed,
  resolveOperation,
  type Operation,
  type StripeCall,
  type StripeSnapshot,
} from '../catalog/index.ts';
import type { StripeCallRecord, StripeGateway } from './stripeGateway.ts';

export interface OperationContext {
  spaceId: string;
  version: number;
  /** Distinguishes runs at the same version that plan against live Stripe (forced sync, catalog run). */
  discriminator?: string | null;
}

export interface PreparedCall {
  call: StripeCall;
  idempotencyKey: string;
}

export interface OperationResult extends PreparedCall {
  /** The product or price Stripe returned. */
  object: Stripe.Product | Stripe.Price;
  record: StripeCallRecord;
}

/** Stripe's limit on idempotency keys. */
const MAX_KEY_LENGTH = 255;

export function operationKey(op: Operation, snapshot: StripeSnapshot | null, ctx: OperationContext): string {
  const key = idempotencyKey(idempotencySeed(op, snapshot), ctx) + (ctx.discriminator ? `:${ctx.discriminator}` : '');
  if (key.length > MAX_KEY_LENGTH) throw new Error(`idempotency key longer than ${MAX_KEY_LENGTH} characters: ${key}`);
  return key;
}

/** The exact call and key for `op` against the current snapshot (refs resolved). */
export function prepareOperation(op: Operation, snapshot: StripeSnapshot | null, ctx: OperationContext): PreparedCall {
  return { call: resolveOperation(op, snapshot), idempotencyKey: operationKey(op, snapshot, ctx) };
}

export function endpointOf(call: StripeCall): string {
  return `POST /v1/${call.resource}${call.method === 'update' ? '/:id' : ''}`;
}

/** Sends a prepared call (also used to replay a recorded one with its original key). */
export async function sendCall(gateway: StripeGateway, prepared: PreparedCall): Promise<OperationResult> {
  const { call, idempotencyKey: key } = prepared;
  const stripe = gateway.stripe;
  const endpoint = endpointOf(call);
  const opts = { idempotencyKey: key, objectId: call.method === 'update' ? call.id : null };
  let outcome: { value: Stripe.Product | Stripe.Price; record: StripeCallRecord };
  switch (call.resource) {
    case 'products':
      outcome =
        call.method === 'create'
          ? await gateway.request(endpoint, (o) => stripe.products.create(call.params, o), opts)
          : await gateway.request(endpoint, (o) => stripe.products.update(call.id, call.params, o), opts);
      break;
    case 'prices':
      outcome =
        call.method === 'create'
          ? await gateway.request(endpoint, (o) => stripe.prices.create(call.params, o), opts)
          : await gateway.request(endpoint, (o) => stripe.prices.update(call.id, call.params, o), opts);
      break;
  }
  return { call, idempotencyKey: key, object: outcome.value, record: outcome.record };
}

export async function executeOperation(
  gateway: StripeGateway,
  op: Operation,
  snapshot: StripeSnapshot | null,
  ctx: OperationContext,
): Promise<OperationResult> {
  return sendCall(gateway, prepareOperation(op, snapshot, ctx));
}
