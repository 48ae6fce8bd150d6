// A precise sliding-window limiter: at most `rate` requests in any 1-second window.
// A ring buffer holds the times of the last `rate` admitted requests; O(1) per request.
export class RateLimiter {
  private ring: Float64Array;
  private head = 0;
  private readonly windowMs: number;
  private readonly clock: () => number;
  rate: number;

  constructor(rate = 0, windowMs = 1000, clock: () => number = () => performance.now()) {
    this.rate = rate;
    this.windowMs = windowMs;
    this.clock = clock;
    this.ring = new Float64Array(Math.max(0, rate)).fill(-Infinity);
  }

  setRate(rate: number): void {
    this.rate = Math.max(0, Math.floor(rate));
    this.ring = new Float64Array(this.rate).fill(-Infinity);
    this.head = 0;
  }

  /** True when admitted. With rate 0 there is no limit. */
  take(): boolean {
    if (this.rate <= 0) return true;
    const now = this.clock();
    // ring[head] is the oldest of the last `rate` admissions.
    if (now - this.ring[this.head] < this.windowMs) return false;
    this.ring[this.head] = now;
    this.head = (this.head + 1) % this.rate;
    return true;
  }
}
