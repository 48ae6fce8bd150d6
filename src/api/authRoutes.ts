// POST /api/auth/login (embedded login), POST /api/auth/refresh (a Supabase Auth session renewed
// through Supabase Auth's token endpoint, so the UI needs no Supabase URL nor key of its own) and
// GET /api/auth/me.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { authenticateUser } from '../auth/authenticateUser.ts';
import { canonicalEmail } from '../auth/canonicalEmail.ts';
import { isAdminClaims } from '../auth/claims.ts';
import { issueToken, TOKEN_TTL_SECONDS } from '../auth/issueToken.ts';
import { refreshSupabaseSession } from '../auth/refreshSupabaseSession.ts';
import { createLoginThrottle, type LoginThrottle } from '../auth/loginThrottle.ts';
import { createPasswordCheckLimiter, PasswordChecksBusyError, type PasswordCheckLimiter } from '../auth/passwordCheckLimiter.ts';
import type { Pool } from '../db/pool.ts';
import { requireUser, type AuthEnv } from './auth.ts';
import { HttpError } from './httpError.ts';
import { readJson } from './readJson.ts';

/** Same rule as the users_email_valid constraint: something@something, no spaces. */
const EMAIL = /^[^@\s]+@[^@\s]+$/;

const loginSchema = z.object({
  email: z.string().trim().max(320).regex(EMAIL),
  password: z.string().min(1).max(1024),
});

const refreshSchema = z.object({ refresh_token: z.string().min(1).max(4096) });

export interface AuthRoutesDeps {
  pool: Pool;
  jwtSecret?: string;
  /** `iss` of the tokens issued (JWT_ISSUER); default `spacesync`. */
  jwtIssuer?: string;
  throttle?: LoginThrottle;
  passwordChecks?: PasswordCheckLimiter;
  /** Supabase project URL and anon (or publishable) key: POST /refresh calls its Auth API. */
  supabaseUrl?: string;
  supabaseAnonKey?: string;
}

function busy(c: Context, cause?: unknown): never {
  c.header('Retry-After', '1');
  throw new HttpError(503, 'unavailable', 'too many sign-ins at once: try again in a second', undefined, { cause });
}

export function authRoutes(deps: AuthRoutesDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const throttle = deps.throttle ?? createLoginThrottle(deps.pool);
  const passwordChecks = deps.passwordChecks ?? createPasswordCheckLimiter();
  app.post('/login', async (c) => {
    const parsed = loginSchema.safeParse(await readJson(c));
    if (!parsed.success) {
      const fields: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'body');
        fields[field] ??= field === 'email' ? 'must be an email address (at most 320 characters)' : field === 'password' ? 'must be 1 to 1024 characters' : 'must be an object';
      }
      throw new HttpError(400, 'validation_failed', 'send {"email": "...", "password": "..."}', fields);
    }
    if (!deps.jwtSecret) throw new HttpError(503, 'unavailable', 'the embedded login is off: JWT_SECRET is not configured (use your identity provider’s tokens)');
    // Under a flood, refuse before any database work: the answer costs next to nothing.
    if (passwordChecks.full) busy(c);
    const email = canonicalEmail(parsed.data.email);
    // Counted before the password is checked: attempts in flight count too.
    const waitMs = await throttle.attempt(email);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      c.header('Retry-After', String(seconds));
      const minutes = Math.ceil(seconds / 60);
      throw new HttpError(429, 'too_many_requests', `too many attempts for this email: try again in ${minutes} minute${minutes === 1 ? '' : 's'}`);
    }
    let user: Awaited<ReturnType<typeof authenticateUser>>;
    try {
      user = await passwordChecks.run(() => authenticateUser(deps.pool, email, parsed.data.password));
    } catch (error) {
      if (!(error instanceof PasswordChecksBusyError)) throw error;
      busy(c, error);
    }
    if (!user) throw new HttpError(401, 'unauthorized', 'wrong email or password');
    await throttle.succeeded(email);
    const access_token = await issueToken(user, deps.jwtSecret, { issuer: deps.jwtIssuer });
    return c.json({ access_token, token_type: 'bearer', expires_in: TOKEN_TTL_SECONDS, user: { id: user.id, email: user.email, role: user.role } });
  });
  app.post('/refresh', async (c) => {
    const parsed = refreshSchema.safeParse(await readJson(c));
    if (!parsed.success) throw new HttpError(400, 'validation_failed', 'send {"refresh_token": "..."}', { refresh_token: 'must be the session’s refresh token (1 to 4096 characters)' });
    if (!deps.supabaseUrl || !deps.supabaseAnonKey) {
      throw new HttpError(503, 'unavailable', 'session refresh is off: set SUPABASE_URL and SUPABASE_ANON_KEY (Supabase sets both in Edge Functions)');
    }
    const outcome = await refreshSupabaseSession({ supabaseUrl: deps.supabaseUrl, apiKey: deps.supabaseAnonKey }, parsed.data.refresh_token);
    if (outcome.ok) {
      c.header('Cache-Control', 'no-store');
      return c.json(outcome.session);
    }
    if (outcome.kind === 'ended') throw new HttpError(401, 'session_ended', `${outcome.message}: sign in again`);
    if (outcome.kind === 'throttled') {
      if (outcome.retryAfterSeconds !== undefined) c.header('Retry-After', String(outcome.retryAfterSeconds));
      throw new HttpError(429, 'too_many_requests', `Supabase Auth refused the refresh for now (${outcome.message}): try again later`);
    }
    throw new HttpError(502, 'auth_unavailable', outcome.message);
  });
  app.get('/me', requireUser, (c) => {
    const claims = c.get('claims');
    const admin = isAdminClaims(claims);
    return c.json({ id: claims?.sub ?? null, email: claims?.email ?? null, role: admin ? 'admin' : 'user', is_admin: admin });
  });
  return app;
}
