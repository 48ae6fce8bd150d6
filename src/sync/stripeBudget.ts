// The rate limiter of a process that talks to Stripe: the budget shared through Postgres by every
// worker, CLI sync and catalog run, so that together they stay under STRIPE_RATE_LIMIT.
import type { Pool } from '../db/pool.ts';
import { pgSlotLease } from '../db/leaseStripeSlots.ts';
import { createSharedRateLimiter, type SharedRateLimiter } from '../stripe/sharedRateLimiter.ts';

/** The budget's name: every process of one deployment shares it. */
export const STRIPE_BUDGET = 'stripe';

export function createStripeBudget(
  pool: Pool,
  options: { ratePerSecond: number; budget?: string; maxLateMs?: number; onLeaseError?: (error: unknown) => void },
): SharedRateLimiter {
  const lease = pgSlotLease(pool, { budget: options.budget ?? STRIPE_BUDGET, ratePerSecond: options.ratePerSecond });
  return createSharedRateLimiter({
    ratePerSecond: options.ratePerSecond,
    lease: lease.lease,
    close: lease.close,
    onLeaseError: options.onLeaseError,
    maxLateMs: options.maxLateMs,
  });
}
