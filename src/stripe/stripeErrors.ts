// What a failed Stripe request means for the sync, decided by the error's `type` / `code` (never by
// its message): retry it (transient) or stop and report it (permanent).

/** The fields of a stripe-node error this module reads. */
export interface StripeErrorLike {
  type?: string;
  rawType?: string;
  code?: string;
  statusCode?: number;
  message?: string;
  requestId?: string;
  headers?: Record<string, string>;
}

function fields(error: unknown): StripeErrorLike | null {
  return typeof error === 'object' && error !== null ? (error as StripeErrorLike) : null;
}

/** 429: Stripe's rate limiter (or a lock timeout) said slow down. The SDK does not retry these. */
export function isRateLimitError(error: unknown): boolean {
  const e = fields(error);
  return e !== null && (e.type === 'StripeRateLimitError' || e.statusCode === 429 || e.rawType === 'rate_limit_error');
}

/** The object does not exist (deleted, or another account's / mode's id). */
export function isResourceMissing(error: unknown): boolean {
  const e = fields(error);
  return e !== null && (e.code === 'resource_missing' || (e.type === 'StripeInvalidRequestError' && e.statusCode === 404));
}

/** A create with a custom `id` that Stripe already has (400, `resource_already_exists`). */
export function isResourceAlreadyExists(error: unknown): boolean {
  const e = fields(error);
  return e !== null && e.code === 'resource_already_exists';
}

/**
 * Worth retrying later: 5xx left after the SDK's retries, 429 left after our backoff, 409 conflicts,
 * network errors and timeouts. Everything else Stripe answered (4xx) is permanent.
 */
export function isTransientStripeError(error: unknown): boolean {
  const e = fields(error);
  if (e === null) return false;
  switch (e.type) {
    case 'StripeRateLimitError':
    case 'StripeAPIError':
    case 'StripeConnectionError':
    case 'StripeIdempotencyError': // 409: the same key is still in flight
    case 'StripeLockTimeoutError':
      return true;
    case 'StripeInvalidRequestError':
    case 'StripeAuthenticationError':
    case 'StripePermissionError':
    case 'StripeCardError':
    case 'StripeSignatureVerificationError':
      return false;
  }
  if (typeof e.statusCode === 'number') return e.statusCode === 429 || e.statusCode === 409 || e.statusCode >= 500;
  return false;
}

/** An error Stripe answered and a retry would get again: fix the data (or the key) first. */
export function isPermanentStripeError(error: unknown): boolean {
  const e = fields(error);
  if (e === null || typeof e.type !== 'string' || !e.type.startsWith('Stripe')) return false;
  return !isTransientStripeError(error);
}

/** A one-line description: Stripe's message with its type, code and request id. */
export function describeStripeError(error: unknown): string {
  const e = fields(error);
  if (e === null) return String(error);
  const what = [e.rawType ?? e.type, e.code].filter(Boolean).join('/');
  const base = e.message ?? String(error);
  return `${base}${what ? ` (${what}${e.requestId ? `, request ${e.requestId}` : ''})` : ''}`;
}
