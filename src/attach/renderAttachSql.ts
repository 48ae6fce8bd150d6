/**
 * A mapping → the SQL script that attaches the app's table to spacesync's catalog (pure, no IO).
 * The same text runs from `spacesync attach` and as a Supabase migration, so it carries everything:
 *
 * 1. a guard that re-checks the app's schema and fails with a message naming the table, column and
 *    mapping field (the migration would otherwise fail later, on a less helpful error);
 * 2. the removal of what an earlier attach of the same source made (so a changed mapping replaces it);
 * 3. the source's row in `spacesync_sources`;
 * 4. per source functions (`spacesync_src_<name>_…`): the row's mapped values as jsonb, and trigger
 *    functions handing them to `spacesync_attach_apply` / `spacesync_attach_apply_rate` (migration
 *    000091), which write `spaces` / `space_prices` only where a value changed;
 * 5. triggers (`spacesync_<name>_…`) AFTER INSERT / UPDATE / DELETE / TRUNCATE on the app's table
 *    (and rates table), and, when write-back columns are named, AFTER INSERT / UPDATE on `spaces`;
 * 6. optionally the backfill of the rows already there.
 *
 * Running it twice with the same mapping changes no data. `renderDetachSql(name)` removes 2's
 * objects and marks the source detached; it leaves every row in place.
 */
import { columnUses, describeTypes, type ColumnUse } from './columnRules.ts';
import { isColumn, isTablePrices, qualifiedTable, type Mapping, type TablePrices, type ValueSource } from './mapping.ts';
import { quoteIdent, quoteLiteral, quoteTable, sqlConstant } from './sqlText.ts';

export interface RenderOptions {
  /** Bring the rows already in the app's tables in at the end of the script (default false). */
  backfill?: boolean;
}

const TAG = '$spacesync$';

/** A function running as its owner (the one who attached), whatever role the app's write runs as. */
const DEFINER = `language plpgsql security definer
  set search_path = pg_catalog, public
  as ${TAG}`;

/** The functions a source owns, by suffix; detach drops exactly these. */
export const SOURCE_FUNCTIONS = ['sync', 'values', 'truncate', 'rates_of', 'rate_values', 'rate_sync', 'rate_truncate', 'write_back'] as const;

export function functionName(source: string, suffix: (typeof SOURCE_FUNCTIONS)[number]): string {
  return `public.${quoteIdent(`spacesync_src_${source}_${suffix}`)}`;
}

function triggerName(source: string, what: string): string {
  return quoteIdent(`spacesync_${source}_${what}`);
}

function checkName(name: string): void {
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(name)) throw new RangeError(`source name ${JSON.stringify(name)} must be lower-case letters, digits and _, e.g. "rooms"`);
}

function expression(v: ValueSource, type: string): string {
  if (isColumn(v)) return `${quoteIdent(v)}::${type}`;
  if ('sql' in v) {
    if (v.sql.includes(TAG)) throw new RangeError(`sql expression must not contain ${TAG}`);
    return `(${v.sql})::${type}`;
  }
  return sqlConstant(v.value, type);
}

/** Non-null = deleted; for a boolean column, true = deleted. */
function softDeleted(column: string): string {
  return `coalesce(${quoteIdent(column)}::text, 'false') <> 'false'`;
}

function jsonObject(pairs: [string, string][]): string {
  return `jsonb_build_object(${pairs.map(([k, v]) => `${quoteLiteral(k)}, ${v}`).join(', ')})`;
}

const FIELD_TYPES = {
  name: 'text', description: 'text', kind: 'text', capacity: 'integer', location: 'text', images: 'text[]', active: 'boolean', currency: 'text',
} as const;

function tableText(table: string): string {
  const t = qualifiedTable(table);
  return `${t.schema}.${t.table}`;
}

