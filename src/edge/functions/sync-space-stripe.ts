// Supabase Edge Function `sync-space-stripe`: an admin syncs one space with Stripe now (or queues it).
// Bundled into supabase/functions/<name>/ by `spacesync supabase install`; the logic is src/edge/syncSpaceHandler.ts, shared with the Node service's modules.
import { createEdgeDeps } from '../edgeDeps.ts';
import { loadEdgeConfig } from '../edgeConfig.ts';
import { createSyncSpaceHandler } from '../syncSpaceHandler.ts';
import { serveFunction } from '../serveFunction.ts';

serveFunction('sync-space-stripe', (env) => createSyncSpaceHandler(createEdgeDeps(loadEdgeConfig(env), { name: 'sync-space-stripe' })));
