// Drift: Stripe was changed behind our back. Recorded on the space (sync state: no version bump),
// logged, then handled by the drift policy.
import type { DriftPolicy } from '../../config.ts';
import type { PoolClient } from '../../db/pool.ts';
import type { ManagedSpace } from './findManagedSpace.ts';
import type { DriftField, EventOutcome } from './types.ts';
import { appLog } from '../appLog.ts';

export interface Drift {
  eventId: string;
  object: 'product' | 'price';
  objectId: string;
  fields: DriftField[];
  /** The object is gone (deleted) or archived behind our back: the sync must re-create/unarchive. */
  removed?: boolean;
}

export async function enqueueForcedSync(client: PoolClient, spaceId: string): Promise<number> {
  const { rows } = await client.query<{ id: number }>(
    `select (graphile_worker.add_job('sync_space', json_build_object('space_id', $1::uuid, 'force', true, 'source', 'drift'),
       job_key => 'sync_space:' || $1::text, max_attempts => 25)).id`,
    [spaceId],
  );
  return rows[0].id;
}

/** Adopt: Stripe's name, description and active (product) or active (price) become the catalog's. */
async function adopt(client: PoolClient, managed: ManagedSpace, drift: Drift): Promise<string[]> {
  const changed: string[] = [];
  const value = (field: string) => drift.fields.find((f) => f.field === field)?.stripe;
  if (drift.object === 'product') {
    if (drift.removed) {
      await client.query('update public.spaces set active = false where id = $1', [managed.space.id]);
      return ['active'];
    }
    const name = value('name');
    if (typeof name === 'string' && name.trim() !== '') {
      await client.query('update public.spaces set name = left($2, 250) where id = $1', [managed.space.id, name]);
      changed.push('name');
    }
    if (drift.fields.some((f) => f.field === 'description')) {
      const description = value('description');
      await client.query('update public.spaces set description = left($2, 5000) where id = $1', [managed.space.id, typeof description === 'string' ? description : null]);
      changed.push('description');
    }
    const active = value('active');
    if (typeof active === 'boolean') {
      await client.query('update public.spaces set active = $2 where id = $1', [managed.space.id, active]);
      changed.push('active');
    }
  } else {
    const rowId = managed.prices.find((p) => p.stripe_price_id === drift.objectId)?.id;
    const active = drift.removed ? false : value('active');
    if (rowId && typeof active === 'boolean') {
      await client.query('update public.space_prices set active = $2 where id = $1', [rowId, active]);
      changed.push('prices.active');
    }
  }
  return changed;
}

export async function recordDrift(client: PoolClient, managed: ManagedSpace, drift: Drift, policy: DriftPolicy): Promise<EventOutcome> {
  const detectedAt = new Date().toISOString();
  const record = { event_id: drift.eventId, object: drift.object, object_id: drift.objectId, fields: drift.fields, removed: drift.removed ?? false, detected_at: detectedAt, policy };
  await client.query(`update public.spaces set drift = $2, sync_status = 'drift' where id = $1`, [managed.space.id, JSON.stringify(record)]);
  const what = drift.removed ? `was ${drift.fields[0]?.field === 'deleted' ? 'deleted' : 'archived'}` : `changed (${drift.fields.map((f) => f.field).join(', ')})`;
  await appLog(client, {
    level: 'warn',
    source: 'webhook',
    event: 'drift_detected',
    spaceId: managed.space.id,
    message: `Stripe ${drift.object} ${drift.objectId} ${what} outside spacesync; policy ${policy}`,
    context: record,
  });
  const adopted = policy === 'adopt' ? await adopt(client, managed, drift) : [];
  // Under both policies a forced sync follows: it plans against the actual Stripe objects, so it
  // re-creates a deleted product, unarchives a price, and reverts what was not adopted.
  const jobId = await enqueueForcedSync(client, managed.space.id);
  return { status: 'processed', result: { action: policy, drift: record, adopted, job_id: jobId } };
}