function valuesFunction(m: Mapping): string {
  const t = qualifiedTable(m.table);
  const space: [string, string][] = [];
  for (const [field, type] of Object.entries(FIELD_TYPES)) {
    const v = m.fields[field as keyof typeof FIELD_TYPES] as ValueSource | undefined;
    if (v === undefined) continue;
    // A mapped active that is null is "not published".
    space.push([field, field === 'active' ? `coalesce(${expression(v, type)}, false)` : expression(v, type)]);
  }
  const metadata = Object.entries(m.fields.metadata ?? {});
  if (metadata.length > 0) space.push(['metadata', jsonObject(metadata.map(([k, v]) => [k, expression(v as ValueSource, 'text')]))]);
  const pairs: [string, string][] = [
    ['space', jsonObject(space)],
    ['deleted', m.delete === 'hard' ? 'false' : softDeleted(m.delete.softDeleteColumn)],
  ];
  if (m.prices && !isTablePrices(m.prices)) {
    const list = m.prices.columns.map((c) =>
      jsonObject([
        ['key', quoteLiteral(c.column)],
        ['pricing_type', quoteLiteral(c.pricingType)],
        ['amount', `${quoteIdent(c.column)}::numeric`],
        ['units', quoteLiteral(c.units)],
        ['recurring_interval', c.recurringInterval ? quoteLiteral(c.recurringInterval) : 'null::text'],
        ['what', quoteLiteral(`${tableText(m.table)}.${c.column}`)],
      ]),
    );
    pairs.push(['prices', `jsonb_build_array(${list.join(',\n        ')})`]);
  }
  return rowValuesFunction(`-- The mapped values of one ${tableText(m.table)} row.`, functionName(m.name, 'values'), t, pairs);
}

/** A function of one row of `t` → its mapped values as jsonb; expressions see the row's columns by name. */
function rowValuesFunction(comment: string, name: string, t: { schema: string; table: string }, pairs: [string, string][]): string {
  return `${comment}
create function ${name}(${quoteTable(t)}) returns jsonb
  language sql stable
  set search_path = pg_catalog, public
  as ${TAG}
    select ${jsonObject(pairs)}
      from (select ($1).*) as ${quoteIdent(t.table)}
  ${TAG};`;
}

function rateValuesFunction(m: Mapping, p: TablePrices): string {
  const t = qualifiedTable(p.table);
  const pairs: [string, string][] = [
    ['pricing_type', `${quoteIdent(p.pricingType)}::text`],
    ['amount', `${quoteIdent(p.amount)}::numeric`],
    ['units', quoteLiteral(p.units)],
    ['currency', p.currency ? `lower(${quoteIdent(p.currency)}::text)` : 'null::text'],
    ['recurring_interval', p.recurringInterval ? `${quoteIdent(p.recurringInterval)}::text` : 'null::text'],
    ['active', p.active ? `coalesce(${quoteIdent(p.active)}::boolean, false)` : 'true'],
    ['deleted', p.softDeleteColumn ? softDeleted(p.softDeleteColumn) : 'false'],
    ['what', quoteLiteral(`${tableText(p.table)}.${p.amount}`)],
  ];
  return rowValuesFunction(`-- The mapped values of one ${tableText(p.table)} row (one price).`, functionName(m.name, 'rate_values'), t, pairs);
}

