// The HTTP API: one Hono app, routes mounted from small modules. Portable (Web standards only): the
// Node entry serves it with @hono/node-server, a Supabase Edge Function with Deno.serve.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type Stripe from 'stripe';
import type { PasswordCheckLimiter } from '../auth/passwordCheckLimiter.ts';
import { createTokenIsCurrent } from '../auth/tokenIsCurrent.ts';
import { createTokenVerifier, type TokenVerifier } from '../auth/verifyToken.ts';
import type { Config } from '../config.ts';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { metrics } from '../metrics.ts';
import { authenticate, type AuthEnv } from './auth.ts';
import { authRoutes } from './authRoutes.ts';
import { catalogRoutes } from './catalogRoutes.ts';
import { configRoutes } from './configRoutes.ts';
import { healthRoutes } from './healthz.ts';
import { createErrorHandler, errorBody, HttpError } from './httpError.ts';
import { logsRoutes } from './logsRoutes.ts';
import { metricsRoutes } from './metricsRoutes.ts';
import { securityHeaders } from './securityHeaders.ts';
import { sourcesRoutes } from './sourcesRoutes.ts';
import { spacesRoutes } from './spacesRoutes.ts';
import { createMemoryStatusFeed, type StatusFeed } from './statusFeed.ts';
import { streamRoutes } from './streamRoutes.ts';
import { webhookRoutes } from './webhooks.ts';

export interface ApiDeps {
  config: Config;
  /** The privileged pool. User queries go through withClaims on it (set local role): RLS applies. */
  pool: Pool;
  stripe: Stripe;
  log: Logger;
  /** Live status for GET /api/stream (one LISTEN connection per process); none = a stream of pings. */
  statusFeed?: StatusFeed;
  /** Webhook signing secret (or a function reading it); defaults to config.stripeWebhookSecret. */
  webhookSecret?: string | (() => string | undefined);
  /** Replaces the verifier built from config.jwtSecret / config.jwksUrl. */
  verifyToken?: TokenVerifier;
  /** Base URL of the emulator's dashboard, for GET /api/config in emulator mode. */
  emulatorDashboardUrl?: string;
  /** The cap on concurrent password checks of the login (default: 1 running, 8 waiting). */
  passwordChecks?: PasswordCheckLimiter;
  /** How often GET /api/stream sends `: ping` (default 15 s). */
  streamPingIntervalMs?: number;
}

export const API_BODY_LIMIT = 1024 * 1024;
export const WEBHOOK_BODY_LIMIT = 512 * 1024;

function tooLarge(limit: number) {
  return bodyLimit({
    maxSize: limit,
    onError: (c) => {
      // The rest of the body is never read: the connection cannot serve another request, so say so
      // (the client opens a new one) instead of promising keep-alive and dropping it.
      c.header('Connection', 'close');
      throw new HttpError(413, 'payload_too_large', `the body is larger than ${limit / 1024} KB`);
    },
  });
}

export function createApp(deps: ApiDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const verify =
    deps.verifyToken ??
    createTokenVerifier({
      jwtSecret: deps.config.jwtSecret,
      jwksUrl: deps.config.jwksUrl,
      issuer: deps.config.jwtIssuer,
      maxLifetimeSeconds: deps.config.jwtMaxLifetimeSeconds,
      isCurrent: createTokenIsCurrent(deps.pool),
    });
  // Only the configured origin, never one derived from the request (its Host header is the client's).
  const allowedOrigin = deps.config.corsOrigin ? new URL(deps.config.corsOrigin).origin : undefined;

  app.onError(createErrorHandler(deps.log));
  app.notFound((c) =>
    c.req.path.startsWith('/api/') ? c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path}`), 404) : c.text('Not Found', 404),
  );

  app.use('*', async (c, next) => {
    await next();
    metrics.httpRequests.inc({ method: c.req.method, route: c.req.routePath || 'unmatched', status: `${Math.floor(c.res.status / 100)}xx` });
  });
  app.use('*', securityHeaders());

  app.use('/api/*', cors({
    // The UI served by this API is same-origin and needs no CORS; CORS_ORIGIN is the one other origin.
    origin: (origin) => (allowedOrigin !== undefined && origin === allowedOrigin ? origin : null),
    allowHeaders: ['Authorization', 'Content-Type'],
    // How long a refused sign-in waits (429): the UI says it.
    exposeHeaders: ['Retry-After'],
    allowMethods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
    maxAge: 600,
  }));
  app.use('/api/*', tooLarge(API_BODY_LIMIT));
  app.use('/webhooks/*', tooLarge(WEBHOOK_BODY_LIMIT));
  app.use('/api/*', authenticate(verify));

  app.route('/', healthRoutes(deps));
  app.route('/', metricsRoutes(deps));
  app.route('/webhooks', webhookRoutes({ ...deps, webhookSecret: deps.webhookSecret ?? deps.config.stripeWebhookSecret }));
  app.route('/api/auth', authRoutes({ pool: deps.pool, jwtSecret: deps.config.jwtSecret, jwtIssuer: deps.config.jwtIssuer, passwordChecks: deps.passwordChecks, supabaseUrl: deps.config.supabaseUrl, supabaseAnonKey: deps.config.supabaseAnonKey }));
  app.route('/api/config', configRoutes(deps));
  app.route('/api/spaces', spacesRoutes(deps));
  app.route('/api/catalog', catalogRoutes(deps));
  app.route('/api/sources', sourcesRoutes(deps));
  app.route('/api/logs', logsRoutes(deps));
  app.route('/api/stream', streamRoutes({ statusFeed: deps.statusFeed ?? createMemoryStatusFeed(), pool: deps.pool, pingIntervalMs: deps.streamPingIntervalMs }));
  return app;
}
