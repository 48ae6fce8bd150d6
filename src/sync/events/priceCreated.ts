// price.created
import { handlePriceEvent } from './handlePriceEvent.ts';
import type { EventHandler } from './types.ts';

export const priceCreated: EventHandler = (ctx) => handlePriceEvent(ctx, false);