function guardBlock(m: Mapping): string {
  const uses = columnUses(m);
  const rows = uses.map((u: ColumnUse) => {
    const t = qualifiedTable(u.table);
    return `      (${[u.field, t.schema, t.table, u.column].map(quoteLiteral).join(', ')}, ${quoteLiteral(`{${u.types.join(',')}}`)}::text[], ${quoteLiteral(u.types.length ? describeTypes(u.types) : '')}, ${u.unique ? 'true' : 'false'})`;
  });
  const expressions: [string, string][] = [];
  for (const [field, v] of Object.entries(m.fields)) {
    if (field === 'metadata' || !v || typeof v !== 'object' || !('sql' in v) || typeof v.sql !== 'string') continue;
    expressions.push([`fields.${field}`, v.sql]);
  }
  for (const [k, v] of Object.entries(m.fields.metadata ?? {})) {
    if (typeof v === 'object' && 'sql' in v) expressions.push([`fields.metadata.${k}`, v.sql]);
  }
  const prefix = `spacesync attach "${m.name}": `;
  const table = qualifiedTable(m.table);
  const exprChecks = expressions.map(([field, sql]) => `
  begin
    execute ${quoteLiteral(`select (${sql}) from ${quoteTable(table)} as ${quoteIdent(table.table)} limit 0`)};
  exception when others then
    raise exception using errcode = sqlstate,
      message = format(${quoteLiteral(`${prefix}mapping field ${field}: the sql expression %s fails on ${tableText(m.table)}: %s`)}, ${quoteLiteral(sql)}, sqlerrm),
      hint = 'Write an expression over the columns of the row, e.g. city || '', '' || district, with functions of other schemas qualified.';
  end;`).join('');
  const p = m.prices;
  const keyMatch = isTablePrices(p)
    ? `
  -- The rates' reference to their space has the key's type.
  select bt.typname into key_type from pg_attribute att join pg_type t on t.oid = att.atttypid
    join pg_type bt on bt.oid = case when t.typtype = 'd' then t.typbasetype else t.oid end
   where att.attrelid = ${quoteLiteral(tableText(m.table))}::regclass and att.attname = ${quoteLiteral(m.key)};
  select bt.typname into ref_type from pg_attribute att join pg_type t on t.oid = att.atttypid
    join pg_type bt on bt.oid = case when t.typtype = 'd' then t.typbasetype else t.oid end
   where att.attrelid = ${quoteLiteral(tableText(p.table))}::regclass and att.attname = ${quoteLiteral(p.spaceKey)};
  if not (key_type = ref_type
          or (key_type = any ('{int2,int4,int8}') and ref_type = any ('{int2,int4,int8}'))
          or (key_type = any ('{text,varchar,bpchar,citext,name}') and ref_type = any ('{text,varchar,bpchar,citext,name}'))) then
    raise exception using errcode = '42804',
      message = format(${quoteLiteral(`${prefix}column ${tableText(p.table)}.${p.spaceKey} is %s but the key ${tableText(m.table)}.${m.key} is %s (mapping field prices.spaceKey)`)}, ref_type, key_type),
      hint = 'prices.spaceKey names the column of the rates table that holds the key of its space.';
  end if;`
    : '';
  return `-- Guard: the app's schema is what the mapping expects (the message names the column).
do ${TAG}
declare
  c record;
  a record;
  rel regclass;
  key_type text;
  ref_type text;
begin
  for c in select * from (values
${rows.join(',\n')}
    ) as x(field, sch, tbl, col, types, wanted, must_be_unique)
  loop
    rel := to_regclass(format('%I.%I', c.sch, c.tbl));
    if rel is null then
      raise exception using errcode = '42P01',
        message = format(${quoteLiteral(`${prefix}table %s.%s does not exist (mapping field %s)`)}, c.sch, c.tbl, case when c.field like 'prices.%' then 'prices.table' else 'table' end),
        hint = 'Create the app''s tables first (its migrations run before this one), or fix the table in the mapping.';
    end if;
    if (select k.relkind from pg_class k where k.oid = rel) not in ('r', 'p') then
      raise exception using errcode = '42809',
        message = format(${quoteLiteral(`${prefix}%s.%s is not a table (mapping field %s): triggers need the table itself, not a view`)}, c.sch, c.tbl, case when c.field like 'prices.%' then 'prices.table' else 'table' end);
    end if;
    select att.attnum, att.attnotnull, bt.typname into a
      from pg_attribute att
      join pg_type t on t.oid = att.atttypid
      join pg_type bt on bt.oid = case when t.typtype = 'd' then t.typbasetype else t.oid end
     where att.attrelid = rel and att.attname = c.col and att.attnum > 0 and not att.attisdropped;
    if not found then
      raise exception using errcode = '42703',
        message = format(${quoteLiteral(`${prefix}column %s.%s.%s does not exist (mapping field %s)`)}, c.sch, c.tbl, c.col, c.field),
        hint = 'Name an existing column (lower-case, as Postgres stores it) in the mapping.';
    end if;
    if cardinality(c.types) > 0 and not (a.typname = any (c.types)) then
      raise exception using errcode = '42804',
        message = format(${quoteLiteral(`${prefix}column %s.%s.%s is %s; mapping field %s needs %s`)}, c.sch, c.tbl, c.col, a.typname, c.field, c.wanted),
        hint = 'Map another column, or an expression with a cast: {"sql": "column::type"}.';
    end if;
    if c.must_be_unique and not (a.attnotnull and exists (
      select 1 from pg_index i
       where i.indrelid = rel and i.indisunique and i.indnkeyatts = 1 and i.indkey[0] = a.attnum and i.indpred is null
    )) then
      raise exception using errcode = '42P10',
        message = format(${quoteLiteral(`${prefix}column %s.%s.%s (mapping field %s) must be NOT NULL with a primary key or unique index on it alone`)}, c.sch, c.tbl, c.col, c.field),
        hint = 'The key of a row says which space it is: use the primary key.';
    end if;
  end loop;${keyMatch}${exprChecks}
end
${TAG};`;
}

