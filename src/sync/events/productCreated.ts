// product.created
import { handleProductEvent } from './handleProductEvent.ts';
import type { EventHandler } from './types.ts';

export const productCreated: EventHandler = (ctx) => handleProductEvent(ctx, false);
