// Supabase Edge Function `drain-queue`: runs the due jobs of the queue within a time budget (pg_cron calls it every minute).
// A thin shell: the logic is src/edge/drainQueueHandler.ts, shared with the Node service's modules.
import { createEdgeDeps } from '../../../src/edge/edgeDeps.ts';
import { loadEdgeConfig } from '../../../src/edge/edgeConfig.ts';
import { createDrainQueueHandler } from '../../../src/edge/drainQueueHandler.ts';
import { serveFunction } from '../_shared/serveFunction.ts';

serveFunction('drain-queue', (env) => createDrainQueueHandler({ ...createEdgeDeps(loadEdgeConfig(env), { name: 'drain-queue' }), drainSecret: env.DRAIN_QUEUE_SECRET || undefined }));
