// The graphile-worker task `sync_space` ({space_id, force?}): syncSpace with the job's attempt
// numbers. A permanent Stripe error completes the job (the space shows `error`; the next edit or a
// manual sync retries); a transient one throws, so graphile-worker retries with its backoff.
// Before the sync, the Stripe budget is told a request is coming (a shared budget leases its slot
// while the space is being locked and read); after it, the workers are woken when the space's next
// queued sync is due (queuedSyncWakeUp.ts).
import type { JobHelpers, Task } from 'graphile-worker';
import { wakeWorkersForQueuedSync } from './queuedSyncWakeUp.ts';
import { syncSpace, type SyncSpaceDeps } from './syncSpace.ts';

export const SYNC_SPACE_TASK = 'sync_space';

export interface SyncSpacePayload {
  space_id: string;
  force?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseSyncSpacePayload(payload: unknown): SyncSpacePayload {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  if (typeof p.space_id !== 'string' || !UUID.test(p.space_id)) {
    throw new Error(`sync_space needs a payload {"space_id": "<uuid>", "force"?: true} (got ${JSON.stringify(payload)})`);
  }
  return { space_id: p.space_id, force: p.force === true };
}

export function createSyncSpaceTask(deps: SyncSpaceDeps): Task {
  return async (payload: unknown, helpers: JobHelpers) => {
    const { space_id, force } = parseSyncSpacePayload(payload);
    deps.gateway.limiter.reserve?.();
    try {
      await runSync(space_id, force, helpers);
    } finally {
      await wakeWorkersForQueuedSync(deps.pool, space_id, (error) => deps.log?.warn({ err: error }, 'could not wake the workers')).catch((error: unknown) =>
        deps.log?.warn({ err: error, spaceId: space_id }, 'could not look for the next queued sync'),
      );
    }
  };

  async function runSync(space_id: string, force: boolean | undefined, helpers: JobHelpers): Promise<void> {
    await syncSpace(
      { ...deps, log: deps.log?.child({ task: SYNC_SPACE_TASK }) },
      {
        spaceId: space_id,
        force,
        attempt: helpers.job.attempts,
        maxAttempts: helpers.job.max_attempts,
        jobId: helpers.job.id,
      },
    );
  }
}
