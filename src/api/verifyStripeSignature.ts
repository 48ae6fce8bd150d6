// Verifies a Stripe-Signature header (`t=<unix seconds>,v1=<hex HMAC-SHA256>[,v1=…]`) against the raw
// body, as Stripe documents it: HMAC-SHA256 of `<t>.<body bytes>` with the endpoint's secret. The
// timestamp is bounded both ways: older than the tolerance is a replay, newer is a forged clock.
// The HMAC itself is injected (Web Crypto here and on Deno, node:crypto in the Node entry), so this
// file stays portable.

/** HMAC-SHA256 of `<timestamp>.<body>` with `secret`, as lowercase hex. */
export type StripeSignatureHmac = (secret: string, timestamp: string, body: Uint8Array) => string | Promise<string>;

export const WEBHOOK_TOLERANCE_SECONDS = 300;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

const encoder = new TextEncoder();
const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The Web Crypto HMAC, with the imported key of each secret kept (importing costs more than signing). */
export function webCryptoStripeHmac(): StripeSignatureHmac {
  const keys = new Map<string, Promise<CryptoKey>>();
  const key = (secret: string) => {
    let k = keys.get(secret);
    if (!k) {
      if (keys.size >= 8) keys.clear();
      k = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: { name: 'SHA-256' } }, false, ['sign']);
      keys.set(secret, k);
    }
    return k;
  };
  return async (secret, timestamp, body) => {
    const prefix = encoder.encode(`${timestamp}.`);
    const signed = new Uint8Array(prefix.length + body.length);
    signed.set(prefix, 0);
    signed.set(body, prefix.length);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await key(secret), signed));
    let out = '';
    for (const byte of mac) out += hex[byte];
    return out;
  };
}

/** Compares two strings in time that depends on their length only. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export async function verifyStripeSignature(options: {
  header: string;
  body: Uint8Array;
  secret: string;
  hmac: StripeSignatureHmac;
  toleranceSeconds?: number;
  /** Unix seconds; defaults to the clock. */
  now?: number;
}): Promise<SignatureCheck> {
  const tolerance = options.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const part of options.header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name === 't') timestamp = value;
    else if (name === 'v1') signatures.push(value);
  }
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || signatures.length === 0) {
    return { ok: false, reason: 'the Stripe-Signature header needs a timestamp (t=<unix seconds>) and at least one v1 signature' };
  }
  const expected = await options.hmac(options.secret, timestamp, options.body);
  if (!signatures.some((s) => sameText(s, expected))) {
    return { ok: false, reason: 'no v1 signature in Stripe-Signature matches the body signed with this endpoint\'s secret' };
  }
  const age = (options.now ?? Math.floor(Date.now() / 1000)) - Number(timestamp);
  if (age > tolerance) return { ok: false, reason: `the signature is ${age} s old, past the ${tolerance} s tolerance (a replay, or a clock that is off)` };
  if (-age > tolerance) return { ok: false, reason: `the signature timestamp is ${-age} s in the future, past the ${tolerance} s tolerance (a forged or wrong clock)` };
  return { ok: true };
}
