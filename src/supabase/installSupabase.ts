// `spacesync supabase install`: adds spacesync to a Supabase project folder (the one `supabase init`
// made, with its own migrations): its migrations into supabase/migrations, versioned after the
// project's latest, and its Edge Functions into supabase/functions, each self-contained. Run again
// after an upgrade, it adds only the migrations that are new and rewrites the functions. With a
// mapping (--mapping), it also writes the attach of the app's own table as the last migration (and
// with --detach, the migration that removes it).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import pg from 'pg';
import { bundleFunctions, packageRoot, type FunctionFiles } from './bundleFunctions.ts';
import { renderAttachSql, renderDetachSql } from '../attach/renderAttachSql.ts';
import { checkMapping, formatProblems } from '../attach/checkMapping.ts';
import { attachSourceOf, mappingProblemsInMigrations, planAttachMigration, planDetachMigration, type AttachMigration } from './attachMigration.ts';
import { compareVersions, renderSupabaseMigrations, sourceIdOf, spacesyncSourceOf, spacesyncSources, spacesyncTables, type SupabaseMigration } from './supabaseMigrations.ts';

export class InstallError extends Error {
  override name = 'InstallError';
}

export interface InstallOptions {
  /** The project's folder: the one holding supabase/. */
  projectDir: string;
  /** The project's database, to check the tables spacesync needs against what is there. */
  dbUrl?: string;
  /** A mapping file (src/attach/mapping.ts): also write the attach of the app's table it maps. */
  mapping?: string;
  /** An attached source's name: write the migration that detaches it. */
  detach?: string;
  /** Plan only: write nothing. */
  dryRun?: boolean;
  /** Progress lines. */
  progress?: (line: string) => void;
}

export interface InstallPlan {
  /** Migrations already in the project (spacesync's), by source. */
  present: string[];
  /** Migrations to add, in order. */
  added: SupabaseMigration[];
  /** Newest version among the project's migrations before the install. */
  latest?: string;
  /** With a mapping: the attach migration to add, undefined when the project's latest one is current. */
  attach?: AttachMigration;
  /** With detach: the detach migration to add, undefined when the source's latest one is a detach. */
  detach?: AttachMigration;
}

export interface InstallResult extends InstallPlan {
  functions: FunctionFiles[];
  configUpdated: string[];
}

const MIGRATION_FILE = /^(\d+)_(.+)\.sql$/;

interface ProjectMigration {
  file: string;
  version: string;
  sql: string;
  source?: string;
}

function readProjectMigrations(dir: string): ProjectMigration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => MIGRATION_FILE.test(f))
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return { file, version: MIGRATION_FILE.exec(file)![1], sql, source: spacesyncSourceOf(sql) };
    })
    .sort((a, b) => compareVersions(a.version, b.version));
}

/** Tables spacesync creates that one of the project's own migrations creates too. */
function conflictsInMigrations(own: ProjectMigration[]): string[] {
  const tables = [...spacesyncTables().keys()];
  const problems: string[] = [];
  for (const m of own) {
    const code = m.sql.replace(/--[^\n]*/g, '');
    for (const table of tables) {
      const re = new RegExp(`create\\s+(?:unlogged\\s+)?table\\s+(?:if\\s+not\\s+exists\\s+)?(?:"?public"?\\s*\\.\\s*)?"?${table}"?\\s*\\(`, 'i');
      if (re.test(code)) problems.push(`supabase/migrations/${m.file} creates the table public.${table}`);
    }
  }
  return problems;
}

