// Waiters for the outcome of a sync, resolved by `space` stream events (not by a timer): the save
// and "Sync now" flows register one and turn its outcome into a toast. The latest event of each space
// is kept, so an outcome that arrived before the waiter was registered is not missed.
import type { SpaceStatusEvent } from '../spaces/types.ts';

export type SyncOutcome = 'synced' | 'error' | 'drift';

interface Watch {
  spaceId: string;
  /** A `synced` event counts once synced_version reaches this (the saved version). */
  minVersion: number | null;
  /** Events received before this time (performance.now()) are older than the request. */
  since: number;
  resolve(outcome: SyncOutcome, event: SpaceStatusEvent): void;
}

const watches = new Set<Watch>();
const latest = new Map<string, { event: SpaceStatusEvent; at: number }>();

function outcomeOf(watch: Watch, event: SpaceStatusEvent): SyncOutcome | null {
  switch (event.sync_status) {
    case 'synced':
      return watch.minVersion === null || (event.synced_version ?? 0) >= watch.minVersion ? 'synced' : null;
    case 'error':
      return 'error';
    case 'drift':
      return 'drift';
    default:
      return null;
  }
}

export function recordSpaceEvent(event: SpaceStatusEvent): void {
  latest.set(event.id, { event, at: performance.now() });
  for (const watch of watches) {
    if (watch.spaceId !== event.id) continue;
    const outcome = outcomeOf(watch, event);
    if (outcome) {
      watches.delete(watch);
      watch.resolve(outcome, event);
    }
  }
}

/** Calls `resolve` once with the sync's outcome; returns a function that cancels the wait. */
export function watchSync(
  spaceId: string,
  options: { minVersion: number | null; since: number },
  resolve: (outcome: SyncOutcome, event: SpaceStatusEvent) => void,
): () => void {
  const watch: Watch = { spaceId, ...options, resolve };
  const seen = latest.get(spaceId);
  if (seen && seen.at >= options.since) {
    const outcome = outcomeOf(watch, seen.event);
    if (outcome) {
      resolve(outcome, seen.event);
      return () => {};
    }
  }
  watches.add(watch);
  return () => watches.delete(watch);
}

/** The latest event of a space if it arrived at or after `since` (performance.now()). */
export function latestEventSince(spaceId: string, since: number): SpaceStatusEvent | undefined {
  const seen = latest.get(spaceId);
  return seen && seen.at >= since ? seen.event : undefined;
}

export function pendingWatchCount(): number {
  return watches.size;
}
