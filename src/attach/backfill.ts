/**
 * The rows an app's tables held before the attach, brought into the catalog in batches (one short
 * transaction each, in key order), with progress: rows done / total and the rate. Runs after the
 * triggers exist, so a row the app writes meanwhile is taken by its trigger and the batch that meets
 * it again writes nothing. Then what left the app's tables while detached is archived, and the
 * source is marked backfilled. Each space new to the catalog is queued for its sync by the catalog's
 * own triggers; `spacesync attach` follows with a catalog run.
 */
import type { Pool } from '../db/pool.ts';
import { withTransaction } from '../db/pool.ts';
import { isTablePrices, qualifiedTable, type Mapping } from './mapping.ts';
import { functionName, renderOrphansSql } from './renderAttachSql.ts';
import { quoteIdent, quoteLiteral, quoteTable } from './sqlText.ts';

export interface BackfillProgress {
  phase: 'rows' | 'rates';
  /** The table being read, "public.rooms". */
  table: string;
  done: number;
  total: number;
  elapsedMs: number;
  /** Rows per second so far in this phase. */
  rate: number;
}

export interface BackfillResult {
  rows: number;
  rates: number;
  /** Spaces new to the catalog, changed, archived because their row is gone. */
  spacesCreated: number;
  spacesChanged: number;
  spacesArchived: number;
  elapsedMs: number;
}

export interface BackfillOptions {
  batchSize?: number;
  onProgress?: (p: BackfillProgress) => void;
}

/** One batch: the next `$2` rows after key `$1` (none on the first batch), applied; returns the count and last key. */
export function batchSql(m: Mapping, phase: 'rows' | 'rates', first: boolean): string {
  const src = quoteLiteral(m.name);
  if (phase === 'rows') {
    const t = quoteTable(qualifiedTable(m.table));
    const k = quoteIdent(m.key);
    return `with batch as materialized (
  select t.${k} from ${t} t ${first ? '' : `where t.${k} > $1 `}order by t.${k} limit $2
), applied as materialized (
  select public.spacesync_attach_apply(${src}, t.${k}::text, ${functionName(m.name, 'values')}(t)) as space_id
    from ${t} t where t.${k} in (select b.${k} from batch b)${first ? ' and $1::text is null' : ''}
)
select (select count(*) from applied)::integer as n, (select count(*) from batch)::integer as read,
       (select b.${k}::text from batch b order by b.${k} desc limit 1) as last`;
  }
  const p = m.prices;
  if (!isTablePrices(p)) throw new Error('batchSql: the mapping has no rates table');
  const t = quoteTable(qualifiedTable(p.table));
  const k = quoteIdent(p.key);
  return `with batch as materialized (
  select r.${k} from ${t} r ${first ? '' : `where r.${k} > $1 `}order by r.${k} limit $2
), applied as materialized (
  select public.spacesync_attach_apply_rate(${src}, r.${quoteIdent(p.spaceKey)}::text, r.${k}::text, ${functionName(m.name, 'rate_values')}(r)) as done
    from ${t} r where r.${k} in (select b.${k} from batch b)${first ? ' and $1::text is null' : ''}
)
select (select count(*) from applied)::integer as n, (select count(*) from batch)::integer as read,
       (select b.${k}::text from batch b order by b.${k} desc limit 1) as last`;
}

async function countRows(pool: Pool, table: string): Promise<number> {
  const { rows } = await pool.query(`select count(*)::bigint as n from ${quoteTable(qualifiedTable(table))}`);
  return Number(rows[0].n);
}

async function runPhase(pool: Pool, m: Mapping, phase: 'rows' | 'rates', opts: BackfillOptions): Promise<number> {
  const table = phase === 'rows' ? m.table : (m.prices as { table: string }).table;
  const q = qualifiedTable(table);
  const total = await countRows(pool, table);
  const batchSize = opts.batchSize ?? 500;
  const started = performance.now();
  const report = (done: number) => {
    const elapsedMs = performance.now() - started;
    opts.onProgress?.({ phase, table: `${q.schema}.${q.table}`, done, total: Math.max(total, done), elapsedMs, rate: elapsedMs > 0 ? (done * 1000) / elapsedMs : 0 });
  };
  report(0);
  let last: string | null = null;
  let done = 0;
  for (;;) {
    const { rows } = await withTransaction(pool, (client) => client.query<{ n: number; read: number; last: string | null }>(batchSql(m, phase, last === null), [last, batchSize]));
    const batch = rows[0]!;
    if (batch.last === null) break;
    done += batch.n;
    last = batch.last;
    report(done);
    if (batch.read < batchSize) break;
  }
  return done;
}

export async function backfill(pool: Pool, m: Mapping, opts: BackfillOptions = {}): Promise<BackfillResult> {
  const started = performance.now();
  const before = await pool.query<{ id: string; version: number }>(`select id, version from public.spaces where source = $1`, [m.name]);
  const versions = new Map(before.rows.map((r) => [r.id, Number(r.version)]));
  const rows = await runPhase(pool, m, 'rows', opts);
  const rates = isTablePrices(m.prices) ? await runPhase(pool, m, 'rates', opts) : 0;
  const archived = await withTransaction(pool, async (client) => {
    const before = await client.query(`select count(*)::integer as n from public.spaces where source = $1 and deleted_at is not null`, [m.name]);
    await client.query(renderOrphansSql(m));
    await client.query(`update public.spacesync_sources set backfilled_at = now() where name = $1`, [m.name]);
    const after = await client.query(`select count(*)::integer as n from public.spaces where source = $1 and deleted_at is not null`, [m.name]);
    return after.rows[0].n - before.rows[0].n;
  });
  const after = await pool.query<{ id: string; version: number }>(`select id, version from public.spaces where source = $1`, [m.name]);
  let created = 0;
  let changed = 0;
  for (const r of after.rows) {
    const v = versions.get(r.id);
    if (v === undefined) created++;
    else if (Number(r.version) !== v) changed++;
  }
  return { rows, rates, spacesCreated: created, spacesChanged: Math.max(0, changed - archived), spacesArchived: archived, elapsedMs: performance.now() - started };
}
