// CORS for the Edge Functions: a browser page on another origin (supabase-js `functions.invoke`, the
// admin UI served from any host) sends a preflight first, and Supabase's runtime leaves answering it
// to the function. Every answer, errors included, carries the headers, or the browser hides it.
import type { FetchHandler } from './edgeApp.ts';

/**
 * What supabase-js sends (its own list, `corsHeaders` of `@supabase/supabase-js/cors`: authorization,
 * x-client-info, apikey, content-type, x-retry-count; x-region with a region), and the stream's resume header.
 */
export const CORS_ALLOW_HEADERS = 'authorization, x-client-info, apikey, content-type, x-retry-count, x-region, last-event-id';
export const CORS_ALLOW_METHODS = 'GET, POST, PATCH, PUT, DELETE, OPTIONS';

/**
 * `allowedOrigin`: one origin (CORS_ORIGIN) or undefined for any. Callers authenticate with a bearer
 * token, never a cookie, so allowing any origin gives a page nothing it could not do with the token.
 */
export function corsHeaders(requestOrigin: string | null, allowedOrigin?: string): Record<string, string> {
  const headers: Record<string, string> = {
    'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS,
    'Access-Control-Allow-Methods': CORS_ALLOW_METHODS,
    'Access-Control-Expose-Headers': 'content-type, retry-after, x-request-id',
    'Access-Control-Max-Age': '600',
  };
  if (!allowedOrigin) {
    headers['Access-Control-Allow-Origin'] = '*';
  } else {
    headers.Vary = 'Origin';
    if (requestOrigin === allowedOrigin) headers['Access-Control-Allow-Origin'] = allowedOrigin;
  }
  return headers;
}

/** Answers the preflight (204) and adds the CORS headers to whatever `handler` answers. */
export function withCors(handler: FetchHandler, allowedOrigin?: string): FetchHandler {
  const origin = allowedOrigin ? new URL(allowedOrigin).origin : undefined;
  return async (request) => {
    const headers = corsHeaders(request.headers.get('origin'), origin);
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers });
    const response = await handler(request);
    // Some responses (fetch's, Response.redirect) have immutable headers: copy when needed.
    try {
      for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
      return response;
    } catch {
      const copy = new Response(response.body, response);
      for (const [k, v] of Object.entries(headers)) copy.headers.set(k, v);
      return copy;
    }
  };
}
