// Supabase Edge Function `create-stripe-catalog`: an admin plans (dry run) or applies a full catalog sync, with progress.
// Bundled into supabase/functions/<name>/ by `spacesync supabase install`; the logic is src/edge/catalogHandler.ts, shared with the Node service's modules.
import { createEdgeDeps } from '../edgeDeps.ts';
import { loadEdgeConfig } from '../edgeConfig.ts';
import { createCatalogHandler } from '../catalogHandler.ts';
import { serveFunction } from '../serveFunction.ts';

serveFunction('create-stripe-catalog', (env) => createCatalogHandler(createEdgeDeps(loadEdgeConfig(env), { name: 'create-stripe-catalog' })));
