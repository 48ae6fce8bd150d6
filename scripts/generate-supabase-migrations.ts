// Keeps the repository's own supabase/ what `spacesync supabase install` writes into an empty
// project: its migrations (src/db/migrations and graphile-worker's schema, see
// src/supabase/supabaseMigrations.ts) and its Edge Functions (bundles of src/edge/functions).
// `--check` exits 1 when supabase/ differs from that.
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installSupabase } from '../src/supabase/installSupabase.ts';
import { spacesyncSourceOf } from '../src/supabase/supabaseMigrations.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const supabaseDir = join(root, 'supabase');

/** Relative path under supabase/ → content: what an install into an empty project writes. */
export async function renderEmptyProjectInstall(): Promise<Map<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'spacesync-empty-project-'));
  try {
    mkdirSync(join(dir, 'supabase'));
    const result = await installSupabase({ projectDir: dir });
    const out = new Map<string, string>();
    for (const m of result.added) out.set(`migrations/${m.file}`, m.sql);
    for (const f of result.functions) for (const [file, content] of f.files) out.set(`functions/${f.name}/${file}`, content);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What spacesync wrote in the repository's supabase/: its migrations and its function folders. */
export function readInstalled(functionNames: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const migrations = join(supabaseDir, 'migrations');
  for (const file of existsSync(migrations) ? readdirSync(migrations).sort() : []) {
    const sql = readFileSync(join(migrations, file), 'utf8');
    if (spacesyncSourceOf(sql)) out.set(`migrations/${file}`, sql);
  }
  for (const name of functionNames) {
    const dir = join(supabaseDir, 'functions', name);
    for (const file of existsSync(dir) ? readdirSync(dir).sort() : []) out.set(`functions/${name}/${file}`, readFileSync(join(dir, file), 'utf8'));
  }
  return out;
}

function functionNamesOf(files: Map<string, string>): string[] {
  return [...new Set([...files.keys()].filter((k) => k.startsWith('functions/')).map((k) => k.split('/')[1]))];
}

/** Differences between supabase/ and an install into an empty project, one line each; empty when equal. */
export async function diffSupabaseDir(): Promise<string[]> {
  const wanted = await renderEmptyProjectInstall();
  const have = readInstalled(functionNamesOf(wanted));
  const problems: string[] = [];
  for (const [path, content] of wanted) {
    const current = have.get(path);
    if (current === undefined) problems.push(`missing: supabase/${path}`);
    else if (current !== content) problems.push(`out of date: supabase/${path}`);
    have.delete(path);
  }
  for (const path of have.keys()) problems.push(`not written by the install: supabase/${path}`);
  return problems;
}

export async function writeSupabaseDir(): Promise<number> {
  const wanted = await renderEmptyProjectInstall();
  for (const path of readInstalled(functionNamesOf(wanted)).keys()) if (!wanted.has(path)) rmSync(join(supabaseDir, path));
  for (const [path, content] of wanted) {
    mkdirSync(dirname(join(supabaseDir, path)), { recursive: true });
    writeFileSync(join(supabaseDir, path), content);
  }
  return wanted.size;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const problems = await diffSupabaseDir();
    if (problems.length) {
      console.error(problems.join('\n'));
      console.error('supabase/ is out of date: run `npm run supabase:migrations`.');
      process.exit(1);
    }
    console.log('supabase/ is up to date');
  } else {
    console.log(`wrote ${await writeSupabaseDir()} files to ${supabaseDir}`);
  }
}
