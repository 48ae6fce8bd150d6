// The shared validation of a space (the API's own), for the space form.
export { LIMITS, spaceInputSchema } from '../../../src/catalog/spaceSchema.ts';
export type { PriceInput, SpaceInput } from '../../../src/catalog/spaceSchema.ts';
export { fieldErrors } from '../../../src/catalog/fieldErrors.ts';
