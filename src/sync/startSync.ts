// The start of a sync, in one round trip on a connection of its own: the space's sync lock
// (spaceLock.ts), then the row marked `syncing` with the job's attempt and read with all its price
// rows and any pending create, one consistent state (spacesync_start_sync, migration 000081: the
// row is updated first, which returns its newest version N; the prices are read under a snapshot
// taken after that, so a price change either committed before and is seen, or waits for the row
// lock and becomes N + 1). A prepared statement: parsed once per connection, and the function's
// own statements are planned once per connection too. (The sync lock already needs a real session,
// a direct connection or a session-mode pooler, and those keep prepared statements.)
import type { Pool } from '../db/pool.ts';
import type { LoadedSpace } from './loadSpace.ts';
import { heldSpaceLock, lockFailure, type SpaceLock } from './spaceLock.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface StartedSync {
  lock: SpaceLock;
  /** Null when the space no longer exists (the lock is held all the same: release it). */
  loaded: LoadedSpace | null;
}

export async function startSync(pool: Pool, spaceId: string, attempt: number, options: { timeoutMs?: number } = {}): Promise<StartedSync> {
  if (!UUID.test(spaceId)) throw new Error(`"${spaceId}" is not a space id (a uuid)`);
  if (!Number.isInteger(attempt) || attempt < 0) throw new Error(`attempt must be a whole number (got ${attempt})`);
  const timeoutMs = options.timeoutMs ?? 120_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 0) throw new Error(`the sync lock timeout must be a whole number of ms (got ${timeoutMs})`);
  const client = await pool.connect();
  let rows: Array<Pick<LoadedSpace, 'space' | 'fingerprint' | 'prices' | 'intent'>>;
  try {
    ({ rows } = await client.query({
      name: 'spacesync_start_sync',
      text: `select space, fingerprint, prices, intent from public.spacesync_start_sync($1, $2, $3)`,
      values: [spaceId, attempt, timeoutMs],
    }));
  } catch (error) {
    throw lockFailure(client, spaceId, timeoutMs, error);
  }
  const lock = heldSpaceLock(client, spaceId);
  const row = rows[0];
  return { lock, loaded: row ? { space: row.space, fingerprint: row.fingerprint, prices: row.prices, intent: row.intent } : null };
}
