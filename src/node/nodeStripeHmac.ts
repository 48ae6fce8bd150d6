// The Stripe webhook HMAC through node:crypto: a few microseconds, against tens for Web Crypto's
// promise round trips. Injected into the webhook receiver by the Node entries.
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { StripeSignatureHmac } from '../api/verifyStripeSignature.ts';

// The key object of each secret (one or two per process), made once.
const keys = new Map<string, KeyObject>();

export const nodeStripeHmac: StripeSignatureHmac = (secret, timestamp, body) => {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= 8) keys.clear();
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return createHmac('sha256', key).update(`${timestamp}.`).update(body).digest('hex');
};
