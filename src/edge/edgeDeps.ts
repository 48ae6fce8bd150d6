// What every spacesync Edge Function works with, made once per isolate from its configuration: a
// small pg pool on the project's database, the Stripe SDK over fetch (real Stripe, or STRIPE_API_URL),
// the rate-limited gateway, the token verifier and a logger.
import type Stripe from 'stripe';
import { createTokenIsCurrent } from '../auth/tokenIsCurrent.ts';
import { createTokenVerifier, type TokenVerifier } from '../auth/verifyToken.ts';
import { createPool, type Pool } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { createStripeClient } from '../stripe/createStripeClient.ts';
import { createStripeGateway, type StripeGateway } from '../stripe/stripeGateway.ts';
import { createConsoleLogger } from './consoleLogger.ts';
import type { EdgeConfig } from './edgeConfig.ts';

export interface EdgeDeps {
  config: EdgeConfig;
  pool: Pool;
  stripe: Stripe;
  gateway: StripeGateway;
  verifyToken: TokenVerifier;
  log: Logger;
}

/** Connections one isolate may hold: functions run many isolates, each with its own pool. */
export const EDGE_POOL_SIZE = 3;

export function createEdgeDeps(config: EdgeConfig, options: { name: string; log?: Logger } = { name: 'edge' }): EdgeDeps {
  const log = options.log ?? createConsoleLogger(config.logLevel, { function: options.name });
  const pool = createPool(config.databaseUrl, { max: EDGE_POOL_SIZE, applicationName: `spacesync-${options.name}` });
  const stripe = createStripeClient({ secretKey: config.stripeSecretKey, apiUrl: config.stripeApiUrl, useFetch: true });
  const gateway = createStripeGateway({ stripe, ratePerSecond: config.stripeRateLimit });
  // The same claim rules as the Node API: issuer where configured, lifetime, revocation of embedded-login tokens.
  const verifyToken = createTokenVerifier({
    jwtSecret: config.jwtSecret,
    jwksUrl: config.jwksUrl,
    issuer: config.jwtIssuer,
    maxLifetimeSeconds: config.jwtMaxLifetimeSeconds,
    isCurrent: createTokenIsCurrent(pool),
  });
  return { config, pool, stripe, gateway, verifyToken, log };
}
