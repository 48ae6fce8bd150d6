// Supabase Edge Function `create-stripe-catalog`: an admin plans (dry run) or applies a full catalog sync, with progress.
// A thin shell: the logic is src/edge/catalogHandler.ts, shared with the Node service's modules.
import { createEdgeDeps } from '../../../src/edge/edgeDeps.ts';
import { loadEdgeConfig } from '../../../src/edge/edgeConfig.ts';
import { createCatalogHandler } from '../../../src/edge/catalogHandler.ts';
import { serveFunction } from '../_shared/serveFunction.ts';

serveFunction('create-stripe-catalog', (env) => createCatalogHandler(createEdgeDeps(loadEdgeConfig(env), { name: 'create-stripe-catalog' })));
