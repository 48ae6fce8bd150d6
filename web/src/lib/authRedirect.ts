// Signing in with Supabase Auth: Supabase's sign-in links (magic link, invite, OAuth, in the implicit
// flow) come back to the page with the session in the URL fragment,
//   #access_token=<JWT>&expires_in=3600&refresh_token=…&token_type=bearer&type=magiclink
// or with why it failed (#error=access_denied&error_code=otp_expired&error_description=…).
// Pure: reads a fragment, tells what it holds; main.tsx keeps the token and clears the fragment.
import type { SessionUser } from './session.ts';

export type AuthRedirect = { kind: 'session'; token: string; user: SessionUser } | { kind: 'error'; message: string } | null;

/** The claims the UI shows before /auth/me answers (the API verifies the token, the UI does not). */
function userOf(token: string): SessionUser | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as { sub?: unknown; email?: unknown; app_metadata?: { role?: unknown } };
    if (typeof claims.sub !== 'string') return null;
    return { id: claims.sub, email: typeof claims.email === 'string' ? claims.email : '', role: claims.app_metadata?.role === 'admin' ? 'admin' : 'user' };
  } catch {
    return null; // not a JWT
  }
}

export function parseAuthRedirect(hash: string): AuthRedirect {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const error = params.get('error_description') ?? params.get('error');
  if (error) return { kind: 'error', message: error };
  const token = params.get('access_token');
  if (!token) return null;
  const user = userOf(token);
  return user ? { kind: 'session', token, user } : { kind: 'error', message: 'the link’s access_token is not a JWT' };
}
