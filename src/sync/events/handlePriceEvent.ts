// price.created / price.updated / price.deleted on a managed product: echo and in-flight writes are
// ignored; a price archived, edited or added behind our back is drift.
import type Stripe from 'stripe';
import { idOf } from '../../catalog/index.ts';
import {
  desiredPriceOf,
  desiredPriceView,
  priceDifferences,
  priceDriftFields,
  priceView,
  snapshotPriceOf,
  snapshotPriceView,
  type PriceView,
} from './comparePrice.ts';
import { findManagedSpace, type ManagedSpace } from './findManagedSpace.ts';
import { recordDrift } from './recordDrift.ts';
import { retrievePrice } from './retrieveObject.ts';
import { DeferEventError, ignored, type EventContext, type EventOutcome } from './types.ts';

function noAction(view: PriceView, snapshot: PriceView | null, desired: PriceView | null): 'echo' | 'in_sync' | null {
  if (snapshot && priceDifferences(view, snapshot).length === 0) return 'echo';
  if (desired && priceDifferences(view, desired).length === 0) return 'in_sync';
  // A price standing for no live row is meant to be archived.
  if (!desired && !view.active) return 'in_sync';
  return null;
}

function deferWhileSyncing(managed: ManagedSpace): void {
  if (managed.space.sync_status === 'syncing') {
    throw new DeferEventError(`a sync of space ${managed.space.id} is running: the event is checked again after it`);
  }
}

export async function handlePriceEvent(ctx: EventContext, deleted: boolean): Promise<EventOutcome> {
  const price = ctx.event.data.object as Stripe.Price;
  const managed = await findManagedSpace(ctx.client, price);
  if (!managed) return ignored('unmanaged');
  if (!managed.space.stripe_product_id) return ignored('not_synced_yet');
  if (idOf(price.product) !== managed.space.stripe_product_id) return ignored('not_current_product', { current: managed.space.stripe_product_id });

  const snap = snapshotPriceOf(managed, price.id);
  const snapshot = snap ? snapshotPriceView(snap) : null;
  if (!deleted) {
    const reason = noAction(priceView(price), snapshot, desiredPriceView(desiredPriceOf(managed, price)));
    if (reason) return ignored(reason);
  }
  const current = await retrievePrice(ctx.gateway, price.id);
  if (!current) {
    const desired = desiredPriceOf(managed, price);
    if (!desired) return ignored('in_sync', { refetched: true, gone: true });
    deferWhileSyncing(managed);
    return recordDrift(ctx.client, managed, {
      eventId: ctx.event.id, object: 'price', objectId: price.id, removed: true,
      fields: [{ field: 'deleted', catalog: false, stripe: true }],
    }, ctx.driftPolicy);
  }
  const desired = desiredPriceView(desiredPriceOf(managed, current));
  const view = priceView(current);
  const reason = noAction(view, snapshot, desired);
  if (reason) return ignored(reason === 'echo' ? 'stale' : reason, { refetched: true });
  deferWhileSyncing(managed);
  const fields = priceDriftFields(view, snapshot, desired);
  if (fields.length === 0) return ignored('in_sync', { refetched: true });
  return recordDrift(ctx.client, managed, {
    eventId: ctx.event.id, object: 'price', objectId: price.id, fields,
    removed: Boolean(desired?.active && !view.active),
  }, ctx.driftPolicy);
}
