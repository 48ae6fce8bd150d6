// The Hono app every spacesync Edge Function answers with: the API's error shape and error handler,
// bearer authentication with the API's verifier, and routes on any path (Supabase serves a function
// under /functions/v1/<name>, the function sees /<name>; a local `deno serve` sees /).
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { authenticate, type AuthEnv } from '../api/auth.ts';
import { createErrorHandler, errorBody, HttpError } from '../api/httpError.ts';
import type { Logger } from '../log.ts';
import type { TokenVerifier } from '../auth/verifyToken.ts';

export const EDGE_BODY_LIMIT = 512 * 1024;

export function createEdgeApp(deps: { log: Logger; verifyToken?: TokenVerifier }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.onError(createErrorHandler(deps.log));
  app.notFound((c) => c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path}`), 404));
  app.use(
    '*',
    bodyLimit({
      maxSize: EDGE_BODY_LIMIT,
      onError: () => {
        throw new HttpError(413, 'payload_too_large', `the body is larger than ${EDGE_BODY_LIMIT / 1024} KB`);
      },
    }),
  );
  if (deps.verifyToken) app.use('*', authenticate(deps.verifyToken));
  return app;
}

export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * Builds the handler on the first request, so a misconfigured function answers 503 with the name of
 * the variable to fix in its logs instead of failing to boot without a word.
 */
export function lazyHandler(build: () => FetchHandler): FetchHandler {
  let handler: FetchHandler | undefined;
  return async (request) => {
    if (!handler) {
      try {
        handler = build();
      } catch (error) {
        console.error(JSON.stringify({ level: 'error', msg: 'the function is misconfigured', err: error instanceof Error ? error.message : String(error) }));
        return Response.json(errorBody('unavailable', 'the function is misconfigured: see its logs'), { status: 503 });
      }
    }
    return handler(request);
  };
}
