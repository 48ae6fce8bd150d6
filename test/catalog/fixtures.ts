import type { PriceRecord, SpaceRecord } from '../../src/catalog/index.ts';

export const SPACE_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

export function makeSpace(overrides: Partial<SpaceRecord> = {}): SpaceRecord {
  return {
    id: SPACE_ID,
    name: 'Salle Eiffel',
    description: 'Bright room, 10 seats',
    kind: 'meeting_room',
    capacity: 10,
    location: 'Paris 7e',
    images: ['https://img.example/eiffel.jpg'],
    currency: 'eur',
    active: true,
    metadata: { floor: '3' },
    created_at: new Date('2025-01-01T00:00:00Z'),
    updated_at: new Date('2025-01-01T00:00:00Z'),
    deleted_at: null,
    version: 1,
    stripe_product_id: null,
    sync_status: 'pending',
    synced_version: null,
    last_synced_at: null,
    last_error: null,
    sync_attempt: 0,
    stripe_snapshot: null,
    drift: null,
    ...overrides,
  };
}

let counter = 0;

export function makePrice(overrides: Partial<PriceRecord> = {}): PriceRecord {
  counter += 1;
  const id = overrides.id ?? `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
  return {
    id,
    space_id: SPACE_ID,
    pricing_type: 'hourly',
    unit_amount: 1000,
    currency: 'eur',
    recurring_interval: null,
    recurring_interval_count: 1,
    tax_behavior: 'unspecified',
    currency_options: {},
    nickname: null,
    is_default: false,
    position: counter,
    active: true,
    lookup_key: `spacesync_0f8fad5b_${id.slice(-6)}`,
    stripe_price_id: null,
    created_at: new Date('2025-01-01T00:00:00Z'),
    updated_at: new Date('2025-01-01T00:00:00Z'),
    deleted_at: null,
    ...overrides,
  };
}
