// Slows password guessing on the embedded login: at most `maxAttempts` attempts per email within
// `windowMs`; beyond, the email is refused (429, with how long to wait) until its window has passed.
// Every attempt is counted before its password is checked, in Postgres, under the row lock of an
// `insert ... on conflict do update ... returning`: concurrent attempts cannot slip past the count, and
// several API processes share it. A successful login clears the count. Keys are canonical emails.
import type { Pool } from '../db/pool.ts';

export interface LoginThrottle {
  /** Counts one attempt for this email; 0 when it may go on, else milliseconds to wait. */
  attempt(email: string): Promise<number>;
  /** The password was right: forget the email's attempts. */
  succeeded(email: string): Promise<void>;
}

export const LOGIN_MAX_ATTEMPTS = 5;
export const LOGIN_WINDOW_MS = 15 * 60_000;

/** Milliseconds to wait after the `attempts`-th attempt of a window that started at `windowStart`. */
export function retryAfterMs(attempts: number, windowStart: number, now: number, maxAttempts: number, windowMs: number): number {
  return attempts > maxAttempts ? Math.max(1000, windowStart + windowMs - now) : 0;
}

export function createLoginThrottle(pool: Pool, options: { maxAttempts?: number; windowMs?: number } = {}): LoginThrottle {
  const maxAttempts = options.maxAttempts ?? LOGIN_MAX_ATTEMPTS;
  const windowMs = options.windowMs ?? LOGIN_WINDOW_MS;
  return {
    async attempt(email) {
      const { rows } = await pool.query<{ attempts: number; window_start_ms: string; now_ms: string }>(
        `with stale as (
           delete from public.login_attempts where window_start < now() - make_interval(secs => $2 / 1000.0) and email <> $1
         )
         insert into public.login_attempts as a (email, attempts, window_start) values ($1, 1, now())
         on conflict (email) do update set
           attempts = case when a.window_start < now() - make_interval(secs => $2 / 1000.0) then 1 else a.attempts + 1 end,
           window_start = case when a.window_start < now() - make_interval(secs => $2 / 1000.0) then now() else a.window_start end
         returning attempts, (extract(epoch from window_start) * 1000)::bigint as window_start_ms, (extract(epoch from now()) * 1000)::bigint as now_ms`,
        [email, windowMs],
      );
      const row = rows[0];
      return retryAfterMs(row.attempts, Number(row.window_start_ms), Number(row.now_ms), maxAttempts, windowMs);
    },
    async succeeded(email) {
      await pool.query('delete from public.login_attempts where email = $1', [email]);
    },
  };
}
