// The graphile-worker task `process_stripe_event` ({event_id}): loads the stored event, skips it when
// a newer event about the same object was already handled, runs its type's handler in one
// transaction, and records the outcome in stripe_events (processed_at, status, result / error).
import type { JobHelpers } from 'graphile-worker';
import type Stripe from 'stripe';
import type { DriftPolicy } from '../../config.ts';
import type { PoolClient } from '../../db/pool.ts';
import { silentLogger, type Logger } from '../../log.ts';
import { metrics } from '../../metrics.ts';
import type { StripeGateway } from '../../stripe/stripeGateway.ts';
import { eventHandlers } from './eventHandlers.ts';
import { ignored, type EventHandler, type EventOutcome } from './types.ts';

export interface ProcessStripeEventDeps {
  /** Stripe through the process's gateway, so re-reads share its rate limiter. */
  gateway: StripeGateway;
  driftPolicy: DriftPolicy;
  log?: Logger;
  /** Defaults to `eventHandlers`. */
  handlers?: Record<string, EventHandler>;
}

/** What the task needs of graphile-worker's helpers (so it can also be called directly). */
export type EventTaskHelpers = Pick<JobHelpers, 'withPgClient'> & { job?: { id: string | number } };

interface StoredEvent {
  id: string;
  type: string;
  status: string;
  object_id: string | null;
  event_created: Date | null;
  object_updated: Date | null;
  payload: Stripe.Event;
}

/** Another event about the same object, already handled, shows a newer state than this one. */
async function isStale(client: PoolClient, event: StoredEvent): Promise<boolean> {
  if (!event.object_id) return false;
  const { rowCount } = await client.query(
    `select 1 from public.stripe_events
      where object_id = $1 and id <> $2 and status in ('processed', 'ignored')
        and (case when $3::timestamptz is not null and object_updated is not null then object_updated > $3::timestamptz
                  else event_created > $4::timestamptz end)
      limit 1`,
    [event.object_id, event.id, event.object_updated, event.event_created],
  );
  return Boolean(rowCount);
}

function eventIdOf(payload: unknown): string {
  const id = typeof payload === 'object' && payload !== null ? (payload as { event_id?: unknown }).event_id : undefined;
  if (typeof id !== 'string' || id === '') throw new Error('process_stripe_event needs a payload {"event_id": "evt_..."}');
  return id;
}

export function createProcessStripeEvent(deps: ProcessStripeEventDeps) {
  const handlers = deps.handlers ?? eventHandlers;
  const baseLog = deps.log ?? silentLogger;
  return async function processStripeEvent(payload: unknown, helpers: EventTaskHelpers): Promise<void> {
    const eventId = eventIdOf(payload);
    const log = baseLog.child({ eventId, jobId: helpers.job?.id });
    await helpers.withPgClient(async (client) => {
      let type = 'unknown';
      let outcome: EventOutcome;
      await client.query('begin');
      try {
        const { rows } = await client.query<StoredEvent>(
          `select id, type, status, object_id, event_created, object_updated, payload from public.stripe_events where id = $1 for update`,
          [eventId],
        );
        const event = rows[0];
        if (!event) {
          await client.query('rollback');
          log.warn('no stored Stripe event has this id: nothing to process');
          return;
        }
        type = event.type;
        if (event.status === 'processed' || event.status === 'ignored') {
          await client.query('rollback');
          return;
        }
        const handler = handlers[event.type];
        if (!handler) outcome = ignored('unhandled_type');
        else if (await isStale(client, event)) outcome = ignored('stale', { newer_event_seen: true });
        else outcome = await handler({ event: event.payload, client, gateway: deps.gateway, driftPolicy: deps.driftPolicy, log });
        await client.query(
          `update public.stripe_events set status = $2, processed_at = now(), result = $3, error = null where id = $1`,
          [eventId, outcome.status, JSON.stringify(outcome.result)],
        );
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => {});
        const message = error instanceof Error ? error.message : String(error);
        await client
          .query(`update public.stripe_events set status = 'failed', error = $2 where id = $1`, [eventId, message.slice(0, 2000)])
          .catch(() => {});
        metrics.webhookEvents.inc({ type, result: error instanceof Error && error.name === 'DeferEventError' ? 'deferred' : 'failed' });
        throw error;
      }
      const result = outcome.status === 'processed' ? String(outcome.result.action ? 'drift' : 'processed') : String(outcome.result.reason ?? 'ignored');
      metrics.webhookEvents.inc({ type, result });
      log.debug({ type, status: outcome.status, result: outcome.result }, 'Stripe event handled');
    });
  };
}
