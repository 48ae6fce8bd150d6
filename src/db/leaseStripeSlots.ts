// The Stripe request budget shared through Postgres (table stripe_rate_budgets, function
// spacesync_lease_stripe_slots): one lease is one statement, on a connection of its own so that a
// pool busy with syncs never delays the slots those syncs are waiting for.
import pg from 'pg';
import type { Pool } from './pool.ts';

export interface SlotLeaseAnswer {
  nowMs: number;
  firstMs: number;
  intervalMs: number;
  count: number;
}

export interface PgSlotLease {
  lease(wanted: number): Promise<SlotLeaseAnswer>;
  close(): Promise<void>;
}

export function pgSlotLease(pool: Pool, options: { budget: string; ratePerSecond: number; burst?: number }): PgSlotLease {
  // Kept open while idle (idleTimeoutMillis 0): the first request after a quiet time pays no connect.
  const own = new pg.Pool({ ...pool.options, max: 1, idleTimeoutMillis: 0, application_name: 'spacesync-stripe-budget' });
  own.on('error', () => {}); // an idle connection lost: the next lease reconnects
  return {
    async lease(wanted) {
      const { rows } = await own.query<{ now_ms: number; first_ms: number; slots: number; interval_ms: number }>(
        `select now_ms, first_ms, slots, interval_ms from public.spacesync_lease_stripe_slots($1, $2, $3, $4)`,
        [options.budget, options.ratePerSecond, wanted, options.burst ?? 1],
      );
      const r = rows[0];
      return { nowMs: r.now_ms, firstMs: r.first_ms, intervalMs: r.interval_ms, count: r.slots };
    },
    close: () => own.end(),
  };
}
