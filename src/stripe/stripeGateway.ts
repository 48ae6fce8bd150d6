// The Stripe gateway: every request spacesync sends goes through here, paced by the process's rate
// limiter, with 429 answers backed off and retried (the SDK retries 5xx, 409 and network errors
// itself, with our idempotency key when we give one). Each request is recorded: endpoint, status,
// Stripe's request id, duration, replay, 429s absorbed; the record reaches metrics and `onCall`.
import type Stripe from 'stripe';
import { metrics } from '../metrics.ts';
import { createRateLimiter, type RateLimiter } from './rateLimiter.ts';
import type { StripeErrorLike } from './stripeErrors.ts';
import { withRateLimitRetry, type RateLimitRetryOptions } from './withRateLimitRetry.ts';

export interface StripeCallRecord {
  /** `METHOD /v1/path` with ids as `:id`, e.g. `POST /v1/prices/:id`. */
  endpoint: string;
  /** The id in the path, if any. */
  objectId: string | null;
  /** HTTP status of the last answer; null when none came (network error, timeout). */
  status: number | null;
  /** Stripe's `Request-Id` of the last answer. */
  requestId: string | null;
  /** Wall time including limiter waits and 429 backoffs, in ms. */
  durationMs: number;
  idempotencyKey: string | null;
  /** Stripe answered from its idempotency store (the request had already been applied). */
  replayed: boolean;
  /** 429 answers absorbed by backoff. */
  rateLimited: number;
}

/** A failed Stripe request: the SDK's error as `cause`, its type/code copied so callers can check them. */
export class StripeRequestError extends Error implements StripeErrorLike {
  override name = 'StripeRequestError';
  readonly type?: string;
  readonly rawType?: string;
  readonly code?: string;
  readonly statusCode?: number;
  readonly requestId?: string;
  readonly headers?: Record<string, string>;
  constructor(
    readonly record: StripeCallRecord,
    cause: unknown,
  ) {
    const e = (typeof cause === 'object' && cause !== null ? cause : {}) as StripeErrorLike;
    super(`${record.endpoint}${record.objectId ? ` (${record.objectId})` : ''} failed: ${e.message ?? String(cause)}`, { cause });
    this.type = e.type;
    this.rawType = e.rawType;
    this.code = e.code;
    this.statusCode = e.statusCode;
    this.requestId = e.requestId;
    this.headers = e.headers;
  }
}

export interface RequestOptions {
  idempotencyKey?: string;
  objectId?: string | null;
}

export interface StripeGateway {
  readonly stripe: Stripe;
  readonly limiter: RateLimiter;
  /**
   * Sends one request: `send` gets the SDK request options (idempotency key) and calls the SDK.
   * Resolves with the SDK's response and the record; rejects with a StripeRequestError.
   */
  request<T>(
    endpoint: string,
    send: (options: Stripe.RequestOptions) => Promise<Stripe.Response<T>>,
    options?: RequestOptions,
  ): Promise<{ value: Stripe.Response<T>; record: StripeCallRecord }>;
  /** Totals since the gateway was made. */
  readonly stats: { calls: number; failed: number; rateLimited: number };
}

export interface StripeGatewayOptions {
  stripe: Stripe;
  /** Requests per second (one limiter per process: pass `limiter` to share one). */
  ratePerSecond?: number;
  limiter?: RateLimiter;
  retry?: RateLimitRetryOptions;
  /** Called after every request, successful or not. */
  onCall?: (record: StripeCallRecord) => void;
}

function headerOf(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const v = headers?.[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? String(v[0]) : undefined;
}

export function createStripeGateway(options: StripeGatewayOptions): StripeGateway {
  const limiter =
    options.limiter ??
    (options.ratePerSecond !== undefined ? createRateLimiter({ ratePerSecond: options.ratePerSecond }) : undefined);
  if (!limiter) throw new Error('createStripeGateway: pass ratePerSecond or a shared limiter');
  const stats = { calls: 0, failed: 0, rateLimited: 0 };

  const finish = (record: StripeCallRecord) => {
    stats.calls += 1 + record.rateLimited;
    stats.rateLimited += record.rateLimited;
    metrics.stripeRequests.inc({ endpoint: record.endpoint, status: record.status === null ? 'network' : String(record.status) });
    options.onCall?.(record);
  };

  return {
    stripe: options.stripe,
    limiter,
    stats,
    async request(endpoint, send, opts = {}) {
      const started = performance.now();
      let rateLimited = 0;
      const requestOptions: Stripe.RequestOptions = opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {};
      try {
        const outcome = await withRateLimitRetry(limiter, () => send(requestOptions), options.retry, () => {
          rateLimited++;
          metrics.stripeRequests.inc({ endpoint, status: '429' });
        });
        const last = outcome.value.lastResponse;
        const record: StripeCallRecord = {
          endpoint,
          objectId: opts.objectId ?? null,
          status: last?.statusCode ?? 200,
          requestId: last?.requestId ?? null,
          durationMs: performance.now() - started,
          idempotencyKey: opts.idempotencyKey ?? null,
          replayed: headerOf(last?.headers, 'idempotent-replayed') === 'true',
          rateLimited,
        };
        finish(record);
        return { value: outcome.value, record };
      } catch (error) {
        const e = (typeof error === 'object' && error !== null ? error : {}) as StripeErrorLike;
        const record: StripeCallRecord = {
          endpoint,
          objectId: opts.objectId ?? null,
          status: typeof e.statusCode === 'number' ? e.statusCode : null,
          requestId: e.requestId ?? null,
          durationMs: performance.now() - started,
          idempotencyKey: opts.idempotencyKey ?? null,
          replayed: false,
          rateLimited,
        };
        stats.failed++;
        finish(record);
        throw new StripeRequestError(record, error);
      }
    },
  };
}