/** Drops the source's functions, and with them (cascade) its triggers, quietly when absent. */
function dropStatements(name: string): string {
  const names = SOURCE_FUNCTIONS.map((f) => `spacesync_src_${name}_${f}`);
  return `do ${TAG}
declare
  f regprocedure;
  was text := current_setting('client_min_messages');
begin
  perform set_config('client_min_messages', 'warning', true); -- no "drop cascades to trigger" notices
  for f in select p.oid::regprocedure from pg_proc p
            where p.pronamespace = 'public'::regnamespace and p.proname = any (${quoteLiteral(`{${names.join(',')}}`)}::text[])
  loop
    execute format('drop function %s cascade', f);
  end loop;
  perform set_config('client_min_messages', was, true);
end
${TAG};`;
}

function registryUpsert(m: Mapping): string {
  return `insert into public.spacesync_sources (name, source_table, mapping)
values (${quoteLiteral(m.name)}, ${quoteLiteral(tableText(m.table))}, ${quoteLiteral(JSON.stringify(m))}::jsonb)
on conflict (name) do update
  set source_table = excluded.source_table, mapping = excluded.mapping, detached_at = null
  where (spacesync_sources.source_table, spacesync_sources.mapping, spacesync_sources.detached_at)
        is distinct from (excluded.source_table, excluded.mapping, null::timestamptz);`;
}

function syncFunction(m: Mapping): string {
  const key = (row: 'old' | 'new') => `${row}.${quoteIdent(m.key)}::text`;
  const src = quoteLiteral(m.name);
  const rates = isTablePrices(m.prices);
  return `-- A row of ${tableText(m.table)} written → its space (the app's own transaction, as the owner).
create function ${functionName(m.name, 'sync')}() returns trigger
  ${DEFINER}
  declare
    spacesync_known boolean;
  begin
    if tg_op = 'DELETE' or (tg_op = 'UPDATE' and ${key('old')} is distinct from ${key('new')}) then
      perform public.spacesync_attach_apply(${src}, ${key('old')}, '{"deleted": true}');
    end if;
    if tg_op = 'DELETE' then
      return null;
    end if;${rates ? `
    spacesync_known := exists (select 1 from public.spaces where source = ${src} and source_key = ${key('new')});` : ''}
    perform public.spacesync_attach_apply(${src}, ${key('new')}, ${functionName(m.name, 'values')}(new));${rates ? `
    if not spacesync_known then
      perform ${functionName(m.name, 'rates_of')}(${key('new')}); -- a space new to the catalog brings its rates
    end if;` : ''}
    return null;
  end
  ${TAG};

create function ${functionName(m.name, 'truncate')}() returns trigger
  ${DEFINER}
  begin
    update public.spaces set deleted_at = now() where source = ${src} and deleted_at is null;
    return null;
  end
  ${TAG};`;
}

