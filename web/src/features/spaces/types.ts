// Shapes of the API's answers for spaces (see the HTTP API contract): the `spaces` row with its live
// prices. Dates are ISO strings; bigint columns arrive as numbers.
import type { RecurringInterval, SyncStatus, TaxBehavior } from '../../lib/catalog.ts';

export interface Price {
  id: string;
  pricing_type: string;
  unit_amount: number;
  currency: string;
  recurring_interval: RecurringInterval | null;
  recurring_interval_count: number;
  tax_behavior: TaxBehavior;
  currency_options: Record<string, { unit_amount: number }>;
  nickname: string | null;
  is_default: boolean;
  position: number;
  active: boolean;
  lookup_key: string;
  stripe_price_id: string | null;
}

/** One field that differs between the catalog and Stripe. */
export interface DriftField {
  field: string;
  catalog?: unknown;
  stripe?: unknown;
}

export interface Drift {
  fields?: DriftField[];
  detected_at?: string;
  event_id?: string;
  [key: string]: unknown;
}

export interface Space {
  id: string;
  name: string;
  description: string | null;
  kind: string;
  capacity: number | null;
  location: string | null;
  images: string[];
  currency: string;
  active: boolean;
  metadata: Record<string, string>;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  version: number;
  stripe_product_id: string | null;
  sync_status: SyncStatus;
  synced_version: number | null;
  last_synced_at: string | null;
  last_error: string | null;
  sync_attempt: number;
  drift: Drift | null;
  /** Drifts an admin has not acknowledged yet (the row's "Stripe edit" badge). */
  drift_unacknowledged?: number | null;
  prices: Price[];
  /** The attached app table the space comes from (spacesync_sources.name), null for a native space. */
  source?: string | null;
  source_key?: string | null;
  /** Detail only, for admins, while the source is attached: the app table edits go to… */
  source_table?: string;
  /** …and, per field (`name`, `metadata.floor`, `prices`…), true or why it is read-only. */
  editable?: Record<string, true | ReadOnlyReason> | null;
}

/** Why a field of an attached space cannot be edited here (src/attach/editableFields.ts). */
export type ReadOnlyReason =
  | { code: 'expression'; sql: string; message: string }
  | { code: 'constant'; value: unknown; message: string }
  | { code: 'unmapped'; message: string };

/** A `space` stream event: the whole row as it is now, or `removed` when it is gone for good. */
export type SpaceStreamEvent = (Space & { removed?: undefined }) | { id: string; removed: true };

/** One drift of a space's history (GET /api/spaces/:id/drift-events and `drift` stream events). */
export interface DriftEvent {
  id: number;
  space_id: string;
  space_name?: string;
  detected_at: string;
  object: 'product' | 'price';
  object_id: string | null;
  fields: DriftField[];
  removed: boolean;
  policy: string | null;
  action: 'pending' | 'enforced' | 'adopted';
  resolved_at: string | null;
  acknowledged_at: string | null;
}

/** The sync columns a `space` stream event carries. */
export interface SpaceStatusEvent {
  id: string;
  sync_status: SyncStatus;
  version: number;
  synced_version: number | null;
  last_error: string | null;
  last_synced_at: string | null;
  stripe_product_id: string | null;
  sync_attempt: number;
}

export const SPACE_SORTS = ['created_at', 'name', 'kind', 'capacity', 'sync_status', 'updated_at'] as const;
export type SpaceSort = (typeof SPACE_SORTS)[number];

export interface SpaceListParams {
  q?: string;
  status?: SyncStatus | '';
  sort?: SpaceSort | '';
  order?: 'asc' | 'desc' | '';
}

export interface SpacePage {
  data: Space[];
  /** Every matching space, or for a search a count that stopped early: then `total_capped`, and more exist. */
  total: number;
  total_capped?: boolean;
}
