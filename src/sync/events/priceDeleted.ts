// price.deleted
import { handlePriceEvent } from './handlePriceEvent.ts';
import type { EventHandler } from './types.ts';

export const priceDeleted: EventHandler = (ctx) => handlePriceEvent(ctx, true);
