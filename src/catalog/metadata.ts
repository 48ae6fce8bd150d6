/**
 * Stripe metadata: the keys spacesync reserves, Stripe's limits, and the string maps we diff.
 * Stripe metadata is string→string; an empty value unsets a key, so empty values are never stored.
 */

export const MANAGED_BY = 'spacesync';

/** Keys spacesync writes on every product; an admin's own metadata may not use them. */
export const RESERVED_PRODUCT_METADATA_KEYS = ['space_id', 'managed_by', 'kind', 'capacity', 'location'] as const;

/** Keys spacesync writes on every price. */
export const RESERVED_PRICE_METADATA_KEYS = ['space_id', 'managed_by', 'pricing_type', 'space_price_id'] as const;

export const STRIPE_METADATA_MAX_KEYS = 50;
export const STRIPE_METADATA_KEY_MAX = 40;
export const STRIPE_METADATA_VALUE_MAX = 500;

/** How many keys of its own a space may carry: Stripe's 50 minus the reserved product keys. */
export const MAX_SPACE_METADATA_KEYS = STRIPE_METADATA_MAX_KEYS - RESERVED_PRODUCT_METADATA_KEYS.length;

const reservedProductKeys: ReadonlySet<string> = new Set(RESERVED_PRODUCT_METADATA_KEYS);

export function isReservedMetadataKey(key: string): boolean {
  return reservedProductKeys.has(key);
}

export type StringMap = Record<string, string>;

/** A metadata value as Stripe will hold it, or null when it would be empty (omitted). */
export function metadataValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text === '' ? null : text;
}

/** Copies non-empty values as strings, keys in sorted order (stable JSON). */
export function stringMetadata(source: Record<string, unknown> | null | undefined): StringMap {
  const out: StringMap = {};
  if (!source) return out;
  for (const key of Object.keys(source).sort()) {
    const value = metadataValue(source[key]);
    if (value !== null) out[key] = value;
  }
  return out;
}

/** Sorts keys, so two equal maps serialize alike. */
export function sortedMap<T>(source: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(source).sort()) out[key] = source[key];
  return out;
}

export function stringMapsEqual(a: StringMap, b: StringMap): boolean {
  const ak = Object.keys(a);
  if (ak.length !== Object.keys(b).length) return false;
  for (const k of ak) if (b[k] !== a[k]) return false;
  return true;
}

/**
 * The `metadata` param that turns `from` into `to` on Stripe (which merges metadata):
 * changed and new keys with their value, removed keys with ''. null when nothing changes.
 */
export function metadataPatch(from: StringMap, to: StringMap): StringMap | null {
  const patch: StringMap = {};
  let changed = false;
  for (const key of Object.keys(to).sort()) {
    if (from[key] !== to[key]) {
      patch[key] = to[key];
      changed = true;
    }
  }
  for (const key of Object.keys(from).sort()) {
    if (!(key in to)) {
      patch[key] = '';
      changed = true;
    }
  }
  return changed ? sortedMap(patch) : null;
}

/** What Stripe holds after merging a metadata param into `base` ('' unsets a key). */
export function applyMetadataPatch(base: StringMap, patch: StringMap): StringMap {
  const out: StringMap = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === '') delete out[key];
    else out[key] = value;
  }
  return sortedMap(out);
}
