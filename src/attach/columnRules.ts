/**
 * Which columns of the app's tables a mapping names, and which Postgres types each may have: one
 * list shared by the check against a live schema (checkAgainstSchema.ts) and the guard the generated
 * SQL runs first (renderAttachSql.ts), so both refuse the same things with the same words.
 *
 * Types are Postgres's internal names (pg_type.typname) of the column's base type (a domain counts
 * as its base type). Text fields take text-like columns only: a number or a date as a name is almost
 * always a wrong column, and `{ "sql": "code::text" }` says it on purpose. Metadata values take any
 * scalar (an owner's uuid is a fine metadata value); the key of the source row any type.
 */
import { isColumn, isTablePrices, qualifiedTable, type Mapping, type ValueSource } from './mapping.ts';

export const TEXT_TYPES = ['text', 'varchar', 'bpchar', 'citext', 'name'] as const;
export const INTEGER_TYPES = ['int2', 'int4', 'int8'] as const;
export const AMOUNT_TYPES = ['numeric', ...INTEGER_TYPES] as const;
export const TEXT_ARRAY_TYPES = ['_text', '_varchar'] as const;
export const SCALAR_TYPES = [
  ...TEXT_TYPES, ...AMOUNT_TYPES, 'float4', 'float8', 'bool', 'uuid', 'date', 'timestamp', 'timestamptz',
] as const;
export const SOFT_DELETE_TYPES = ['timestamptz', 'timestamp', 'date', 'bool'] as const;

/** What a type list means, for messages: "text (text, varchar, …)". */
export function describeTypes(types: readonly string[]): string {
  if (types === TEXT_TYPES) return 'text-like (text, varchar, char, citext)';
  if (types === INTEGER_TYPES) return 'an integer (smallint, integer, bigint)';
  if (types === AMOUNT_TYPES) return 'numeric or an integer';
  if (types === TEXT_ARRAY_TYPES) return 'text[] (or varchar[])';
  if (types === SOFT_DELETE_TYPES) return 'a timestamp, date or boolean';
  if (types === SCALAR_TYPES) return 'a scalar (text, number, boolean, uuid, date/time)';
  return types.join(', ');
}

export interface ColumnUse {
  /** The mapping's field path, e.g. "fields.name" or "prices.columns[0].column". */
  field: string;
  /** "schema.table", qualified. */
  table: string;
  column: string;
  /** Accepted base types; empty = any type. */
  types: readonly string[];
  /** The column must carry a single-column unique index or primary key (the key of a source row). */
  unique?: boolean;
}

const FIELD_TYPES: Record<Exclude<keyof Mapping['fields'], 'metadata'>, readonly string[]> = {
  name: TEXT_TYPES,
  description: TEXT_TYPES,
  kind: TEXT_TYPES,
  capacity: INTEGER_TYPES,
  location: TEXT_TYPES,
  images: TEXT_ARRAY_TYPES,
  active: ['bool'],
  currency: TEXT_TYPES,
};

function q(table: string): string {
  const t = qualifiedTable(table);
  return `${t.schema}.${t.table}`;
}

/** Every column the mapping names, with the types it accepts, in the mapping's order. */
export function columnUses(mapping: Mapping): ColumnUse[] {
  const table = q(mapping.table);
  const uses: ColumnUse[] = [{ field: 'key', table, column: mapping.key, types: [], unique: true }];
  for (const [field, types] of Object.entries(FIELD_TYPES) as [keyof typeof FIELD_TYPES, readonly string[]][]) {
    const v = mapping.fields[field] as ValueSource | undefined;
    if (isColumn(v)) uses.push({ field: `fields.${field}`, table, column: v, types });
  }
  for (const [k, v] of Object.entries(mapping.fields.metadata ?? {})) {
    if (isColumn(v)) uses.push({ field: `fields.metadata.${k}`, table, column: v, types: SCALAR_TYPES });
  }
  if (mapping.delete !== 'hard') {
    uses.push({ field: 'delete.softDeleteColumn', table, column: mapping.delete.softDeleteColumn, types: SOFT_DELETE_TYPES });
  }
  const prices = mapping.prices;
  if (isTablePrices(prices)) {
    const rates = q(prices.table);
    uses.push({ field: 'prices.key', table: rates, column: prices.key, types: [], unique: true });
    uses.push({ field: 'prices.spaceKey', table: rates, column: prices.spaceKey, types: [] });
    uses.push({ field: 'prices.pricingType', table: rates, column: prices.pricingType, types: TEXT_TYPES });
    uses.push({ field: 'prices.amount', table: rates, column: prices.amount, types: AMOUNT_TYPES });
    if (prices.currency) uses.push({ field: 'prices.currency', table: rates, column: prices.currency, types: TEXT_TYPES });
    if (prices.recurringInterval) uses.push({ field: 'prices.recurringInterval', table: rates, column: prices.recurringInterval, types: TEXT_TYPES });
    if (prices.active) uses.push({ field: 'prices.active', table: rates, column: prices.active, types: ['bool'] });
    if (prices.softDeleteColumn) uses.push({ field: 'prices.softDeleteColumn', table: rates, column: prices.softDeleteColumn, types: SOFT_DELETE_TYPES });
  } else if (prices) {
    prices.columns.forEach((c, i) => uses.push({ field: `prices.columns[${i}].column`, table, column: c.column, types: AMOUNT_TYPES }));
  }
  for (const [k, v] of Object.entries(mapping.writeBack ?? {})) {
    if (v) uses.push({ field: `writeBack.${k}`, table, column: v, types: TEXT_TYPES });
  }
  return uses;
}

/** Integer and text keys compare across their widths (an int4 key, an int8 reference). */
export function keyTypesMatch(a: string, b: string): boolean {
  if (a === b) return true;
  const family = (t: string) => ((INTEGER_TYPES as readonly string[]).includes(t) ? 'int' : (TEXT_TYPES as readonly string[]).includes(t) ? 'text' : t);
  return family(a) === family(b);
}
