/**
 * The mapping's `{sql}` expressions, each prepared against the app's table (`select <expr> from
 * <table> limit 0`, in a transaction rolled back): a typo, an unknown column or function fails here,
 * named by its mapping field, instead of inside the generated SQL.
 */
import type { Pool } from '../db/pool.ts';
import type { MappingProblem } from './checkMapping.ts';
import { qualifiedTable, type Mapping, type ValueSource } from './mapping.ts';
import { quoteIdent, quoteTable } from './sqlText.ts';

export function sqlExpressions(mapping: Mapping): { field: string; sql: string }[] {
  const out: { field: string; sql: string }[] = [];
  const add = (field: string, v: ValueSource | undefined) => {
    if (v && typeof v === 'object' && 'sql' in v) out.push({ field, sql: v.sql });
  };
  for (const [field, v] of Object.entries(mapping.fields)) if (field !== 'metadata') add(`fields.${field}`, v as ValueSource);
  for (const [k, v] of Object.entries(mapping.fields.metadata ?? {})) add(`fields.metadata.${k}`, v);
  return out;
}

export async function checkExpressions(pool: Pool, mapping: Mapping): Promise<MappingProblem[]> {
  const expressions = sqlExpressions(mapping);
  if (expressions.length === 0) return [];
  const t = qualifiedTable(mapping.table);
  const problems: MappingProblem[] = [];
  const client = await pool.connect();
  try {
    for (const e of expressions) {
      await client.query('begin');
      try {
        await client.query(`set local statement_timeout = '5s'`);
        await client.query(`select (${e.sql}) from ${quoteTable(t)} as ${quoteIdent(t.table)} limit 0`);
      } catch (error) {
        problems.push({ path: `${e.field}.sql`, message: `${e.field}.sql: ${JSON.stringify(e.sql)} fails on ${t.schema}.${t.table}: ${error instanceof Error ? error.message : String(error)}` });
      } finally {
        await client.query('rollback');
      }
    }
  } finally {
    client.release();
  }
  return problems;
}
