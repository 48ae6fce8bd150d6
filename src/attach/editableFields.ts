/**
 * Which fields of an attached space an admin may edit from spacesync, and why not, from its mapping.
 *
 * An edit of an attached space goes to the app's own row (SQL `spacesync_edit_source_row`), so only
 * a field read from a plain column can be written. A field computed by an SQL expression, set to a
 * constant or not mapped at all is read-only; the reason names the field and what it comes from,
 * with the same words the SQL function uses when it refuses a change. Pure: the API sends the result
 * with a space's detail and the admin UI disables the fields it marks.
 */
import { isColumn, isTablePrices, type Mapping, type ValueSource } from './mapping.ts';

export const ATTACHED_FIELDS = ['name', 'description', 'kind', 'capacity', 'location', 'images', 'active', 'currency'] as const;
export type AttachedField = (typeof ATTACHED_FIELDS)[number];

export type ReadOnlyReason =
  | { code: 'expression'; sql: string; message: string }
  | { code: 'constant'; value: unknown; message: string }
  | { code: 'unmapped'; message: string };

/** `name`, `description`…, `metadata.<key>` for each mapped metadata key, `prices` and `delete`. */
export type EditableFields = Record<string, true | ReadOnlyReason>;

/** The reason a field cannot be written, or true when it is a plain column of the source table. */
export function readOnlyReason(source: ValueSource | undefined, field: string, table: string): true | ReadOnlyReason {
  if (isColumn(source)) return true;
  if (source && 'sql' in source) {
    return { code: 'expression', sql: source.sql, message: `${field} is read-only here: it is computed by the expression ${source.sql} over ${table}; change it in your app` };
  }
  if (source && 'value' in source) {
    return { code: 'constant', value: source.value, message: `${field} is read-only here: the mapping of ${table} sets it to the constant ${JSON.stringify(source.value)}; change the mapping to edit it` };
  }
  return { code: 'unmapped', message: `${field} is read-only here: the mapping of ${table} reads it from no column; map it to a column to edit it` };
}

export function editableFields(mapping: Mapping): EditableFields {
  const table = mapping.table.includes('.') ? mapping.table : `public.${mapping.table}`;
  const out: EditableFields = {};
  for (const field of ATTACHED_FIELDS) out[field] = readOnlyReason(mapping.fields[field] as ValueSource | undefined, field, table);
  for (const [key, source] of Object.entries(mapping.fields.metadata ?? {})) {
    out[`metadata.${key}`] = readOnlyReason(source as ValueSource, `metadata.${key}`, table);
  }
  out.prices = mapping.prices
    ? true
    : { code: 'unmapped', message: `prices are read-only here: the mapping of ${table} reads no prices; add "prices" to the mapping to edit them` };
  // Deleting always works: the soft-delete column is set, or the app's row is deleted.
  out.delete = true;
  return out;
}

/** The pricing types an attached space can have, or null when any (a rates table takes any type). */
export function attachedPricingTypes(mapping: Mapping): string[] | null {
  if (!mapping.prices) return [];
  if (isTablePrices(mapping.prices)) return null;
  return [...new Set(mapping.prices.columns.map((c) => c.pricingType))];
}
