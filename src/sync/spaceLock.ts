// At most one sync of a space at a time, across any number of worker processes: a session-level
// Postgres advisory lock keyed on the space id, held on a dedicated connection for the whole sync.
// Unlike a row lock it never blocks an admin editing the space meanwhile (the edit simply queues the
// next sync), and if the worker dies its connection closes and Postgres releases the lock. The sync
// also writes its steps on this same connection, so a sync that lost its connection (and so its
// lock) cannot write anything more.
import type { Pool, PoolClient } from '../db/pool.ts';

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

export async function lockSpace(pool: Pool, spaceId: string, options: { timeoutMs?: number } = {}): Promise<SpaceLock> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const client = await pool.connect();
  try {
    // One round trip: bound the wait, wait for the lock, restore the default.
    await client.query(
      `select set_config('lock_timeout', $3, false), pg_advisory_lock($1::int, hashtext($2::text)), set_config('lock_timeout', '0', false)`,
      [SPACE_LOCK_CLASS, spaceId, `${timeoutMs}ms`],
    );
  } catch (error) {
    const lockTimeout = (error as { code?: string }).code === '55P03';
    if (lockTimeout) await client.query(`set lock_timeout = 0`).catch(() => {});
    client.release(lockTimeout ? undefined : (error as Error));
    if (lockTimeout) {
      throw new SpaceLockTimeoutError(
        `space ${spaceId} is being synced by another worker for more than ${timeoutMs} ms; this sync will be retried`,
        { cause: error },
      );
    }
    throw new Error(`could not take the sync lock of space ${spaceId}`, { cause: error });
  }
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
        await client.query(`select pg_advisory_unlock($1::int, hashtext($2::text))`, [SPACE_LOCK_CLASS, spaceId]);
        client.release();
      } catch (unlockError) {
        // Closing the connection releases the lock too.
        client.release(unlockError as Error);
      }
    },
  };
}

function isConnectionBroken(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return typeof code === 'string' && (code.startsWith('08') || code === '57P01' || code === 'ECONNRESET');
}
