// The Deno side of every spacesync Edge Function: read the environment, build the portable handler
// (src/edge) on the first request, serve it. PORT is for running a function alone (`deno run`, tests);
// Supabase's runtime serves functions itself.
import { lazyHandler, type FetchHandler } from '../../../src/edge/edgeApp.ts';

export function serveFunction(name: string, build: (env: Record<string, string>) => FetchHandler): void {
  const handler = lazyHandler(() => build(Deno.env.toObject()));
  const port = Deno.env.get('PORT');
  if (port) {
    Deno.serve({ port: Number(port), hostname: '127.0.0.1', onListen: ({ port }) => console.log(JSON.stringify({ function: name, listening: port })) }, handler);
  } else {
    Deno.serve(handler);
  }
}
