// Compares two secrets in time independent of where they differ: both are hashed (SHA-256, Web
// Crypto) and the digests compared in full.
import { constantTimeEqual } from '../auth/hashPassword.ts';

export async function timingSafeEqualText(a: string, b: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [x, y] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(a)),
    crypto.subtle.digest('SHA-256', encoder.encode(b)),
  ]);
  return constantTimeEqual(new Uint8Array(x), new Uint8Array(y));
}
