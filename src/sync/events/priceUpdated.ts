// price.updated
import { handlePriceEvent } from './handlePriceEvent.ts';
import type { EventHandler } from './types.ts';

export const priceUpdated: EventHandler = (ctx) => handlePriceEvent(ctx, false);
