// product.updated
import { handleProductEvent } from './handleProductEvent.ts';
import type { EventHandler } from './types.ts';

export const productUpdated: EventHandler = (ctx) => handleProductEvent(ctx, false);
