// The official Stripe SDK, pointed at real Stripe or at a Stripe-compatible URL (the emulator).
import Stripe from 'stripe';

export interface StripeTarget {
  /** Secret key; the emulator accepts any sk_test_ key. */
  secretKey?: string;
  /** Base URL of a Stripe-compatible API; unset = api.stripe.com. */
  apiUrl?: string;
  /** Network retries the SDK makes on 5xx, 409 and connection errors (it never retries 429). */
  maxNetworkRetries?: number;
  timeoutMs?: number;
  /** Use fetch (Deno, Edge Functions) instead of node:http. */
  useFetch?: boolean;
}

export const EMULATOR_SECRET_KEY = 'sk_test_spacesync_emulator';

export function createStripeClient(target: StripeTarget): Stripe {
  const options: Stripe.StripeConfig = {
    maxNetworkRetries: target.maxNetworkRetries ?? 3,
    timeout: target.timeoutMs ?? 20_000,
    telemetry: false,
    appInfo: { name: 'spacesync', version: '0.1.0' },
  };
  if (target.useFetch) options.httpClient = Stripe.createFetchHttpClient();
  if (target.apiUrl) {
    const u = new URL(target.apiUrl);
    options.protocol = u.protocol.replace(':', '') as 'http' | 'https';
    options.host = u.hostname;
    options.port = u.port || (u.protocol === 'https:' ? 443 : 80);
  }
  return new Stripe(target.secretKey ?? EMULATOR_SECRET_KEY, options);
}
