// product.deleted
import { handleProductEvent } from './handleProductEvent.ts';
import type { EventHandler } from './types.ts';

export const productDeleted: EventHandler = (ctx) => handleProductEvent(ctx, true);
