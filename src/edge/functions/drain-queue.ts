// Supabase Edge Function `drain-queue`: runs the due jobs of the queue within a time budget (pg_cron calls it every minute).
// Bundled into supabase/functions/<name>/ by `spacesync supabase install`; the logic is src/edge/drainQueueHandler.ts, shared with the Node service's modules.
import { createEdgeDeps } from '../edgeDeps.ts';
import { loadEdgeConfig } from '../edgeConfig.ts';
import { createDrainQueueHandler } from '../drainQueueHandler.ts';
import { serveFunction } from '../serveFunction.ts';

serveFunction('drain-queue', (env) => createDrainQueueHandler({ ...createEdgeDeps(loadEdgeConfig(env), { name: 'drain-queue' }), drainSecret: env.DRAIN_QUEUE_SECRET || undefined }));
