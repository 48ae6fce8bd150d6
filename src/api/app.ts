// The HTTP API: one Hono app, routes mounted from small modules.
import { Hono } from 'hono';
import type Stripe from 'stripe';
import type { Config } from '../config.ts';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { healthRoutes } from './healthz.ts';

export interface ApiDeps {
  config: Config;
  pool: Pool;
  stripe: Stripe;
  log: Logger;
}

export function createApp(deps: ApiDeps): Hono {
  const app = new Hono();
  app.route('/', healthRoutes(deps));
  return app;
}
