// Applying a `space` stream event to a cached row, and the rule that tells whether an event is newer
// than a row fetched around the same time (a list fetched while a sync finished must not hide it).
import type { Space, SpaceStatusEvent } from '../spaces/types.ts';

export function patchSpace(space: Space, e: SpaceStatusEvent): Space {
  if (
    space.sync_status === e.sync_status &&
    space.synced_version === e.synced_version &&
    space.last_error === e.last_error &&
    space.last_synced_at === e.last_synced_at &&
    space.version === e.version &&
    space.stripe_product_id === e.stripe_product_id &&
    space.sync_attempt === e.sync_attempt
  ) {
    return space;
  }
  return {
    ...space,
    sync_status: e.sync_status,
    version: e.version,
    synced_version: e.synced_version,
    last_error: e.last_error,
    last_synced_at: e.last_synced_at,
    stripe_product_id: e.stripe_product_id,
    sync_attempt: e.sync_attempt,
  };
}

const stage = (status: Space['sync_status']): number => (status === 'pending' ? 0 : status === 'syncing' ? 1 : 2);

/** The event describes a later state than the row: a later version, or the same one further along. */
export function isNewerThan(e: SpaceStatusEvent, space: Space): boolean {
  return e.version > space.version || (e.version === space.version && stage(e.sync_status) > stage(space.sync_status));
}
