// Stripe's SubtleCryptoProvider imports the HMAC key on every verification, and importing a key
// costs more than the HMAC itself. This one keeps the imported key of each secret (one or two per
// process). Web Crypto only, so it runs on Deno as well.
import Stripe from 'stripe';

const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export class CachedSubtleCryptoProvider extends Stripe.CryptoProvider {
  private readonly keys = new Map<string, Promise<CryptoKey>>();
  private readonly encoder = new TextEncoder();

  override computeHMACSignature(): string {
    throw new Error('CachedSubtleCryptoProvider only works asynchronously: use constructEventAsync');
  }

  private key(secret: string): Promise<CryptoKey> {
    let key = this.keys.get(secret);
    if (!key) {
      if (this.keys.size >= 8) this.keys.clear();
      key = crypto.subtle.importKey('raw', this.encoder.encode(secret), { name: 'HMAC', hash: { name: 'SHA-256' } }, false, ['sign']);
      this.keys.set(secret, key);
    }
    return key;
  }

  override async computeHMACSignatureAsync(payload: string, secret: string): Promise<string> {
    const signature = new Uint8Array(await crypto.subtle.sign('HMAC', await this.key(secret), this.encoder.encode(payload)));
    let out = '';
    for (const byte of signature) out += hex[byte];
    return out;
  }

  override async computeSHA256Async(data: Uint8Array): Promise<Uint8Array> {
    return new Uint8Array(await crypto.subtle.digest('SHA-256', data as BufferSource));
  }
}