function rateFunctions(m: Mapping, p: TablePrices): string {
  const t = qualifiedTable(p.table);
  const src = quoteLiteral(m.name);
  const col = (row: string, c: string) => `${row}.${quoteIdent(c)}::text`;
  return `${rateValuesFunction(m, p)}

-- Every rate of one space (when the space comes into the catalog after its rates).
create function ${functionName(m.name, 'rates_of')}(p_space_key text) returns void
  ${DEFINER}
  declare
    spacesync_key ${quoteTable(t)}.${quoteIdent(p.spaceKey)}%type := p_space_key;
    spacesync_rate ${quoteTable(t)};
  begin
    for spacesync_rate in select * from ${quoteTable(t)} x where x.${quoteIdent(p.spaceKey)} = spacesync_key loop
      perform public.spacesync_attach_apply_rate(${src}, ${col('spacesync_rate', p.spaceKey)}, ${col('spacesync_rate', p.key)}, ${functionName(m.name, 'rate_values')}(spacesync_rate));
    end loop;
  end
  ${TAG};

-- A row of ${tableText(p.table)} written → its price.
create function ${functionName(m.name, 'rate_sync')}() returns trigger
  ${DEFINER}
  begin
    if tg_op = 'DELETE' or (tg_op = 'UPDATE' and (${col('old', p.spaceKey)}, ${col('old', p.key)}) is distinct from (${col('new', p.spaceKey)}, ${col('new', p.key)})) then
      perform public.spacesync_attach_apply_rate(${src}, ${col('old', p.spaceKey)}, ${col('old', p.key)}, '{"deleted": true}');
    end if;
    if tg_op <> 'DELETE' then
      perform public.spacesync_attach_apply_rate(${src}, ${col('new', p.spaceKey)}, ${col('new', p.key)}, ${functionName(m.name, 'rate_values')}(new));
    end if;
    return null;
  end
  ${TAG};

create function ${functionName(m.name, 'rate_truncate')}() returns trigger
  ${DEFINER}
  begin
    delete from public.space_prices p using public.spaces s
     where p.space_id = s.id and s.source = ${src} and p.source_key is not null and p.deleted_at is null;
    return null;
  end
  ${TAG};`;
}

function writeBackFunction(m: Mapping): string {
  const wb = m.writeBack!;
  const t = qualifiedTable(m.table);
  const sets: [string, string][] = [];
  if (wb.productId) sets.push([wb.productId, `spacesync_wb ->> 'product_id'`]);
  if (wb.defaultPriceId) sets.push([wb.defaultPriceId, `spacesync_wb ->> 'default_price_id'`]);
  if (wb.status) sets.push([wb.status, `spacesync_wb ->> 'status'`]);
  const cols = sets.map(([c]) => `r.${quoteIdent(c)}`);
  return `-- The Stripe ids and sync status, copied into the app's row (only the write-back columns, and
-- only when they differ: the app table's own update trigger ignores changes of these columns alone).
create function ${functionName(m.name, 'write_back')}() returns trigger
  ${DEFINER}
  declare
    spacesync_key ${quoteTable(t)}.${quoteIdent(m.key)}%type := new.source_key;
    spacesync_wb jsonb := public.spacesync_attach_write_back_values(new.id);
  begin
    -- The app may hold the row (its write is what is being synced): never wait for it, which could
    -- deadlock with the app's own transaction; the next status change writes back again.
    perform 1 from ${quoteTable(t)} r where r.${quoteIdent(m.key)} = spacesync_key for update skip locked;
    if not found then
      return null;
    end if;
    update ${quoteTable(t)} r
       set ${sets.map(([c, v]) => `${quoteIdent(c)} = ${v}`).join(', ')}
     where r.${quoteIdent(m.key)} = spacesync_key
       and (${cols.join(', ')}${cols.length === 1 ? ', null::text' : ''}) is distinct from (${sets.map(([, v]) => v).join(', ')}${cols.length === 1 ? ', null::text' : ''});
    return null;
  end
  ${TAG};`;
}

