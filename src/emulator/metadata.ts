// Stripe's metadata rules: up to 50 keys, keys up to 40 characters without square brackets,
// values up to 500 characters; an empty value unsets a key, `metadata=""` unsets them all.
import { invalidParam } from './errors.ts';
import { isObject } from './params.ts';

export type Metadata = Record<string, string>;

export const METADATA_MAX_KEYS = 50;
export const METADATA_MAX_KEY_LENGTH = 40;
export const METADATA_MAX_VALUE_LENGTH = 500;

/** Applies a metadata parameter to the current metadata, returning a new object (never mutates). */
export function applyMetadata(current: Metadata, update: unknown, param = 'metadata'): Metadata {
  if (update === undefined) return current;
  if (update === '' || update === null) return {};
  if (!isObject(update)) throw invalidParam('Invalid metadata: must be a hash of string keys and values', param);
  const next: Metadata = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (key.includes('[') || key.includes(']') || isObject(value) || Array.isArray(value)) {
      throw invalidParam(`Metadata keys cannot contain square brackets ('[' or ']'): ${key}`, param);
    }
    if (key.length === 0) throw invalidParam('Metadata keys must not be empty.', param);
    if (key.length > METADATA_MAX_KEY_LENGTH) {
      throw invalidParam(
        `Metadata keys can have up to ${METADATA_MAX_KEY_LENGTH} characters, but you passed in a key that is ${key.length} characters. Invalid key: ${key}`,
        param,
      );
    }
    const v = value === null ? '' : typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
    if (typeof v !== 'string') throw invalidParam(`Invalid value for metadata key ${key}`, param);
    if (v.length > METADATA_MAX_VALUE_LENGTH) {
      throw invalidParam(
        `Metadata values can have up to ${METADATA_MAX_VALUE_LENGTH} characters, but you passed in a value that is ${v.length} characters. Invalid value: ${v}`,
        param,
      );
    }
    if (v === '') delete next[key];
    else next[key] = v;
  }
  const count = Object.keys(next).length;
  if (count > METADATA_MAX_KEYS) {
    throw invalidParam(`Metadata can have up to ${METADATA_MAX_KEYS} keys, but you've set ${count}.`, param);
  }
  return next;
}
