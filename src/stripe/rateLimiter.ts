// One rate limiter per process. Two rules, both enforced when a slot is reserved:
//  - a sliding window: at most `ratePerSecond` requests start in any window of one second, like
//    Stripe's own limiter (and the emulator's);
//  - smoothing (GCRA): starts are spaced 1/rate apart, with a burst of 5% of the rate allowed when
//    idle — so requests do not reach Stripe in lumps that network jitter could push into one window.
// Slots are reserved synchronously in call order (first come, first served, O(1) per request).
// Portable: only setTimeout and performance.now.

export interface RateLimiter {
  /** Requests per second this limiter allows. */
  readonly ratePerSecond: number;
  /** Resolves when the caller may send one request (the slot is taken at once, in call order). */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Slots reserved so far (requests admitted or waiting). */
  readonly admitted: number;
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
  // ring[head] is the start time of the capacity-th most recent reservation.
  const ring = new Float64Array(capacity).fill(-Infinity);
  let head = 0;
  let tat = -Infinity; // GCRA's theoretical arrival time of the next request
  let admitted = 0;

  return {
    ratePerSecond: rate,
    get admitted() {
      return admitted;
    },
    acquire(signal?: AbortSignal): Promise<void> {
      if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
      const t = now();
      // Reservations are non-decreasing, so every window holds at most `capacity` of them.
      const at = Math.max(t, ring[head] + windowMs, tat - tolerance);
      tat = Math.max(tat, at) + interval;
      ring[head] = at;
      head = (head + 1) % capacity;
      admitted++;
      if (at <= t) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        let timer: ReturnType<typeof setTimeout>;
        const onAbort = () => {
          clearTimeout(timer);
          reject(signal?.reason ?? new Error('aborted'));
        };
        // Timers may fire a little early by performance.now(): wait again until the slot's time.
        const wait = () => {
          const left = at - now();
          if (left <= 0) {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          } else timer = setTimeout(wait, Math.max(1, Math.ceil(left)));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        wait();
      });
    },
  };
}