function triggers(m: Mapping): string {
  const t = quoteTable(qualifiedTable(m.table));
  const wbCols = Object.values(m.writeBack ?? {}).filter((c): c is string => !!c);
  const changed = wbCols.length
    ? `to_jsonb(old) - ${quoteLiteral(`{${wbCols.join(',')}}`)}::text[] is distinct from to_jsonb(new) - ${quoteLiteral(`{${wbCols.join(',')}}`)}::text[]`
    : 'old is distinct from new';
  const fn = functionName(m.name, 'sync');
  const out = [
    `create trigger ${triggerName(m.name, 'insert')} after insert on ${t}\n  for each row execute function ${fn}();`,
    `create trigger ${triggerName(m.name, 'update')} after update on ${t}\n  for each row when (${changed}) execute function ${fn}();`,
    `create trigger ${triggerName(m.name, 'delete')} after delete on ${t}\n  for each row execute function ${fn}();`,
    `create trigger ${triggerName(m.name, 'truncate')} after truncate on ${t}\n  for each statement execute function ${functionName(m.name, 'truncate')}();`,
  ];
  const p = m.prices;
  if (isTablePrices(p)) {
    const r = quoteTable(qualifiedTable(p.table));
    const rfn = functionName(m.name, 'rate_sync');
    out.push(
      `create trigger ${triggerName(m.name, 'rate_insert')} after insert on ${r}\n  for each row execute function ${rfn}();`,
      `create trigger ${triggerName(m.name, 'rate_update')} after update on ${r}\n  for each row when (old is distinct from new) execute function ${rfn}();`,
      `create trigger ${triggerName(m.name, 'rate_delete')} after delete on ${r}\n  for each row execute function ${rfn}();`,
      `create trigger ${triggerName(m.name, 'rate_truncate')} after truncate on ${r}\n  for each statement execute function ${functionName(m.name, 'rate_truncate')}();`,
    );
  }
  if (wbCols.length) {
    const wfn = functionName(m.name, 'write_back');
    const src = quoteLiteral(m.name);
    out.push(
      `create trigger ${triggerName(m.name, 'write_back_insert')} after insert on public.spaces\n  for each row when (new.source = ${src}) execute function ${wfn}();`,
      `create trigger ${triggerName(m.name, 'write_back_update')} after update on public.spaces\n  for each row when (new.source = ${src} and (old.stripe_product_id, old.sync_status) is distinct from (new.stripe_product_id, new.sync_status))\n  execute function ${wfn}();`,
    );
  }
  return out.join('\n');
}

function revokes(m: Mapping): string {
  const fns = [`${functionName(m.name, 'values')}(${quoteTable(qualifiedTable(m.table))})`, `${functionName(m.name, 'sync')}()`, `${functionName(m.name, 'truncate')}()`];
  if (isTablePrices(m.prices)) {
    fns.push(
      `${functionName(m.name, 'rate_values')}(${quoteTable(qualifiedTable(m.prices.table))})`,
      `${functionName(m.name, 'rates_of')}(text)`,
      `${functionName(m.name, 'rate_sync')}()`,
      `${functionName(m.name, 'rate_truncate')}()`,
    );
  }
  if (m.writeBack && Object.values(m.writeBack).some(Boolean)) fns.push(`${functionName(m.name, 'write_back')}()`);
  return fns.map((f) => `revoke all on function ${f} from public, anon, authenticated;`).join('\n');
}

