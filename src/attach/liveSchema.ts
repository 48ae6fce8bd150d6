/**
 * The app's tables as Postgres describes them (pg_catalog): for each table a mapping names, its
 * columns with their base type, nullability and whether a single-column unique index or primary key
 * covers them. What checkAgainstSchema.ts judges; IO only, no rule here.
 */
import type { Pool, PoolClient } from '../db/pool.ts';

export interface LiveColumn {
  name: string;
  /** pg_type.typname of the base type (a domain's base type): "text", "numeric", "_text", "int8"… */
  type: string;
  notNull: boolean;
  /** A primary key or a unique, non-partial index on this column alone. */
  unique: boolean;
}

export interface LiveTable {
  schema: string;
  table: string;
  columns: LiveColumn[];
}

/** "schema.table" → its description; a table that does not exist is absent. */
export type LiveSchema = Record<string, LiveTable>;

export async function readLiveSchema(db: Pool | PoolClient, tables: { schema: string; table: string }[]): Promise<LiveSchema> {
  const { rows } = await db.query<{ schema: string; table: string; column: string | null; type: string | null; not_null: boolean | null; is_unique: boolean | null }>(
    `select t.schema, t.table, a.attname as column, bt.typname as type, a.attnotnull as not_null,
            exists (select 1 from pg_index i
                     where i.indrelid = c.oid and i.indisunique and i.indnkeyatts = 1
                       and i.indkey[0] = a.attnum and i.indpred is null) as is_unique
       from unnest($1::text[], $2::text[]) as t(schema, "table")
       join pg_namespace n on n.nspname = t.schema
       join pg_class c on c.relnamespace = n.oid and c.relname = t.table and c.relkind in ('r', 'p')
       left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
       left join pg_type ty on ty.oid = a.atttypid
       left join pg_type bt on bt.oid = case when ty.typtype = 'd' then ty.typbasetype else ty.oid end
      order by t.schema, t.table, a.attnum`,
    [tables.map((t) => t.schema), tables.map((t) => t.table)],
  );
  const out: LiveSchema = {};
  for (const r of rows) {
    const key = `${r.schema}.${r.table}`;
    const t = (out[key] ??= { schema: r.schema, table: r.table, columns: [] });
    if (r.column !== null) t.columns.push({ name: r.column, type: r.type ?? 'unknown', notNull: r.not_null ?? false, unique: r.is_unique ?? false });
  }
  return out;
}
