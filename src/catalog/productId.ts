/**
 * The Stripe product id of a space, derived from its id: `prod_ss_<uuid without dashes>` (40
 * characters of [a-z0-9_]). Sent as `id` with products.create, so a space whose stored product id
 * was lost (a database restored from a backup, a crash past the idempotency window) cannot get a
 * second product: Stripe answers `resource_already_exists` and the sync adopts the existing one,
 * without search (which lags). Null when the space id is not a UUID (Stripe then generates one).
 */
export const PRODUCT_ID_PREFIX = 'prod_ss_';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function productIdFor(spaceId: string): string | null {
  return UUID.test(spaceId) ? PRODUCT_ID_PREFIX + spaceId.replace(/-/g, '').toLowerCase() : null;
}
