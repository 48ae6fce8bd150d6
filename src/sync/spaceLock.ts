// At most one sync of a space at a time, across any number of worker processes: a session-level
// Postgres advisory lock keyed on the space id, held on a dedicated connection for the whole sync.
// Unlike a row lock it never blocks an admin editing the space meanwhile (the edit simply queues the
// next sync), and if the worker dies its connection closes and Postgres releases the lock. The sync
// also writes its steps on this same connection, so a sync that lost its connection (and so its
// lock) cannot write anything more. The lock is taken by spacesync_start_sync (startSync.ts), in the
// same round trip as the space is read.
import type { PoolClient } from '../db/pool.ts';

/** First key of the two-int advisory lock space: "spacesync sync_space". */
export const SPACE_LOCK_CLASS = 0x5353;

export interface SpaceLock {
  client: PoolClient;
  /** Unlocks and returns the connection to the pool (destroys it after an error). */
  release(error?: unknown): Promise<void>;
}

export class SpaceLockTimeoutError extends Error {
  override name = 'SpaceLockTimeoutError';
}

/** The lock of `spaceId`, held by `client`'s session. */
export function heldSpaceLock(client: PoolClient, spaceId: string): SpaceLock {
  let released = false;
  return {
    client,
    async release(error?: unknown) {
      if (released) return;
      released = true;
      if (error !== undefined && isConnectionBroken(error)) {
        client.release(error as Error);
        return;
      }
      try {
        // The key as spacesync_start_sync and spacesync_lock_held compute it: the uuid's own text.
        await client.query(`select pg_advisory_unlock($1::int, hashtext($2::uuid::text))`, [SPACE_LOCK_CLASS, spaceId]);
        client.release();
      } catch (unlockError) {
        // Closing the connection releases the lock too.
        client.release(unlockError as Error);
      }
    },
  };
}

/**
 * The error of a failed attempt to take the lock, and what becomes of its connection: a lock
 * timeout (55P03) leaves it usable (nothing is held); any other error destroys it (so whatever
 * it may hold is released with it).
 */
export function lockFailure(client: PoolClient, spaceId: string, timeoutMs: number, error: unknown): Error {
  if ((error as { code?: string }).code === '55P03') {
    client.release();
    return new SpaceLockTimeoutError(`space ${spaceId} is being synced by another worker for more than ${timeoutMs} ms; this sync will be retried`, { cause: error });
  }
  client.release(error instanceof Error ? error : new Error(String(error)));
  return new Error(`could not take the sync lock of space ${spaceId}`, { cause: error });
}

function isConnectionBroken(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return typeof code === 'string' && (code.startsWith('08') || code === '57P01' || code === 'ECONNRESET');
}
