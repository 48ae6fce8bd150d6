// The one error class of the emulator: it carries Stripe's error body and HTTP status.
export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
  doc_url?: string;
}

export class StripeError extends Error {
  readonly status: number;
  readonly body: StripeErrorBody;
  /** Validation errors happen before an endpoint starts executing: Stripe does not store them for idempotency. */
  readonly validation: boolean;

  constructor(status: number, body: StripeErrorBody, validation = false) {
    super(body.message);
    this.name = 'StripeError';
    this.status = status;
    this.body = body;
    this.validation = validation;
  }

  toJSON(requestId?: string | null): { error: StripeErrorBody & { request_log_url?: string } } {
    const error: StripeErrorBody & { request_log_url?: string } = { ...this.body };
    if (requestId) error.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}?t=${Math.floor(Date.now() / 1000)}`;
    return { error };
  }
}

const docUrl = (code: string) => `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`;

export function invalidRequest(message: string, param?: string, code?: string, validation = false): StripeError {
  const body: StripeErrorBody = { type: 'invalid_request_error', message };
  if (code) {
    body.code = code;
    body.doc_url = docUrl(code);
  }
  if (param !== undefined) body.param = param;
  return new StripeError(400, body, validation);
}

/** A parameter problem detected while parsing: never stored for idempotency. */
export function invalidParam(message: string, param: string, code?: string): StripeError {
  return invalidRequest(message, param, code, true);
}

export function unknownParameter(param: string): StripeError {
  return invalidParam(`Received unknown parameter: ${param}`, param);
}

export function missingParam(param: string): StripeError {
  return invalidParam(`Missing required param: ${param}.`, param, 'parameter_missing');
}

export function resourceMissing(kind: string, id: string, param: string): StripeError {
  return new StripeError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    doc_url: docUrl('resource_missing'),
    message: `No such ${kind}: '${id}'`,
    param,
  });
}

export function unrecognizedUrl(method: string, path: string): StripeError {
  return new StripeError(404, {
    type: 'invalid_request_error',
    message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });
}

export function apiError(message = "Sorry, something went wrong. We've already been notified of the problem, but if you need any help, you can reach us at https://support.stripe.com/contact."): StripeError {
  return new StripeError(500, { type: 'api_error', message });
}

export function rateLimited(): StripeError {
  return new StripeError(429, {
    type: 'invalid_request_error',
    code: 'rate_limit',
    doc_url: docUrl('rate_limit'),
    message: 'Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
  });
}

export function noApiKey(): StripeError {
  return new StripeError(401, {
    type: 'invalid_request_error',
    message:
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
  });
}

export function invalidApiKey(key: string): StripeError {
  return new StripeError(401, {
    type: 'invalid_request_error',
    message: `Invalid API Key provided: ${maskKey(key)}`,
  });
}

export function maskKey(key: string): string {
  const prefix = /^(sk|rk|pk)_(test|live)_/.exec(key)?.[0] ?? '';
  const rest = key.slice(prefix.length);
  if (rest.length <= 4) return prefix + '*'.repeat(rest.length);
  return prefix + '*'.repeat(rest.length - 4) + rest.slice(-4);
}

export function idempotencyMismatch(key: string): StripeError {
  return new StripeError(400, {
    type: 'idempotency_error',
    message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
  });
}

export function idempotencyInFlight(key: string): StripeError {
  return new StripeError(409, {
    type: 'idempotency_error',
    code: 'idempotency_key_in_use',
    doc_url: docUrl('idempotency_key_in_use'),
    message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
  });
}
