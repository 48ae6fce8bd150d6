// Supabase Edge Function `sync-space-stripe`: an admin syncs one space with Stripe now (or queues it).
// A thin shell: the logic is src/edge/syncSpaceHandler.ts, shared with the Node service's modules.
import { createEdgeDeps } from '../../../src/edge/edgeDeps.ts';
import { loadEdgeConfig } from '../../../src/edge/edgeConfig.ts';
import { createSyncSpaceHandler } from '../../../src/edge/syncSpaceHandler.ts';
import { serveFunction } from '../_shared/serveFunction.ts';

serveFunction('sync-space-stripe', (env) => createSyncSpaceHandler(createEdgeDeps(loadEdgeConfig(env), { name: 'sync-space-stripe' })));
