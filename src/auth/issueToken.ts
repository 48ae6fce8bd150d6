// Tokens of the embedded login: the same shape Supabase Auth issues (HS256, role authenticated,
// app_metadata.role, aud authenticated), so the API and RLS treat both alike. They also carry the
// user's `token_version`: the API refuses them once the user is demoted, changed or deleted.
import { SignJWT } from 'jose';

export const TOKEN_TTL_SECONDS = 12 * 60 * 60;
/** Issuer of the embedded login's tokens when JWT_ISSUER is not configured. */
export const EMBEDDED_ISSUER = 'spacesync';
/** The claim that marks a token of the embedded login and holds its user's version. */
export const TOKEN_VERSION_CLAIM = 'token_version';

export interface TokenUser {
  id: string;
  email: string;
  role: 'admin' | 'user';
  /** Its users.token_version; undefined for a token made outside the login (no revocation check). */
  tokenVersion?: number;
}

export async function issueToken(user: TokenUser, jwtSecret: string, options: { ttlSeconds?: number; issuer?: string } = {}): Promise<string> {
  const ttl = options.ttlSeconds ?? TOKEN_TTL_SECONDS;
  return new SignJWT({
    email: user.email,
    role: 'authenticated',
    app_metadata: { role: user.role, provider: 'email' },
    ...(user.tokenVersion === undefined ? {} : { [TOKEN_VERSION_CLAIM]: user.tokenVersion }),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(options.issuer ?? EMBEDDED_ISSUER)
    .setSubject(user.id)
    .setAudience('authenticated')
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttl)
    .sign(new TextEncoder().encode(jwtSecret));
}
