// The space a Stripe object stands for: by `metadata.space_id` with `managed_by = spacesync`, or, for
// a price without our metadata, by its product. Locked for the rest of the transaction, so two events
// about one space are handled one after the other.
import { MANAGED_BY, parseSnapshot, type PriceRecord, type SpaceRecord, type StripeSnapshot } from '../../catalog/index.ts';
import type { PoolClient } from '../../db/pool.ts';

export interface ManagedSpace {
  space: SpaceRecord;
  prices: PriceRecord[];
  snapshot: StripeSnapshot | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface StripeObjectLike {
  metadata?: Record<string, string> | null;
  product?: string | { id: string } | null;
}

export function managedSpaceId(object: StripeObjectLike): string | null {
  const id = object.metadata?.space_id;
  return object.metadata?.managed_by === MANAGED_BY && typeof id === 'string' && UUID.test(id) ? id : null;
}

export async function findManagedSpace(client: PoolClient, object: StripeObjectLike): Promise<ManagedSpace | null> {
  const spaceId = managedSpaceId(object);
  let rows: SpaceRecord[];
  if (spaceId) {
    ({ rows } = await client.query<SpaceRecord>('select * from public.spaces where id = $1 for update', [spaceId]));
  } else if (object.product) {
    const productId = typeof object.product === 'string' ? object.product : object.product.id;
    ({ rows } = await client.query<SpaceRecord>('select * from public.spaces where stripe_product_id = $1 for update', [productId]));
  } else {
    return null;
  }
  const space = rows[0];
  if (!space) return null;
  const { rows: prices } = await client.query<PriceRecord>('select * from public.space_prices where space_id = $1', [space.id]);
  let snapshot: StripeSnapshot | null = null;
  try {
    snapshot = parseSnapshot(space.stripe_snapshot);
  } catch {
    // A snapshot of another shape: compare with nothing; the forced sync rebuilds it from Stripe.
    snapshot = null;
  }
  return { space, prices, snapshot };
}
