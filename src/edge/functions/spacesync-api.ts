// Supabase Edge Function `spacesync-api`: the HTTP API of src/api (spaces, catalog, logs, the live
// status stream) for the admin UI served from any host, with Supabase Auth tokens.
// Bundled into supabase/functions/<name>/ by `spacesync supabase install`; the logic is src/edge/apiHandler.ts.
import { createApiHandler } from '../apiHandler.ts';
import { createEdgeDeps } from '../edgeDeps.ts';
import { loadEdgeConfig } from '../edgeConfig.ts';
import { serveFunction } from '../serveFunction.ts';

serveFunction('spacesync-api', (env) =>
  createApiHandler(createEdgeDeps(loadEdgeConfig(env), { name: 'spacesync-api' }), {
    streamMaxMs: env.STREAM_MAX_MS ? Number(env.STREAM_MAX_MS) : undefined,
  }),
);
