// Spaces attached from an app's own table: their edits go to the app's row through the SQL functions
// spacesync_edit_source_row / spacesync_delete_source_row (migration 000095), and their detail says
// which fields may be edited (src/attach/editableFields.ts). Run on a client from withClaims.
import { editableFields, type EditableFields } from '../attach/editableFields.ts';
import { mappingSchema } from '../attach/mapping.ts';
import type { PoolClient } from '../db/pool.ts';
import { toHttpError } from './dbError.ts';
import { HttpError } from './httpError.ts';

export interface SpaceSource {
  source: string;
  sourceTable: string;
  /** Null for a caller who may not read the registry (only admins may). */
  mapping: unknown;
  detachedAt: Date | null;
}

/** The source of a space when it has one the caller can see, else undefined (native space, or none). */
export async function spaceSource(client: PoolClient, spaceId: string): Promise<SpaceSource | undefined> {
  const { rows } = await client.query<{ source: string | null; source_table: string | null; mapping: unknown; detached_at: Date | null }>(
    `select s.source, r.source_table, r.mapping, r.detached_at
       from public.spaces s left join public.spacesync_sources r on r.name = s.source
      where s.id = $1`,
    [spaceId],
  );
  const row = rows[0];
  if (!row?.source) return undefined;
  return { source: row.source, sourceTable: row.source_table ?? row.source, mapping: row.mapping ?? null, detachedAt: row.detached_at };
}

/** Attached now: edits go to the app's table. A detached source's spaces are edited like native ones. */
export function isAttached(source: SpaceSource | undefined): source is SpaceSource {
  return source !== undefined && source.mapping !== null && source.detachedAt === null;
}

/** `editable` for a space's detail: null when the mapping cannot be read or is not valid any more. */
export function editableOf(source: SpaceSource): EditableFields | null {
  const parsed = mappingSchema.safeParse(source.mapping);
  return parsed.success ? editableFields(parsed.data) : null;
}

const CATALOG_TABLES = new Set(['spaces', 'space_prices']);

/**
 * The SQL functions' refusals as HTTP: a read-only field (SQLSTATE 55000 naming a column) is a 400 on
 * that field, so the form shows it there; a source that cannot take edits now is a 409.
 */
function toSourceHttpError(error: unknown): unknown {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code, message, column } = error as { code?: string; message?: string; column?: string };
    const text = message ?? 'the app’s table refused the change';
    if (code === '55000' && column) return new HttpError(400, 'validation_failed', text, { [column]: text }, { cause: error });
    if (code === '55000') return new HttpError(409, 'conflict', text, undefined, { cause: error });
    if (code === '22023' && column) return new HttpError(400, 'validation_failed', text, { [column]: text }, { cause: error });
    // The app's own constraints (its checks, keys, references): said with its table and the detail.
    const { table, schema, detail } = error as { table?: string; schema?: string; detail?: string };
    if (code && /^2[23]/.test(code) && table && !(schema === 'public' && CATALOG_TABLES.has(table))) {
      const status = code === '23505' || code === '23503' ? 409 : 400;
      const message = `the app’s own table ${schema ?? 'public'}.${table} refused the change: ${text}${detail ? ` (${detail})` : ''}; make it fit there, or make the change in your app`;
      return new HttpError(status, status === 409 ? 'conflict' : 'validation_failed', message, undefined, { cause: error });
    }
  }
  return toHttpError(error);
}

async function mapSourceErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toSourceHttpError(error);
  }
}

export interface SourceEditResult {
  space_id: string;
  source: string;
  source_key: string;
  table: string;
  changed: string[];
}

/** Applies an admin's edit (the API's field names, amounts in minor units) to the app's row. */
export async function editSourceRow(client: PoolClient, spaceId: string, changes: Record<string, unknown>): Promise<SourceEditResult> {
  return mapSourceErrors(async () =>
    (await client.query<{ result: SourceEditResult }>('select public.spacesync_edit_source_row($1, $2::jsonb) as result', [spaceId, JSON.stringify(changes)])).rows[0].result,
  );
}

/**
 * The fields "adopt" takes from Stripe's side of a product drift (the same as resolve_space_drift):
 * for an attached space they are written to the app's row first, so the app keeps being the truth.
 */
export function adoptedChanges(drift: unknown): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  if (typeof drift !== 'object' || drift === null || (drift as { object?: unknown }).object !== 'product') return changes;
  const fields = (drift as { fields?: unknown }).fields;
  for (const f of Array.isArray(fields) ? (fields as Array<{ field?: unknown; stripe?: unknown }>) : []) {
    if (f.field === 'name' && typeof f.stripe === 'string' && f.stripe.trim() !== '') changes.name = f.stripe.slice(0, 250);
    else if (f.field === 'description') changes.description = typeof f.stripe === 'string' ? f.stripe.slice(0, 5000) : null;
    else if (f.field === 'active' && typeof f.stripe === 'boolean') changes.active = f.stripe;
  }
  return changes;
}

/** Deletes the space's app row: the soft-delete column set, or the row deleted, per the mapping. */
export async function deleteSourceRow(client: PoolClient, spaceId: string): Promise<void> {
  await mapSourceErrors(() => client.query('select public.spacesync_delete_source_row($1)', [spaceId]));
}
