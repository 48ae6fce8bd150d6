// GET /api/config: what the UI needs to know about this deployment (nothing secret).
import { Hono } from 'hono';
import type { Config } from '../config.ts';
import type { AuthEnv } from './auth.ts';

export function stripeDashboardUrl(config: Pick<Config, 'stripeMode' | 'stripeApiUrl'>, emulatorDashboardUrl?: string): string {
  if (config.stripeMode === 'live') return 'https://dashboard.stripe.com';
  if (config.stripeMode === 'test') return 'https://dashboard.stripe.com/test';
  // The emulator serves its own read-only dashboard at its root: /products/:id.
  return (emulatorDashboardUrl ?? config.stripeApiUrl ?? '').replace(/\/$/, '');
}

export function configRoutes(deps: { config: Config; emulatorDashboardUrl?: string }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.get('/', (c) =>
    c.json({
      stripeMode: deps.config.stripeMode,
      stripeDashboardUrl: stripeDashboardUrl(deps.config, deps.emulatorDashboardUrl),
      driftPolicy: deps.config.driftPolicy,
    }),
  );
  return app;
}
