// The graphile-worker task `sync_catalog` ({run_id, dry_run, plan_id?}), enqueued by sync_catalog_with_stripe()
// / start_catalog_run(): runs syncCatalog and records a failure on the run before rethrowing (a
// retry plans again from scratch, which is what resuming means here).
import type { Task } from 'graphile-worker';
import { syncCatalog, type SyncCatalogDeps } from './syncCatalog.ts';
import { recordCatalogRunFailure } from './recordCatalogRunFailure.ts';

export const SYNC_CATALOG_TASK = 'sync_catalog';

export function parseSyncCatalogPayload(payload: unknown): { runId: string; dryRun: boolean; planId: string | null } {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  if (typeof p.run_id !== 'string' || typeof p.dry_run !== 'boolean') {
    throw new Error(`sync_catalog needs a payload {"run_id": "<uuid>", "dry_run": true|false} (got ${JSON.stringify(payload)})`);
  }
  if (p.plan_id !== undefined && p.plan_id !== null && typeof p.plan_id !== 'string') {
    throw new Error(`sync_catalog's plan_id must be the id (uuid) of the plan the run applies, or null (got ${JSON.stringify(p.plan_id)})`);
  }
  return { runId: p.run_id, dryRun: p.dry_run, planId: typeof p.plan_id === 'string' ? p.plan_id : null };
}

export function createSyncCatalogTask(deps: SyncCatalogDeps & { concurrency?: number }): Task {
  return async (payload) => {
    const { runId, dryRun, planId } = parseSyncCatalogPayload(payload);
    try {
      await syncCatalog(deps, { runId, dryRun, planId, concurrency: deps.concurrency });
    } catch (error) {
      await recordCatalogRunFailure(deps.pool, runId, error).catch((recordError: unknown) => deps.log?.error({ err: recordError, runId }, 'could not record the failed catalog run'));
      throw error;
    }
  };
}
