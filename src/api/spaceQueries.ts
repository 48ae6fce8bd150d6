// SQL for spaces and their prices, always run on a client from withClaims (RLS applies).
import type { PoolClient } from '../db/pool.ts';
import type { PriceValues, SpaceValues } from '../catalog/index.ts';
import { searchCountLimit, searchTotal } from './searchCountLimit.ts';

/** The catalog columns every API role may select (column privileges of migration 000051). */
const SPACE_PUBLIC_COLUMNS = `id, name, description, kind, capacity, location, images, currency, active, metadata,
  created_at, updated_at, deleted_at, version, stripe_product_id, sync_status, synced_version, last_synced_at, source, source_key`;

/** Sync internals come from space_sync_details, which is empty unless the caller is an admin: null for others. */
const PUBLIC_COLUMNS_OF_S = SPACE_PUBLIC_COLUMNS.replace(/(\w+)/g, 's.$1');
export const SPACE_COLUMNS = `${PUBLIC_COLUMNS_OF_S}, d.last_error, d.sync_attempt, d.drift,
  public.space_drift_unacknowledged(s.id) as drift_unacknowledged`;
// Per row of the page (an index lookup each), not a join of the whole table: `offset 0` keeps the
// planner from flattening the lateral subquery into a hash join over every space.
const SPACE_DETAILS_JOIN = `left join lateral (
  select d.last_error, d.sync_attempt, d.drift from public.space_sync_details d where d.space_id = s.id offset 0
) d on true`;

const PRICE_JSON = `coalesce((
  select json_agg(json_build_object(
    'id', p.id, 'pricing_type', p.pricing_type, 'unit_amount', p.unit_amount, 'currency', p.currency,
    'recurring_interval', p.recurring_interval, 'recurring_interval_count', p.recurring_interval_count,
    'tax_behavior', p.tax_behavior, 'currency_options', p.currency_options, 'nickname', p.nickname,
    'is_default', p.is_default, 'position', p.position, 'active', p.active, 'lookup_key', p.lookup_key,
    'stripe_price_id', p.stripe_price_id) order by p.position, p.created_at, p.id)
  from public.space_prices p where p.space_id = s.id and p.deleted_at is null), '[]'::json) as prices`;

export type SpaceRow = Record<string, unknown> & { id: string; prices: Array<Record<string, unknown>> };

/** One space with its prices, as the list and the detail send it: `${SPACE_SELECT} where ...`. */
export const SPACE_SELECT = `select ${SPACE_COLUMNS}, ${PRICE_JSON} from public.spaces s ${SPACE_DETAILS_JOIN}`;

/** The same, read by the server's own connection for the admins' live stream (no caller claims, so
 * the sync internals and the drift count are read from the tables, not through the admin-only view). */
export const SPACE_SELECT_FOR_STREAM = `select ${PUBLIC_COLUMNS_OF_S}, s.last_error, s.sync_attempt, s.drift,
  (select count(*)::int from public.space_drift_events e where e.space_id = s.id and e.acknowledged_at is null) as drift_unacknowledged,
  ${PRICE_JSON} from public.spaces s`;

/** Columns the list sorts by, each with its SQL and whether it may be null (nulls sort last); the id
 * breaks ties. Not-null columns are ordered without `nulls last` (the same order), so that an index
 * serves them. The search (spacesync_search_spaces, migration 000097) orders by the same. */
export const SPACE_SORTS = {
  created_at: { sql: 's.created_at', nullable: false },
  name: { sql: 's.sort_name', nullable: false },
  kind: { sql: 's.kind', nullable: false },
  capacity: { sql: 's.capacity', nullable: true },
  location: { sql: 's.sort_location', nullable: true },
  sync_status: { sql: 's.sync_status', nullable: false },
  updated_at: { sql: 's.updated_at', nullable: false },
} as const;
export type SpaceSort = keyof typeof SPACE_SORTS;

export interface ListFilters {
  q?: string;
  status?: string;
  sort?: SpaceSort;
  /** Ascending; the default is newest first for dates, A to Z otherwise. */
  order?: 'asc' | 'desc';
  limit: number;
  offset: number;
  includeDeleted: boolean;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (m) => `\\${m}`);
}

export interface SpaceList {
  data: SpaceRow[];
  /** Every matching row, or for a search counted up to a limit: then `total_capped` and there are more. */
  total: number;
  total_capped: boolean;
}

export async function listSpaces(client: PoolClient, f: ListFilters): Promise<SpaceList> {
  const sort = f.sort ?? 'created_at';
  const direction = f.order ?? (sort === 'created_at' || sort === 'updated_at' ? 'desc' : 'asc');
  if (f.q) return searchSpaces(client, f.q, { ...f, sort, order: direction });
  const where: string[] = [];
  const params: unknown[] = [];
  if (!f.includeDeleted) where.push('s.deleted_at is null');
  if (f.status) {
    params.push(f.status);
    where.push(`s.sync_status = $${params.length}`);
  }
  const whereSql = where.length ? `where ${where.join(' and ')}` : '';
  const { sql, nullable } = SPACE_SORTS[sort];
  const orderSql = `order by ${sql} ${direction}${nullable ? ' nulls last' : ''}, s.id ${direction}`;
  const count = await client.query<{ total: number }>(`select count(*)::int as total from public.spaces s ${whereSql}`, params);
  // The page is cut first, then its prices are read: rows skipped by OFFSET never build their JSON.
  // The folded sort keys are selected inside for the outer order only; the columns sent are SPACE_COLUMNS.
  const { rows } = await client.query<SpaceRow>(
    `select ${SPACE_COLUMNS}, ${PRICE_JSON}
       from (select ${SPACE_PUBLIC_COLUMNS}, s.sort_name, s.sort_location from public.spaces s ${whereSql}
              ${orderSql} limit $${params.length + 1} offset $${params.length + 2}) s
       ${SPACE_DETAILS_JOIN}
      ${orderSql}`,
    [...params, f.limit, f.offset],
  );
  return { data: rows, total: count.rows[0].total, total_capped: false };
}