/** Tables spacesync creates that already exist in the database without spacesync having made them. */
async function conflictsInDatabase(dbUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: dbUrl, application_name: 'spacesync-install' });
  try {
    await client.connect();
  } catch (error) {
    throw new InstallError(`cannot connect to --db-url: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  try {
    const tables = spacesyncTables();
    const { rows } = await client.query<{ table_name: string; columns: string[] }>(
      `select table_name, array_agg(column_name::text order by ordinal_position) as columns
         from information_schema.columns where table_schema = 'public' and table_name = any($1) group by table_name`,
      [[...tables.keys()]],
    );
    if (rows.length === 0) return [];
    const applied = new Set<number>();
    if ((await client.query(`select to_regclass('public.spacesync_migrations') as t`)).rows[0].t) {
      for (const r of (await client.query<{ id: number }>('select id from public.spacesync_migrations')).rows) applied.add(r.id);
    }
    return rows
      .filter((r) => !applied.has(tables.get(r.table_name)!))
      .map((r) => `the database already has a table public.${r.table_name} (${r.columns.join(', ')}) that spacesync did not create`);
  } finally {
    await client.end();
  }
}

export async function planInstall(options: InstallOptions): Promise<InstallPlan> {
  if (options.mapping !== undefined && options.detach !== undefined) throw new InstallError('--mapping and --detach go in two runs: one attaches a source, the other detaches one');
  if (options.detach !== undefined && !/^[a-z][a-z0-9_]{0,40}$/.test(options.detach)) {
    throw new InstallError(`--detach ${options.detach}: give the name of an attached source (the mapping's "name"), e.g. --detach rooms`);
  }
  if (!existsSync(options.projectDir)) throw new InstallError(`--project-dir ${options.projectDir} does not exist: give the folder of your Supabase project (the one holding supabase/)`);
  const migrationsDir = join(options.projectDir, 'supabase/migrations');
  const existing = readProjectMigrations(migrationsDir);
  const own = existing.filter((m) => m.source === undefined && attachSourceOf(m.sql) === undefined);
  const problems = conflictsInMigrations(own);
  if (options.dbUrl) problems.push(...(await conflictsInDatabase(options.dbUrl)));
  const present = new Set(existing.flatMap((m) => (m.source ? [m.source] : [])));
  // A table of spacesync's own already made by an earlier install is no conflict.
  if (problems.length) {
    throw new InstallError(
      [
        'spacesync needs tables that your project already has with another shape:',
        ...problems.map((p) => `  - ${p}`),
        'spacesync owns these tables (docs/INSTALL.md, "Names"): rename yours (alter table … rename to …) in a migration of your own, then run the install again.',
      ].join('\n'),
    );
  }
  const mapping = options.mapping === undefined ? undefined : readMapping(options.mapping, own);
  const missing = spacesyncSources().filter((s) => !present.has(s)).sort((a, b) => sourceIdOf(a) - sourceIdOf(b));
  const latest = existing.at(-1)?.version;
  const added = renderSupabaseMigrations(missing, latest);
  const after = added.at(-1)?.version ?? latest;
  if (options.detach !== undefined) {
    return { present: [...present], added, latest, detach: planDetachMigration(options.detach, renderDetachSql(options.detach), existing, after) };
  }
  if (!mapping) return { present: [...present], added, latest };
  const label = relative(options.projectDir, options.mapping!) || options.mapping!;
  const attach = planAttachMigration(mapping, label, renderAttachSql(mapping, { backfill: true }), existing, after);
  return { present: [...present], added, latest, attach };
}

/** The mapping file, parsed and checked against the tables the project's own migrations create. */
function readMapping(file: string, own: ProjectMigration[]) {
  if (!existsSync(file)) throw new InstallError(`--mapping ${file} does not exist: give the JSON file that maps your table (docs/ATTACH.md)`);
  const checked = checkMapping(readFileSync(file, 'utf8'), file);
  if (!checked.ok) throw new InstallError(`--mapping ${file} is not a valid mapping (docs/ATTACH.md, "The mapping"):\n${formatProblems(checked.problems)}`);
  const mapping = checked.mapping;
  const problems = mappingProblemsInMigrations(mapping, own.map((m) => m.sql));
  if (problems.length) {
    throw new InstallError([`--mapping ${file} does not fit your migrations:`, ...problems.map((p) => `  - ${p}`), 'Fix the mapping (or add the column in a migration of your own), then run the install again.'].join('\n'));
  }
  return mapping;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Adds `[functions.<name>] verify_jwt = false` to config.toml for the functions it does not name. */
function updateConfig(supabaseDir: string, names: string[], dryRun: boolean): string[] {
  const file = join(supabaseDir, 'config.toml');
  if (!existsSync(file)) return [];
  const toml = readFileSync(file, 'utf8');
  const missing = names.filter((n) => !new RegExp(`^\\[functions\\.${n.replace(/-/g, '\\-')}\\]`, 'm').test(toml));
  if (missing.length && !dryRun) {
    const block = missing.map((n) => `\n# spacesync: the function checks its caller itself (an admin's token, Stripe's signature or a secret).\n[functions.${n}]\nverify_jwt = false\n`).join('');
    appendFileSync(file, (toml.endsWith('\n') ? '' : '\n') + block);
  }
  return missing;
}

export async function installSupabase(options: InstallOptions): Promise<InstallResult> {
  const say = options.progress ?? (() => {});
  const supabaseDir = join(options.projectDir, 'supabase');
  say(`checking ${join(supabaseDir, 'migrations')}${options.dbUrl ? ' and the database' : ''}`);
  const plan = await planInstall(options);
  say(plan.added.length ? `${plan.added.length} migration(s) to add${plan.latest ? `, after ${plan.latest}` : ''}` : 'migrations: all of spacesync\'s are there');
  if (options.mapping) say(plan.attach ? `attach migration to add: ${plan.attach.file}` : 'attach migration: the latest one holds this mapping already');
  if (options.detach) say(plan.detach ? `detach migration to add: ${plan.detach.file}` : `detach migration: ${options.detach} is detached by the latest one already`);
  const functions = await bundleFunctions(packageVersion(), (name, i, n) => say(`bundling function ${i + 1}/${n}: ${name}`));
  if (options.dryRun) return { ...plan, functions, configUpdated: updateConfig(supabaseDir, functions.map((f) => f.name), true) };

  mkdirSync(join(supabaseDir, 'migrations'), { recursive: true });
  for (const m of plan.added) {
    writeFileSync(join(supabaseDir, 'migrations', m.file), m.sql);
    say(`added supabase/migrations/${m.file}`);
  }
  for (const m of [plan.attach, plan.detach]) {
    if (!m) continue;
    writeFileSync(join(supabaseDir, 'migrations', m.file), m.sql);
    say(`added supabase/migrations/${m.file}`);
  }
  for (const f of functions) {
    const dir = join(supabaseDir, 'functions', f.name);
    // The folder is spacesync's: what an earlier release wrote there goes.
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const [file, content] of f.files) writeFileSync(join(dir, file), content);
    say(`wrote supabase/functions/${f.name}/`);
  }
  const configUpdated = updateConfig(supabaseDir, functions.map((f) => f.name), false);
  if (configUpdated.length) say(`config.toml: verify_jwt = false for ${configUpdated.join(', ')}`);
  return { ...plan, functions, configUpdated };
}
