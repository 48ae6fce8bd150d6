/**
 * The declared mapping of an app's own table (and optionally its rates table) onto spacesync's
 * catalog: what `spacesync attach` reads from a JSON file (e.g. `spacesync.mapping.json`).
 *
 * A value is either a column of the source row (`"title"`), an SQL expression over the source row's
 * columns (`{ "sql": "city || ', ' || district" }`, read-only from the admin UI), or a constant
 * (`{ "value": "meeting_room" }`). Names are SQL identifiers as Postgres stores them (unquoted,
 * case-sensitive); tables are `schema.table` or `table` (schema `public`).
 *
 * This file is the format only (pure, no IO); validation against the live schema, the generated
 * triggers and the backfill live beside it in src/attach/.
 */
import '../catalog/zodConfig.ts';
import { z } from 'zod';
import { PRICING_TYPES, SPACE_KINDS } from '../catalog/types.ts';

const IDENT = /^[a-z_][a-z0-9_$]{0,62}$/;
const TABLE = /^([a-z_][a-z0-9_$]{0,62}\.)?[a-z_][a-z0-9_$]{0,62}$/;

const identifier = (what: string) =>
  z.string({ error: `${what} must be a column name (a string)` }).regex(IDENT, {
    error: `${what} must be a lower-case SQL identifier such as "hourly_rate" (quoted or mixed-case names are not supported)`,
  });

const tableName = (what: string) =>
  z.string({ error: `${what} must be a table name (a string)` }).regex(TABLE, {
    error: `${what} must be "schema.table" or "table", lower-case, e.g. "public.rooms"`,
  });

const sqlExpression = z.object({
  sql: z
    .string()
    .min(1, { error: 'sql must be a non-empty SQL expression over the source row, e.g. "city || \', \' || district"' })
    .max(2000, { error: 'sql must be at most 2,000 characters' })
    .refine((s) => !s.includes(';') && !s.includes('\0'), { error: 'sql must be one expression: no ";" and no NUL byte' }),
}).strict();

const constant = <T extends z.ZodType>(value: T) => z.object({ value }).strict();

/** A source of a value: a column name, `{ sql }` or `{ value }`. */
const valueSource = <T extends z.ZodType>(what: string, value: T) =>
  z.union([identifier(what), sqlExpression, constant(value)]);

export const fieldsSchema = z
  .object({
    name: valueSource('fields.name', z.string().min(1)),
    description: valueSource('fields.description', z.string().nullable()).optional(),
    kind: valueSource('fields.kind', z.enum(SPACE_KINDS)).optional(),
    capacity: valueSource('fields.capacity', z.number().int().positive().nullable()).optional(),
    location: valueSource('fields.location', z.string().nullable()).optional(),
    images: valueSource('fields.images', z.array(z.string())).optional(),
    active: valueSource('fields.active', z.boolean()).optional(),
    currency: valueSource('fields.currency', z.string().regex(/^[a-z]{3}$/)).optional(),
    /** Stripe metadata key → value source. */
    metadata: z.record(z.string().min(1).max(40), valueSource('fields.metadata.*', z.string())).optional(),
  })
  .strict();

/** Prices from columns of the source row: one price per column, null/absent column value = no price. */
export const columnPricesSchema = z
  .object({
    columns: z
      .array(
        z
          .object({
            column: identifier('prices.columns[].column'),
            pricingType: z.enum(PRICING_TYPES),
            /** "major": 25.5 means €25.50; "minor": 2550 means €25.50. */
            units: z.enum(['major', 'minor']),
            /** A subscription price billed every interval; absent = a one-time price. */
            recurringInterval: z.enum(['day', 'week', 'month', 'year']).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(20),
  })
  .strict();

/** Prices from a child table of rates, one row per price. */
export const tablePricesSchema = z
  .object({
    table: tableName('prices.table'),
    key: identifier('prices.key'),
    spaceKey: identifier('prices.spaceKey'),
    pricingType: identifier('prices.pricingType'),
    amount: identifier('prices.amount'),
    units: z.enum(['major', 'minor']),
    currency: identifier('prices.currency').optional(),
    recurringInterval: identifier('prices.recurringInterval').optional(),
    active: identifier('prices.active').optional(),
    softDeleteColumn: identifier('prices.softDeleteColumn').optional(),
  })
  .strict();

export const mappingSchema = z
  .object({
    /** The source's name in spacesync (spaces.source), e.g. "rooms". */
    name: z.string().regex(/^[a-z][a-z0-9_]{0,40}$/, { error: 'name must be lower-case letters, digits and _, e.g. "rooms"' }),
    table: tableName('table'),
    key: identifier('key'),
    fields: fieldsSchema,
    /** How a row leaves the catalog: a soft-delete column (non-null = deleted) or a hard DELETE. */
    delete: z.union([z.object({ softDeleteColumn: identifier('delete.softDeleteColumn') }).strict(), z.literal('hard')]).default('hard'),
    prices: z.union([columnPricesSchema, tablePricesSchema]).optional(),
    /** Optional columns of the source table spacesync writes back to (only these are ever written). */
    writeBack: z
      .object({
        productId: identifier('writeBack.productId').optional(),
        defaultPriceId: identifier('writeBack.defaultPriceId').optional(),
        status: identifier('writeBack.status').optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type Mapping = z.infer<typeof mappingSchema>;
export type MappingInput = z.input<typeof mappingSchema>;
export type ValueSource = string | { sql: string } | { value: unknown };
export type TablePrices = z.infer<typeof tablePricesSchema>;
export type ColumnPrices = z.infer<typeof columnPricesSchema>;

export function isColumn(v: ValueSource | undefined): v is string {
  return typeof v === 'string';
}

export function isTablePrices(p: Mapping['prices']): p is TablePrices {
  return !!p && 'table' in p;
}

/** "rooms" → "public.rooms"; "app.rooms" stays. */
export function qualifiedTable(table: string): { schema: string; table: string } {
  const [a, b] = table.split('.');
  return b === undefined ? { schema: 'public', table: a! } : { schema: a!, table: b };
}
