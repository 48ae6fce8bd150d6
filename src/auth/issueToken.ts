// Tokens of the embedded login: the same shape Supabase Auth issues (HS256, role authenticated,
// app_metadata.role, aud authenticated), so the API and RLS treat both alike.
import { SignJWT } from 'jose';

export const TOKEN_TTL_SECONDS = 12 * 60 * 60;

export interface TokenUser {
  id: string;
  email: string;
  role: 'admin' | 'user';
}

export async function issueToken(user: TokenUser, jwtSecret: string, ttlSeconds = TOKEN_TTL_SECONDS): Promise<string> {
  return new SignJWT({ email: user.email, role: 'authenticated', app_metadata: { role: user.role, provider: 'email' } })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user.id)
    .setAudience('authenticated')
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(jwtSecret));
}
