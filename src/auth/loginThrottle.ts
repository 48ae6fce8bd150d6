// Slows password guessing on the embedded login: after `maxFailures` wrong passwords for one email
// within `windowMs`, that email is refused (429, with how long to wait) until the window has passed.
// A successful login clears the count. In memory, per process: enough for the one API process of the
// embedded setup; behind several API processes each counts on its own.

export interface LoginThrottle {
  /** Milliseconds to wait before this email may try again; 0 when it may try now. */
  retryAfterMs(email: string, now?: number): number;
  failed(email: string, now?: number): void;
  succeeded(email: string): void;
}

export function createLoginThrottle(options: { maxFailures?: number; windowMs?: number; maxTracked?: number } = {}): LoginThrottle {
  const maxFailures = options.maxFailures ?? 5;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const maxTracked = options.maxTracked ?? 10_000;
  // email → times of its recent failures, oldest first.
  const failures = new Map<string, number[]>();
  const key = (email: string) => email.trim().toLowerCase();
  const recent = (email: string, now: number) => (failures.get(key(email)) ?? []).filter((t) => now - t < windowMs);

  return {
    retryAfterMs(email, now = Date.now()) {
      const times = recent(email, now);
      return times.length >= maxFailures ? times[times.length - maxFailures] + windowMs - now : 0;
    },
    failed(email, now = Date.now()) {
      const times = recent(email, now);
      times.push(now);
      failures.delete(key(email));
      failures.set(key(email), times.slice(-maxFailures));
      // Forget the emails that failed longest ago when too many are tracked (the map keeps insertion order).
      while (failures.size > maxTracked) failures.delete(failures.keys().next().value!);
    },
    succeeded(email) {
      failures.delete(key(email));
    },
  };
}
