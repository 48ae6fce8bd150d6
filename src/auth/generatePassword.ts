// A random password for a user created without one: 18 random bytes, base64url (24 characters).
import { toBase64Url } from './hashPassword.ts';

export function generatePassword(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(18)));
}
