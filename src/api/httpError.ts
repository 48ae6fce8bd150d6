// One error class for every HTTP failure, rendered by one `app.onError` in the contract's shape:
// { error: { code, message, fields? } }.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from '../log.ts';

export type ErrorCode = 'validation_failed' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'payload_too_large' | 'too_many_requests' | 'unavailable' | 'session_ended' | 'auth_unavailable' | 'internal';

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function errorBody(code: ErrorCode, message: string, fields?: Record<string, string>) {
  return { error: fields ? { code, message, fields } : { code, message } };
}

/** `app.onError`: HttpError as is; anything else is our fault, logged with its cause, answered without details. */
export function createErrorHandler(log: Logger) {
  return (error: Error, c: Context) => {
    if (error instanceof HttpError) {
      if (error.status === 401) c.header('WWW-Authenticate', 'Bearer');
      return c.json(errorBody(error.code, error.message, error.fields), error.status);
    }
    // hono's own HTTPException (body limit, malformed JSON in validators) carries a Response.
    if ('getResponse' in error && typeof error.getResponse === 'function' && 'status' in error) {
      const status = Number(error.status) as ContentfulStatusCode;
      const code: ErrorCode = status === 413 ? 'payload_too_large' : status === 401 ? 'unauthorized' : status < 500 ? 'validation_failed' : 'internal';
      return c.json(errorBody(code, error.message || 'request refused'), status);
    }
    log.error({ err: { name: error.name, message: error.message, code: (error as { code?: string }).code }, path: c.req.path, method: c.req.method }, 'request failed');
    return c.json(errorBody('internal', 'internal error: the server could not complete the request; try again, and see the server logs'), 500);
  };
}
