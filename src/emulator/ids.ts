// Stripe-style identifiers: a prefix and a random base62 tail.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
let pool = randomBytes(4096);
let offset = 0;

function nextByte(): number {
  if (offset >= pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  return pool[offset++];
}

export function base62(length: number): string {
  let out = '';
  while (out.length < length) {
    const b = nextByte();
    if (b < 248) out += ALPHABET[b % 62]; // 248 = 4 * 62: rejection keeps the distribution uniform
  }
  return out;
}

export type IdPrefix = 'prod' | 'price' | 'evt' | 'we' | 'req' | 'whsec';

export function newId(prefix: IdPrefix, length = 24): string {
  return `${prefix}_${base62(length)}`;
}

/** Stripe's request ids are shorter: `req_` and 14 characters. */
export const newRequestId = () => newId('req', 14);
