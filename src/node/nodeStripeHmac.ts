// The Stripe webhook HMAC through node:crypto: a few microseconds, against tens for Web Crypto's
// promise round trips. Injected into the webhook receiver by the Node entries.
import { createHmac } from 'node:crypto';
import type { StripeSignatureHmac } from '../api/verifyStripeSignature.ts';

export const nodeStripeHmac: StripeSignatureHmac = (secret, timestamp, body) =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
