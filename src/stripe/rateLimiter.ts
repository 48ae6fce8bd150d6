// A rate limiter for one process (sharedRateLimiter.ts shares one budget between processes).
// Two rules, both enforced when a slot is reserved:
//  - a sliding window: at most `ratePerSecond` requests start in any window of one second, like
//    Stripe's own limiter (and the emulator's);
//  - smoothing (GCRA): starts are spaced 1/rate apart, with a burst of 5% of the rate allowed when
//    idle — so requests do not reach Stripe in lumps that network jitter could push into one window.
// Waiters are served first come, first served, O(1) per request.
// Portable: only setTimeout and performance.now.

export interface RateLimiter {
  /** Requests per second this limiter allows. */
  readonly ratePerSecond: number;
  /** Resolves when the caller may send one request (callers are served in call order). */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Requests admitted so far. */
  readonly admitted: number;
  /** A hint that a request is about to come: a limiter that must ask someone first may do so now. */
  reserve?(): void;
  /** Releases what the limiter holds (a shared budget's connection); waiters are refused. */
  close?(): Promise<void>;
}

export interface RateLimiterOptions {
  ratePerSecond: number;
  /** Requests allowed at once after an idle period (default 5% of the rate, at least 1). */
  burst?: number;
  /** Test seam for time; defaults to performance.now(). */
  now?: () => number;
}

/** Default requests per second: 90% of Stripe's limit (100/s live, 25/s test mode). */
export function defaultStripeRate(mode: 'live' | 'test' | 'emulator'): number {
  return mode === 'test' ? 22.5 : 90;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const rate = options.ratePerSecond;
  if (!(rate > 0) || !Number.isFinite(rate)) {
    throw new Error(`createRateLimiter: ratePerSecond must be a positive number (got ${rate})`);
  }
  const now = options.now ?? (() => performance.now());
  // `capacity` starts per window of `windowMs`: the same average rate, also for fractional rates.
  const capacity = Math.max(1, Math.floor(rate));
  const windowMs = (capacity * 1000) / rate;
  const interval = 1000 / rate;
  const burst = Math.max(1, Math.floor(options.burst ?? rate * 0.05));
  const tolerance = (burst - 1) * interval;
  // ring[head] is the actual start time of the capacity-th most recent request: times are recorded
  // when a request really starts, so a timer firing late never lets the next ones bunch up.
  const ring = new Float64Array(capacity).fill(-Infinity);
  let head = 0;
  let tat = -Infinity; // GCRA's theoretical arrival time of the next request
  let admitted = 0;
  const waiting: Array<{ resolve: () => void; reject: (e: unknown) => void; signal?: AbortSignal; onAbort?: () => void }> = [];
  let timer: ReturnType<typeof setTimeout> | null = null;

  const earliest = () => Math.max(ring[head] + windowMs, tat - tolerance);
  const grant = (t: number) => {
    ring[head] = t;
    head = (head + 1) % capacity;
    tat = Math.max(tat, t) + interval;
    admitted++;
  };
  const pump = () => {
    timer = null;
    while (waiting.length > 0) {
      const t = now();
      const at = earliest();
      if (at > t) {
        timer = setTimeout(pump, Math.max(1, Math.ceil(at - t)));
        return;
      }
      const next = waiting.shift();
      if (!next) return;
      if (next.onAbort) next.signal?.removeEventListener('abort', next.onAbort);
      grant(t);
      next.resolve();
    }
  };

  return {
    ratePerSecond: rate,
    get admitted() {
      return admitted;
    },
    acquire(signal?: AbortSignal): Promise<void> {
      if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
      const t = now();
      if (waiting.length === 0 && earliest() <= t) {
        grant(t);
        return Promise.resolve();
      }
      return new Promise<void>((resolve, reject) => {
        const entry: (typeof waiting)[number] = { resolve, reject, signal };
        if (signal) {
          entry.onAbort = () => {
            const i = waiting.indexOf(entry);
            if (i >= 0) waiting.splice(i, 1);
            reject(signal.reason ?? new Error('aborted'));
          };
          signal.addEventListener('abort', entry.onAbort, { once: true });
        }
        waiting.push(entry);
        if (timer === null) pump();
      });
    },
  };
}
