// The Deno side of every spacesync Edge Function: read the environment, build the portable handler
// on the first request, answer CORS, serve it. PORT is for running a function alone (`deno run`,
// tests); Supabase's runtime serves functions itself.
/// <reference path="./deno.d.ts" />
import { corsHeaders, withCors } from './cors.ts';
import { lazyHandler, type FetchHandler } from './edgeApp.ts';

export function serveFunction(name: string, build: (env: Record<string, string>) => FetchHandler): void {
  const env = Deno.env.toObject();
  const handler = withCors(lazyHandler(() => build(env)), env.CORS_ORIGIN?.trim() || undefined);
  const guarded: FetchHandler = async (request) => {
    try {
      return await handler(request);
    } catch (error) {
      // The handlers answer their own errors; this is the last line, still with CORS headers.
      console.error(JSON.stringify({ level: 'error', function: name, msg: 'unhandled error', err: error instanceof Error ? error.message : String(error) }));
      return Response.json({ error: { code: 'internal', message: 'internal error' } }, { status: 500, headers: corsHeaders(request.headers.get('origin'), env.CORS_ORIGIN?.trim() || undefined) });
    }
  };
  const port = env.PORT;
  if (port) {
    Deno.serve({ port: Number(port), hostname: '127.0.0.1', onListen: ({ port }) => console.log(JSON.stringify({ function: name, listening: port })) }, guarded);
  } else {
    Deno.serve(guarded);
  }
}
