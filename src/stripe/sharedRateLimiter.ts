// A rate limiter drawing on a budget shared by every process that talks to the same Stripe account:
// start times ("slots") are leased from the budget a few at a time (slotBudget.ts), and each request
// starts at one of them, so N processes on any machines together stay under the rate. A lease is
// asked for only when requests are waiting, sized by how many are (at most `maxBatch`, about 50 ms
// of the budget), and the next one is asked for while the last slots are being used, so a process
// never holds more than about two batches ahead: that is all a process that dies takes with it. Waiters are
// served first come, first served. Where the budget lives is the caller's business (`lease`).
//
// Stripe counts requests as they arrive, in any one-second window, so what matters is how far the
// arrivals stray from the schedule. A slot not used within one interval of its time is dropped, so
// late starts add at most one request to any second, however many processes share the budget.
import type { RateLimiter } from './rateLimiter.ts';
import { ClockOffset, leaseSize, localSlotTimes, SlotQueue } from './slotBudget.ts';

export interface SlotLeaseAnswer {
  /** The budget's clock when it answered, and the first slot's time on that clock (ms). */
  nowMs: number;
  firstMs: number;
  intervalMs: number;
  count: number;
}

export type LeaseSlotsFn = (wanted: number) => Promise<SlotLeaseAnswer>;

export interface SharedRateLimiterOptions {
  ratePerSecond: number;
  lease: LeaseSlotsFn;
  /** Most slots leased at once (default: 5% of a second's worth, at least 1). */
  maxBatch?: number;
  /**
   * A slot not used this long after its time is dropped (default: one interval): late starts then
   * add at most one request to any second.
   */
  maxLateMs?: number;
  /** Releases the lease's resources (its connection). */
  close?: () => Promise<void>;
  /** Told when a lease fails (the waiters then get the error). */
  onLeaseError?: (error: unknown) => void;
  /** The local clock, in ms since the epoch (default: performance.timeOrigin + performance.now()). */
  now?: () => number;
}

export interface SharedRateLimiter extends RateLimiter {
  /** Leases asked for so far, and slots dropped unused (too late). */
  readonly stats: { leases: number; slots: number; dropped: number };
  reserve(): void;
  close(): Promise<void>;
}

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export function createSharedRateLimiter(options: SharedRateLimiterOptions): SharedRateLimiter {
  const rate = options.ratePerSecond;
  if (!(rate > 0) || !Number.isFinite(rate)) {
    throw new Error(`createSharedRateLimiter: ratePerSecond must be a positive number (got ${rate})`);
  }
  const now = options.now ?? (() => performance.timeOrigin + performance.now());
  const clock = new ClockOffset();
  const interval = 1000 / rate;
  const maxBatch = Math.max(1, Math.floor(options.maxBatch ?? rate * 0.05));
  const maxLate = options.maxLateMs ?? interval;
  const slots = new SlotQueue(maxLate);
  const waiting: Waiter[] = [];
  const stats = { leases: 0, slots: 0, dropped: 0 };
  let admitted = 0;
  let leasing = false;
  let reserved = 0; // slots asked for by reserve() with nobody waiting yet
  // Slots of the last lease already too late when it came back (the budget was idle and the round
  // trip long): the next lease asks for as many more, so a slow database never starves a request.
  let extra = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed: Error | null = null;

  const lease = (wanted: number) => {
    leasing = true;
    stats.leases++;
    const sentAt = now();
    options.lease(wanted).then(
      (answer) => {
        leasing = false;
        stats.slots += answer.count;
        const receivedAt = now();
        clock.sample(answer.nowMs, sentAt, receivedAt);
        const times = localSlotTimes(answer, clock.offsetMs);
        extra = Math.min(Math.ceil(rate), times.filter((t) => t < receivedAt - maxLate).length);
        slots.add(times);
        pump();
      },
      (error: unknown) => {
        leasing = false;
        options.onLeaseError?.(error);
        const failed = waiting.splice(0);
        for (const w of failed) {
          if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
          w.reject(new Error(`could not lease Stripe request slots from the shared budget: ${(error as Error)?.message ?? String(error)}`, { cause: error }));
        }
      },
    );
  };

  const pump = () => {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    while (waiting.length > 0) {
      const next = slots.next(now());
      if (next.kind === 'now') {
        slots.take();
        admitted++;
        const w = waiting.shift() as Waiter;
        if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
        w.resolve();
        continue;
      }
      if (next.kind === 'wait') timer = setTimeout(pump, Math.max(1, Math.ceil(next.ms)));
      break;
    }
    stats.dropped = slots.dropped;
    if (closed || leasing) return;
    // The next lease is asked for while the last slots are used, never further ahead than that.
    const wanted = slots.size > maxBatch / 2 ? 0 : leaseSize(waiting.length, slots.size, { max: maxBatch });
    if (wanted > 0) {
      reserved = 0;
      lease(wanted + extra);
    } else if (reserved > 0 && slots.size === 0) {
      reserved = 0;
      lease(1 + extra);
    }
  };

  return {
    ratePerSecond: rate,
    stats,
    get admitted() {
      return admitted;
    },
    reserve() {
      // A process with requests waiting has its next lease under way already.
      if (closed || leasing || slots.size > 0 || waiting.length > 0) return;
      reserved = 1;
      pump();
    },
    acquire(signal?: AbortSignal): Promise<void> {
      if (closed) return Promise.reject(closed);
      if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
      return new Promise<void>((resolve, reject) => {
        const entry: Waiter = { resolve, reject, signal };
        if (signal) {
          entry.onAbort = () => {
            const i = waiting.indexOf(entry);
            if (i >= 0) waiting.splice(i, 1);
            reject(signal.reason ?? new Error('aborted'));
          };
          signal.addEventListener('abort', entry.onAbort, { once: true });
        }
        waiting.push(entry);
        pump();
      });
    },
    async close() {
      closed = new Error('the Stripe rate limiter is closed');
      if (timer !== null) clearTimeout(timer);
      timer = null;
      slots.clear();
      for (const w of waiting.splice(0)) w.reject(closed);
      await options.close?.();
    },
  };
}
