// product.created / product.updated / product.deleted: our own echo is ignored, anything else that
// leaves Stripe different from both what we wrote and what the catalog wants is drift.
import type Stripe from 'stripe';
import { desiredProduct } from '../../catalog/index.ts';
import { productDifferences, productDriftFields, productView, type ProductView } from './compareProduct.ts';
import { findManagedSpace, type ManagedSpace } from './findManagedSpace.ts';
import { recordDrift } from './recordDrift.ts';
import { retrieveProduct } from './retrieveObject.ts';
import { DeferEventError, ignored, type EventContext, type EventOutcome } from './types.ts';

/** Why a view of the product needs no action, or null when it may be drift. */
function noAction(view: ProductView, managed: ManagedSpace): 'echo' | 'in_sync' | null {
  if (managed.snapshot && productDifferences(view, managed.snapshot.product).length === 0) return 'echo';
  if (productDifferences(view, desiredProduct(managed.space)).length === 0) return 'in_sync';
  return null;
}

function deferWhileSyncing(managed: ManagedSpace): void {
  if (managed.space.sync_status === 'syncing') {
    throw new DeferEventError(`a sync of space ${managed.space.id} is running: the event is checked again after it`);
  }
}

export async function handleProductEvent(ctx: EventContext, deleted: boolean): Promise<EventOutcome> {
  const product = ctx.event.data.object as Stripe.Product;
  const managed = await findManagedSpace(ctx.client, product);
  if (!managed) return ignored('unmanaged');
  if (!managed.space.stripe_product_id) return ignored('not_synced_yet');
  if (managed.space.stripe_product_id !== product.id) return ignored('not_current_product', { current: managed.space.stripe_product_id });

  if (!deleted) {
    const reason = noAction(productView(product), managed);
    if (reason) return ignored(reason);
  }
  // In doubt (events arrive late and out of order): decide on what Stripe holds now.
  const current = await retrieveProduct(ctx.gateway, product.id);
  if (!current) {
    deferWhileSyncing(managed);
    return recordDrift(ctx.client, managed, {
      eventId: ctx.event.id, object: 'product', objectId: product.id, removed: true,
      fields: [{ field: 'deleted', catalog: false, stripe: true }],
    }, ctx.driftPolicy);
  }
  const view = productView(current);
  const reason = noAction(view, managed);
  if (reason) return ignored(reason === 'echo' ? 'stale' : reason, { refetched: true });
  deferWhileSyncing(managed);
  const fields = productDriftFields(view, managed);
  if (fields.length === 0) return ignored('in_sync', { refetched: true });
  return recordDrift(ctx.client, managed, { eventId: ctx.event.id, object: 'product', objectId: product.id, fields }, ctx.driftPolicy);
}
