// `spacesync supabase install --mapping FILE`: the attach of an app's own table as a Supabase
// migration, `<version>_spacesync_attach_<source>.sql`, versioned after every other migration. Its
// first line names the source; its body is what `spacesync attach` runs (src/attach/). A new file is
// written only when that body changed: run again with the same mapping, the install adds nothing;
// with a changed one, the new migration replaces the triggers when pushed.
import { mappingSchema, isTablePrices, qualifiedTable, type Mapping } from '../attach/mapping.ts';
import { compareVersions, nextVersion } from './supabaseMigrations.ts';
import { tableColumnsInMigrations } from './migrationColumns.ts';

export const ATTACH_MARKER = '-- spacesync attach ';
const ATTACH_FILE = /^(\d+)_spacesync_attach_([a-z][a-z0-9_]*)\.sql$/;

export interface AttachMigration {
  file: string;
  version: string;
  source: string;
  sql: string;
}

/** The source an attach migration written by the install is for, else undefined. */
export function attachSourceOf(sql: string): string | undefined {
  return sql.startsWith(ATTACH_MARKER) ? /^-- spacesync attach ([a-z][a-z0-9_]*)/.exec(sql)?.[1] : undefined;
}

/**
 * The mapping in a file's text, or an error naming the file, the field and what to write there.
 * `label` is how the file is named in messages (its path as given).
 */
export function parseMappingText(text: string, label: string): Mapping {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${label} is not valid JSON (${error instanceof Error ? error.message : String(error)}): a mapping is one JSON object (docs/ATTACH.md)`, { cause: error });
  }
  const parsed = mappingSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const lines = issueLines(parsed.error.issues, []);
  throw new Error([`${label} is not a valid mapping (docs/ATTACH.md, "The mapping"):`, ...lines].join('\n'));
}

type Issue = { path: PropertyKey[]; message: string; code?: string; errors?: Issue[][] };

/**
 * One line per issue, `path: message`. A value matching none of a union's shapes (prices: columns or
 * a rates table) is told by the shape it came closest to: one of its type whose keys it uses, with
 * the fewest issues, then the one that got deepest into the value.
 */
function issueLines(issues: readonly Issue[], prefix: PropertyKey[]): string[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors?.length) {
      const depth = (branch: Issue[]) => Math.max(...branch.map((i) => i.path.length));
      // Worst: another type altogether (a string for an object); then an object with keys of another shape.
      const misfit = (branch: Issue[]) =>
        branch.some((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value')) ? 2
        : branch.some((i) => i.path.length === 0 && i.code === 'unrecognized_keys') ? 1 : 0;
      const closest = [...issue.errors].sort((a, b) => misfit(a) - misfit(b) || a.length - b.length || depth(b) - depth(a))[0];
      if (closest.length) return issueLines(closest, path);
    }
    const name = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    return [`  - ${name || '(top level)'}: ${issue.message}`];
  });
}

interface ColumnRef {
  table: string;
  column: string;
  field: string;
}

/** Every column of the app's tables the mapping names, with the mapping key naming it. */
export function mappedColumns(mapping: Mapping): ColumnRef[] {
  const refs: ColumnRef[] = [{ table: mapping.table, column: mapping.key, field: 'key' }];
  const source = (column: string, field: string) => refs.push({ table: mapping.table, column, field });
  for (const [name, value] of Object.entries(mapping.fields)) {
    if (name === 'metadata') continue;
    if (typeof value === 'string') source(value, `fields.${name}`);
  }
  for (const [key, value] of Object.entries(mapping.fields.metadata ?? {})) {
    if (typeof value === 'string') source(value, `fields.metadata.${key}`);
  }
  if (mapping.delete !== 'hard') source(mapping.delete.softDeleteColumn, 'delete.softDeleteColumn');
  for (const [key, column] of Object.entries(mapping.writeBack ?? {})) if (column) source(column, `writeBack.${key}`);
  const prices = mapping.prices;
  if (isTablePrices(prices)) {
    for (const key of ['key', 'spaceKey', 'pricingType', 'amount', 'currency', 'recurringInterval', 'active', 'softDeleteColumn'] as const) {
      const column = prices[key];
      if (column) refs.push({ table: prices.table, column, field: `prices.${key}` });
    }
  } else if (prices) {
    for (const [i, p] of prices.columns.entries()) source(p.column, `prices.columns[${i}].column`);
  }
  return refs;
}

/**
 * What the project's migrations say against the mapping: one line per mapped column a table they
 * create does not have. Tables none of them creates are not judged (the attach checks the live schema).
 */
export function mappingProblemsInMigrations(mapping: Mapping, sqls: string[]): string[] {
  const problems: string[] = [];
  const known = new Map<string, string[] | undefined>();
  for (const ref of mappedColumns(mapping)) {
    const { schema, table } = qualifiedTable(ref.table);
    const name = `${schema}.${table}`;
    if (!known.has(name)) known.set(name, tableColumnsInMigrations(sqls, name));
    const columns = known.get(name);
    if (columns && !columns.includes(ref.column)) {
      problems.push(`${ref.field} names the column "${ref.column}", which ${name} does not have in supabase/migrations (its columns: ${columns.join(', ')})`);
    }
  }
  return problems;
}

/** The file's text: a header naming the source and the mapping file, then the attach SQL. */
export function renderAttachMigration(mapping: Mapping, mappingLabel: string, attachSql: string): string {
  const header = [
    `${ATTACH_MARKER}${mapping.name}: keeps spacesync's catalog in step with ${mapping.table} (mapping ${mappingLabel}).`,
    '-- Written by `spacesync supabase install --mapping`; do not edit: change the mapping and run the',
    '-- install again, it writes a new migration that replaces this one\'s triggers (docs/ATTACH.md).',
  ];
  return `${header.join('\n')}\n\n${attachSql.trimEnd()}\n`;
}

/** The SQL after the header, which a later install compares with what it would write. */
function attachBody(sql: string): string {
  const at = sql.indexOf('\n\n');
  return at < 0 ? sql : sql.slice(at + 2);
}

/**
 * The attach migration to add for `mapping`, or undefined when the latest one already in the project
 * for that source holds the same SQL. `existing` are the project's migration files (name and text);
 * `after` is the version it must follow (the newest of the project's and of those being added).
 */
export function planAttachMigration(
  mapping: Mapping,
  mappingLabel: string,
  attachSql: string,
  existing: Array<{ file: string; sql: string }>,
  after: string | undefined,
): AttachMigration | undefined {
  const sql = renderAttachMigration(mapping, mappingLabel, attachSql);
  const previous = existing
    .filter((m) => ATTACH_FILE.test(m.file) && attachSourceOf(m.sql) === mapping.name)
    .sort((a, b) => compareVersions(ATTACH_FILE.exec(a.file)![1], ATTACH_FILE.exec(b.file)![1]))
    .at(-1);
  if (previous && attachBody(previous.sql) === attachBody(sql)) return undefined;
  const version = after === undefined ? nowVersion() : nextVersion(after);
  return { file: `${version}_spacesync_attach_${mapping.name}.sql`, version, source: mapping.name, sql };
}

/** The current UTC time as a migration version, as `supabase migration new` names files. */
function nowVersion(): string {
  return new Date().toISOString().replace(/\D/g, '').slice(0, 14);
}
