// `spacesync supabase install --mapping FILE`: the attach of an app's own table as a Supabase
// migration, `<version>_spacesync_attach_<source>.sql`, versioned after every other migration. Its
// first line names the source; its body is what `spacesync attach` runs (src/attach/). A new file is
// written only when that body changed: run again with the same mapping, the install adds nothing;
// with a changed one, the new migration replaces the triggers when pushed. `--detach NAME` writes
// `<version>_spacesync_detach_<source>.sql` the same way (once; a later attach writes it again).
import { columnUses } from '../attach/columnRules.ts';
import { qualifiedTable, type Mapping } from '../attach/mapping.ts';
import { compareVersions, nextVersion } from './supabaseMigrations.ts';
import { tableColumnsInMigrations } from './migrationColumns.ts';

export const ATTACH_MARKER = '-- spacesync attach ';
export const DETACH_MARKER = '-- spacesync detach ';
const SOURCE_FILE = /^(\d+)_spacesync_(attach|detach)_([a-z][a-z0-9_]*)\.sql$/;

export interface AttachMigration {
  file: string;
  version: string;
  source: string;
  sql: string;
}

/** The source an attach (or detach) migration written by the install is for, else undefined. */
export function attachSourceOf(sql: string): string | undefined {
  return /^-- spacesync (?:attach|detach) ([a-z][a-z0-9_]*)/.exec(sql)?.[1];
}

/**
 * What the project's migrations say against the mapping: one line per mapped column a table they
 * create does not have. Tables none of them creates are not judged (the attach checks the live schema).
 */
export function mappingProblemsInMigrations(mapping: Mapping, sqls: string[]): string[] {
  const problems: string[] = [];
  const known = new Map<string, string[] | undefined>();
  for (const ref of columnUses(mapping)) {
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
  const previous = latestFor(mapping.name, existing);
  if (previous?.sql.startsWith(ATTACH_MARKER) && attachBody(previous.sql) === attachBody(sql)) return undefined;
  return migration('attach', mapping.name, sql, after);
}

/**
 * The detach migration for `source`, or undefined when the latest attach/detach migration of the
 * project for it is a detach already.
 */
export function planDetachMigration(source: string, detachSql: string, existing: Array<{ file: string; sql: string }>, after: string | undefined): AttachMigration | undefined {
  if (latestFor(source, existing)?.sql.startsWith(DETACH_MARKER)) return undefined;
  const header = [
    `${DETACH_MARKER}${source}: removes the triggers that kept spacesync's catalog in step with the source; every row stays.`,
    '-- Written by `spacesync supabase install --detach`; do not edit (docs/ATTACH.md).',
  ];
  return migration('detach', source, `${header.join('\n')}\n\n${detachSql.trimEnd()}\n`, after);
}

function latestFor(source: string, existing: Array<{ file: string; sql: string }>) {
  return existing
    .filter((m) => SOURCE_FILE.exec(m.file)?.[3] === source && attachSourceOf(m.sql) === source)
    .sort((a, b) => compareVersions(SOURCE_FILE.exec(a.file)![1], SOURCE_FILE.exec(b.file)![1]))
    .at(-1);
}

function migration(what: 'attach' | 'detach', source: string, sql: string, after: string | undefined): AttachMigration {
  const version = after === undefined ? nowVersion() : nextVersion(after);
  return { file: `${version}_spacesync_${what}_${source}.sql`, version, source, sql };
}

/** The current UTC time as a migration version, as `supabase migration new` names files. */
function nowVersion(): string {
  return new Date().toISOString().replace(/\D/g, '').slice(0, 14);
}
