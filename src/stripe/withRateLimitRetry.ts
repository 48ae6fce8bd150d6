// Retries a request Stripe refused with 429: exponential backoff with full jitter, honouring a
// Retry-After header, re-taking a limiter slot before every attempt. Other errors go straight through
// (the SDK already retried 5xx, 409 and network errors).
import type { RateLimiter } from './rateLimiter.ts';
import { isRateLimitError } from './stripeErrors.ts';

export interface RateLimitRetryOptions {
  /** Retries after the first 429 (default 8). */
  maxRetries?: number;
  /** First backoff (default 250 ms), doubled each retry up to maxDelayMs (default 8 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Test seam; defaults to Math.random. */
  random?: () => number;
}

export interface RetryOutcome<T> {
  value: T;
  /** 429 answers absorbed before this success. */
  rateLimited: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function retryAfterMs(error: unknown): number | null {
  const headers = (error as { headers?: Record<string, string | undefined> }).headers;
  const raw = headers?.['retry-after'];
  if (!raw) return null;
  const seconds = Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
}

export async function withRateLimitRetry<T>(
  limiter: RateLimiter | null,
  send: () => Promise<T>,
  options: RateLimitRetryOptions = {},
  onRateLimited?: (attempt: number, delayMs: number, error: unknown) => void,
): Promise<RetryOutcome<T>> {
  const maxRetries = options.maxRetries ?? 8;
  const base = options.baseDelayMs ?? 250;
  const max = options.maxDelayMs ?? 8_000;
  const random = options.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    await limiter?.acquire();
    try {
      const value = await send();
      return { value, rateLimited: attempt };
    } catch (error) {
      if (!isRateLimitError(error) || attempt >= maxRetries) throw error;
      const ceiling = Math.min(max, base * 2 ** attempt);
      const delay = Math.max(retryAfterMs(error) ?? 0, ceiling / 2 + random() * (ceiling / 2));
      onRateLimited?.(attempt + 1, delay, error);
      await sleep(delay);
    }
  }
}