/** The rows already there, brought in one by one (SQL for the migration; the CLI batches, see backfill.ts). */
function backfillBlock(m: Mapping): string {
  const t = quoteTable(qualifiedTable(m.table));
  const src = quoteLiteral(m.name);
  const p = m.prices;
  const rates = isTablePrices(p) ? quoteTable(qualifiedTable(p.table)) : '';
  return `-- Backfill: the rows already in the app's tables.
do ${TAG}
declare
  spacesync_row ${t};${isTablePrices(p) ? `\n  spacesync_rate ${rates};` : ''}
  n bigint := 0;
  n_rates bigint := 0;
begin
  for spacesync_row in select * from ${t} loop
    perform public.spacesync_attach_apply(${src}, spacesync_row.${quoteIdent(m.key)}::text, ${functionName(m.name, 'values')}(spacesync_row));
    n := n + 1;
  end loop;${isTablePrices(p) ? `
  for spacesync_rate in select * from ${rates} loop
    perform public.spacesync_attach_apply_rate(${src}, spacesync_rate.${quoteIdent(p.spaceKey)}::text, spacesync_rate.${quoteIdent(p.key)}::text, ${functionName(m.name, 'rate_values')}(spacesync_rate));
    n_rates := n_rates + 1;
  end loop;` : ''}
${renderOrphansSql(m).replace(/^/gm, '  ')}
  update public.spacesync_sources set backfilled_at = now() where name = ${src};
  raise notice 'spacesync attach "%": % row(s) of % and % rate(s) brought in', ${src}, n, ${quoteLiteral(tableText(m.table))}, n_rates;
end
${TAG};`;
}

/**
 * What left the app's tables while the source was detached: their spaces are deleted (archived in
 * Stripe), and prices whose rates row is gone are deleted. Two statements, `;`-terminated.
 */
export function renderOrphansSql(m: Mapping): string {
  const t = quoteTable(qualifiedTable(m.table));
  const src = quoteLiteral(m.name);
  const k = quoteIdent(m.key);
  const out = [
    `update public.spaces s set deleted_at = now()
 where s.source = ${src} and s.deleted_at is null
   and not exists (select 1 from ${t} r where r.${k}::text = s.source_key);`,
  ];
  const p = m.prices;
  if (isTablePrices(p)) {
    out.push(`delete from public.space_prices p using public.spaces s
 where p.space_id = s.id and s.source = ${src} and p.source_key is not null and p.deleted_at is null
   and not exists (select 1 from ${quoteTable(qualifiedTable(p.table))} r
                    where r.${quoteIdent(p.key)}::text = p.source_key and r.${quoteIdent(p.spaceKey)}::text = s.source_key);`);
  }
  return out.join('\n');
}

export function renderAttachSql(m: Mapping, opts: RenderOptions = {}): string {
  checkName(m.name);
  const parts = [
    `-- spacesync attach: source "${m.name}", ${tableText(m.table)}${isTablePrices(m.prices) ? ` and its rates ${tableText(m.prices.table)}` : ''} → spaces${m.prices ? ', space_prices' : ''}.
-- Generated from the mapping stored below in public.spacesync_sources; re-running it changes nothing,
-- a changed mapping replaces the triggers. \`spacesync detach --source ${m.name}\` removes them.`,
    guardBlock(m),
    `-- What an earlier attach of this source made.\n${dropStatements(m.name)}`,
    registryUpsert(m),
    valuesFunction(m),
    syncFunction(m),
  ];
  if (isTablePrices(m.prices)) parts.push(rateFunctions(m, m.prices));
  if (m.writeBack && Object.values(m.writeBack).some(Boolean)) parts.push(writeBackFunction(m));
  parts.push(triggers(m), revokes(m));
  if (opts.backfill) parts.push(backfillBlock(m));
  return `${parts.join('\n\n')}\n`;
}

/** Removes the source's triggers and functions and marks it detached; every row stays. */
export function renderDetachSql(name: string): string {
  checkName(name);
  return `-- spacesync detach: source "${name}". The app's rows, the spaces and their prices stay as they are.
${dropStatements(name)}
update public.spacesync_sources set detached_at = now() where name = ${quoteLiteral(name)} and detached_at is null;
`;
}

