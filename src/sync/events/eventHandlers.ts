// One handler per Stripe event type. Types not listed here are stored and marked ignored.
import { priceCreated } from './priceCreated.ts';
import { priceDeleted } from './priceDeleted.ts';
import { priceUpdated } from './priceUpdated.ts';
import { productCreated } from './productCreated.ts';
import { productDeleted } from './productDeleted.ts';
import { productUpdated } from './productUpdated.ts';
import type { EventHandler } from './types.ts';

export const eventHandlers: Record<string, EventHandler> = {
  'product.created': productCreated,
  'product.updated': productUpdated,
  'product.deleted': productDeleted,
  'price.created': priceCreated,
  'price.updated': priceUpdated,
  'price.deleted': priceDeleted,
};
