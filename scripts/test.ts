// `npm test [-- path-filter ...]`: starts one real Postgres for the whole run (the embedded one, or
// the server at SPACESYNC_TEST_DATABASE_URL), migrates a template database once, then runs every
// test/**/*.test.ts with node's test runner. Each test file clones the template into its own database.
// The databases carry this run's name (scripts/testDatabases.ts): at the end the run drops its own and
// those a killed run of this host left, never another live run's.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import pg from 'pg';
import { migrate } from '../src/db/migrate.ts';
import { createPool } from '../src/db/pool.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../src/node/embeddedPostgres.ts';
import { buildWebIfStale } from './buildWebIfStale.ts';
import { processIsRunning } from './processIsRunning.ts';
import { databasesToDrop, formatTestRun, templateDatabaseName, testRun } from './testDatabases.ts';

const root = join(import.meta.dirname, '..');
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
if (process.argv.includes('--help')) {
  console.log(`Usage: npm test [-- <path filter> ...]

Runs test/**/*.test.ts against a real Postgres: an embedded one started for the run (in a temporary folder),
or the server whose admin URL is in SPACESYNC_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres).`);
  process.exit(0);
}

function findTests(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : findTests(path);
    return /\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const files = findTests(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no test file matches ${filters.join(' ')}`);
  process.exit(1);
}

// The browser tests and the stack serve web/dist: build it once here, not in each test file.
if (files.some((f) => f.startsWith('test/ui/'))) await buildWebIfStale();

let embedded: EmbeddedPostgresHandle | undefined;
let embeddedDir: string | undefined;
let adminUrl = process.env.SPACESYNC_TEST_DATABASE_URL;
if (!adminUrl) {
  // A cluster of this run's own, so two runs at once never stop each other's server.
  embeddedDir = mkdtempSync(join(tmpdir(), 'spacesync-test-pg-'));
  chmodSync(embeddedDir, 0o755);
  embedded = await startEmbeddedPostgres({ dir: embeddedDir, fsync: false }); // a throwaway cluster
  adminUrl = embedded.url;
}
const run = testRun(hostname(), process.pid);
const template = templateDatabaseName(run);
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
const version = (await admin.query('show server_version')).rows[0].server_version;
console.log(`# postgres ${version} (${embedded ? 'embedded' : 'SPACESYNC_TEST_DATABASE_URL'})`);
await admin.query(`drop database if exists ${template}`);
await admin.query(`create database ${template}`);
const templateUrl = withDatabase(adminUrl, template);
const pool = createPool(templateUrl, { max: 2 });
await migrate(pool);
await pool.end();

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...files],
  {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, SPACESYNC_TEST_ADMIN_URL: adminUrl, SPACESYNC_TEST_TEMPLATE: template, SPACESYNC_TEST_RUN: formatTestRun(run) },
  },
);
const stopSignals = ['SIGINT', 'SIGTERM'] as const;
for (const s of stopSignals) process.on(s, () => child.kill(s));
const code: number = await new Promise((r) => child.on('exit', (c, signal) => r(c ?? (signal ? 1 : 0))));

// Drop this run's template and any database a killed test file of it left behind, and the databases
// of runs of this host whose process is gone.
const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname ~ '^spacesync_(test|template)_'`);
for (const datname of databasesToDrop(rows.map((r) => r.datname), run, processIsRunning)) {
  await admin.query(`drop database if exists ${admin.escapeIdentifier(datname)} with (force)`).catch((error: unknown) => {
    console.error(`# could not drop database ${datname}: ${error instanceof Error ? error.message : String(error)}`);
  });
}
await admin.end();
await embedded?.stop();
if (embeddedDir) rmSync(embeddedDir, { recursive: true, force: true });
process.exit(code);

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
