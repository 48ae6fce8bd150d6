/**
 * Attaching and detaching a source against a database (IO): the mapping checked against the live
 * schema, the generated SQL run in one transaction, a preview that runs it with the backfill and
 * rolls back, and the detach.
 */
import type { Pool } from '../db/pool.ts';
import { withTransaction } from '../db/pool.ts';
import { checkAgainstSchema } from './checkAgainstSchema.ts';
import { checkExpressions } from './checkExpressions.ts';
import type { MappingProblem } from './checkMapping.ts';
import { readLiveSchema } from './liveSchema.ts';
import { isTablePrices, qualifiedTable, type Mapping } from './mapping.ts';
import { renderAttachSql, renderDetachSql } from './renderAttachSql.ts';
import { quoteTable } from './sqlText.ts';

/** The mapping against the database: columns, types, keys, then the `{sql}` expressions. */
export async function checkMappingAgainstDatabase(pool: Pool, mapping: Mapping): Promise<MappingProblem[]> {
  const tables = [qualifiedTable(mapping.table)];
  if (isTablePrices(mapping.prices)) tables.push(qualifiedTable(mapping.prices.table));
  const live = await readLiveSchema(pool, tables);
  const problems = checkAgainstSchema(mapping, live);
  if (problems.length > 0) return problems;
  return checkExpressions(pool, mapping);
}

export interface SourceRow {
  name: string;
  source_table: string;
  mapping: Mapping;
  attached_at: Date;
  detached_at: Date | null;
  backfilled_at: Date | null;
}

export async function readSource(pool: Pool, name: string): Promise<SourceRow | null> {
  const { rows } = await pool.query<SourceRow>(`select * from public.spacesync_sources where name = $1`, [name]);
  return rows[0] ?? null;
}

export interface AttachOutcome {
  /** "new": first attach; "changed": the mapping differs from the stored one; "same": re-attached as it was. */
  state: 'new' | 'changed' | 'same' | 'reattached';
}

/** Creates (or replaces) the source's triggers and registry row, without the backfill. */
export async function attachSource(pool: Pool, mapping: Mapping): Promise<AttachOutcome> {
  const before = await readSource(pool, mapping.name);
  await withTransaction(pool, (client) => client.query(renderAttachSql(mapping)));
  const after = await readSource(pool, mapping.name);
  if (!before) return { state: 'new' };
  if (before.detached_at) return { state: 'reattached' };
  return { state: JSON.stringify(before.mapping) === JSON.stringify(after?.mapping) ? 'same' : 'changed' };
}

export interface AttachPreview {
  rows: number;
  rates: number;
  spacesCreated: number;
  spacesChanged: number;
  spacesArchived: number;
  pricesCreated: number;
  pricesArchived: number;
}

/** What attach with its backfill would do to the catalog: run, counted, rolled back. */
export async function previewAttach(pool: Pool, mapping: Mapping): Promise<AttachPreview> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const counts = async () =>
      (
        await client.query<{ live: string; deleted: string; versions: string; prices: string; prices_deleted: string }>(
          `select count(*) filter (where s.deleted_at is null) as live, count(*) filter (where s.deleted_at is not null) as deleted,
                  coalesce(sum(s.version), 0) as versions,
                  (select count(*) from public.space_prices p join public.spaces x on x.id = p.space_id where x.source = $1) as prices,
                  (select count(*) from public.space_prices p join public.spaces x on x.id = p.space_id where x.source = $1 and p.deleted_at is not null) as prices_deleted
             from public.spaces s where s.source = $1`,
          [mapping.name],
        )
      ).rows[0]!;
    const before = await counts();
    const changedBefore = await client.query<{ id: string; version: string }>(`select id, version from public.spaces where source = $1`, [mapping.name]);
    await client.query(renderAttachSql(mapping, { backfill: true }));
    const after = await counts();
    const changedAfter = await client.query<{ id: string; version: string; deleted_at: Date | null }>(`select id, version, deleted_at from public.spaces where source = $1`, [mapping.name]);
    const prior = new Map(changedBefore.rows.map((r) => [r.id, r.version]));
    const rows = Number((await client.query(`select count(*) as n from ${quoteTable(qualifiedTable(mapping.table))}`)).rows[0].n);
    const rates = isTablePrices(mapping.prices) ? Number((await client.query(`select count(*) as n from ${quoteTable(qualifiedTable(mapping.prices.table))}`)).rows[0].n) : 0;
    const archived = Number(after.deleted) - Number(before.deleted);
    const changed = changedAfter.rows.filter((r) => prior.has(r.id) && prior.get(r.id) !== r.version).length;
    return {
      rows,
      rates,
      spacesCreated: changedAfter.rows.length - changedBefore.rows.length,
      spacesChanged: Math.max(0, changed - Math.max(0, archived)),
      spacesArchived: Math.max(0, archived),
      pricesCreated: Number(after.prices) - Number(before.prices),
      pricesArchived: Number(after.prices_deleted) - Number(before.prices_deleted),
    };
  } finally {
    await client.query('rollback').catch(() => {});
    client.release();
  }
}

/** Removes the source's triggers and functions; its rows, spaces and prices stay. */
export async function detachSource(pool: Pool, name: string): Promise<void> {
  await withTransaction(pool, (client) => client.query(renderDetachSql(name)));
}
