// POST /api/auth/login (embedded login) and GET /api/auth/me.
import { Hono } from 'hono';
import { z } from 'zod';
import { authenticateUser } from '../auth/authenticateUser.ts';
import { isAdminClaims } from '../auth/claims.ts';
import { issueToken, TOKEN_TTL_SECONDS } from '../auth/issueToken.ts';
import { createLoginThrottle, type LoginThrottle } from '../auth/loginThrottle.ts';
import type { Pool } from '../db/pool.ts';
import { requireUser, type AuthEnv } from './auth.ts';
import { HttpError } from './httpError.ts';
import { readJson } from './readJson.ts';

const loginSchema = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) });

export function authRoutes(deps: { pool: Pool; jwtSecret?: string; throttle?: LoginThrottle }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const throttle = deps.throttle ?? createLoginThrottle();
  app.post('/login', async (c) => {
    const parsed = loginSchema.safeParse(await readJson(c));
    if (!parsed.success) throw new HttpError(400, 'validation_failed', 'send {"email": "...", "password": "..."}');
    if (!deps.jwtSecret) throw new HttpError(503, 'unavailable', 'the embedded login is off: JWT_SECRET is not configured (use your identity provider’s tokens)');
    const { email, password } = parsed.data;
    const waitMs = throttle.retryAfterMs(email);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      c.header('Retry-After', String(seconds));
      throw new HttpError(429, 'too_many_requests', `too many wrong passwords for this email: try again in ${Math.ceil(seconds / 60)} minute(s)`);
    }
    const user = await authenticateUser(deps.pool, email, password);
    if (!user) {
      throttle.failed(email);
      throw new HttpError(401, 'unauthorized', 'wrong email or password');
    }
    throttle.succeeded(email);
    const access_token = await issueToken(user, deps.jwtSecret);
    return c.json({ access_token, token_type: 'bearer', expires_in: TOKEN_TTL_SECONDS, user: { id: user.id, email: user.email, role: user.role } });
  });
  app.get('/me', requireUser, (c) => {
    const claims = c.get('claims');
    const admin = isAdminClaims(claims);
    return c.json({ id: claims?.sub ?? null, email: claims?.email ?? null, role: admin ? 'admin' : 'user', is_admin: admin });
  });
  return app;
}
