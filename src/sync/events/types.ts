// What an event handler gets and gives back.
import type Stripe from 'stripe';
import type { DriftPolicy } from '../../config.ts';
import type { PoolClient } from '../../db/pool.ts';
import type { Logger } from '../../log.ts';
import type { StripeGateway } from '../../stripe/stripeGateway.ts';

export interface EventContext {
  event: Stripe.Event;
  /** A client inside the processing transaction (privileged: the worker's connection). */
  client: PoolClient;
  /** Stripe, paced by the process's rate limiter. */
  gateway: StripeGateway;
  driftPolicy: DriftPolicy;
  log: Logger;
}

export interface DriftField {
  field: string;
  /** What the catalog wants. */
  catalog: unknown;
  /** What Stripe holds now. */
  stripe: unknown;
}

export interface EventOutcome {
  status: 'processed' | 'ignored';
  /** Stored in stripe_events.result; `reason` for ignored events, `action` for processed ones. */
  result: { reason?: string; action?: string; [k: string]: unknown };
}

export type EventHandler = (ctx: EventContext) => Promise<EventOutcome>;

export const ignored = (reason: string, extra: Record<string, unknown> = {}): EventOutcome => ({ status: 'ignored', result: { reason, ...extra } });

/** Thrown to have the job retried later (a sync of the space is running right now). */
export class DeferEventError extends Error {
  override name = 'DeferEventError';
}