/**
 * The search, accents and case ignored: spacesync_search_spaces (migration 000097) finds the page's
 * ids in the list's order and counts the matches up to searchCountLimit, through the indexes that
 * the caller's role could not use under RLS; the rows are then read under RLS, in that order.
 */
async function searchSpaces(client: PoolClient, q: string, f: ListFilters & { sort: SpaceSort; order: 'asc' | 'desc' }): Promise<SpaceList> {
  const countLimit = searchCountLimit(f.offset, f.limit);
  const found = await client.query<{ ids: string[]; total: number }>(
    `select ids, total from public.spacesync_search_spaces($1, $2, $3, $4, $5, $6, $7, $8)`,
    [`%${escapeLike(q)}%`, f.sort, f.order === 'desc', f.includeDeleted, f.status ?? null, f.limit, f.offset, countLimit + 1],
  );
  const { ids, total } = found.rows[0];
  const { rows } = ids.length === 0 ? { rows: [] } : await client.query<SpaceRow>(
    `select ${SPACE_COLUMNS}, ${PRICE_JSON}
       from unnest($1::uuid[]) with ordinality p(id, n)
       join public.spaces s on s.id = p.id
       ${SPACE_DETAILS_JOIN}
      order by p.n`,
    [ids],
  );
  return { data: rows, ...searchTotal(total, countLimit) };
}

export async function getSpace(client: PoolClient, id: string): Promise<SpaceRow | undefined> {
  const { rows } = await client.query<SpaceRow>(`${SPACE_SELECT} where s.id = $1`, [id]);
  return rows[0];
}

/** The content columns an API client may write (never the sync state). */
export const SPACE_WRITABLE = ['name', 'description', 'kind', 'capacity', 'location', 'images', 'currency', 'active', 'metadata'] as const;
export type SpaceWritable = (typeof SPACE_WRITABLE)[number];

const PRICE_WRITABLE = [
  'pricing_type', 'unit_amount', 'currency', 'recurring_interval', 'recurring_interval_count', 'tax_behavior',
  'currency_options', 'nickname', 'is_default', 'active', 'lookup_key', 'position',
] as const;

function toDb(column: string, value: unknown): unknown {
  // jsonb columns go as JSON text; arrays of text (images) as arrays.
  if (column === 'metadata' || column === 'currency_options') return JSON.stringify(value ?? {});
  return value;
}

export async function insertSpace(client: PoolClient, values: Partial<Pick<SpaceValues, SpaceWritable>>): Promise<string> {
  const columns = SPACE_WRITABLE.filter((c) => values[c] !== undefined);
  const { rows } = await client.query<{ id: string }>(
    `insert into public.spaces (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')}) returning id`,
    columns.map((c) => toDb(c, values[c])),
  );
  return rows[0].id;
}

export async function updateSpace(client: PoolClient, id: string, values: Partial<Pick<SpaceValues, SpaceWritable>>): Promise<boolean> {
  const columns = SPACE_WRITABLE.filter((c) => values[c] !== undefined);
  if (columns.length === 0) {
    const { rowCount } = await client.query(`select 1 from public.spaces where id = $1 for update`, [id]);
    return Boolean(rowCount);
  }
  const { rowCount } = await client.query(
    `update public.spaces set ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} where id = $1`,
    [id, ...columns.map((c) => toDb(c, values[c]))],
  );
  return Boolean(rowCount);
}

type PriceColumn = (typeof PRICE_WRITABLE)[number];

function priceColumns(price: PriceValues): PriceColumn[] {
  return PRICE_WRITABLE.filter((c) => price[c] !== undefined);
}

export async function insertPrice(client: PoolClient, spaceId: string, price: PriceValues, position: number): Promise<void> {
  const values = { ...price, position: price.position ?? position };
  const columns = priceColumns(values);
  await client.query(
    `insert into public.space_prices (space_id, ${columns.join(', ')}) values ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')})`,
    [spaceId, ...columns.map((c) => toDb(c, values[c]))],
  );
}

/** Updates a live price row of the space; false when the space has no such live row. */
export async function updatePrice(client: PoolClient, spaceId: string, price: PriceValues & { id: string }, position: number): Promise<boolean> {
  const values = { ...price, position: price.position ?? position };
  const columns = priceColumns(values);
  const { rowCount } = await client.query(
    `update public.space_prices set ${columns.map((c, i) => `${c} = $${i + 3}`).join(', ')}
      where id = $1 and space_id = $2 and deleted_at is null`,
    [price.id, spaceId, ...columns.map((c) => toDb(c, values[c]))],
  );
  return Boolean(rowCount);
}

/** Soft-deletes (through the trigger) the live prices of the space not in `keep`. */
export async function deletePricesExcept(client: PoolClient, spaceId: string, keep: string[]): Promise<void> {
  await client.query(`delete from public.space_prices where space_id = $1 and deleted_at is null and not (id = any($2::uuid[]))`, [spaceId, keep]);
}

export async function deleteSpace(client: PoolClient, id: string): Promise<void> {
  await client.query(`delete from public.spaces where id = $1`, [id]);
}
