// The real Supabase CLI (npm `supabase`, pinned) pushes spacesync's migrations with
// `supabase db push --db-url`: (a) into an empty Postgres, (b) into a database shaped like a Supabase
// project, as its non-superuser `postgres`, and (c) into a project with migrations of its own, after
// `spacesync supabase install` added spacesync to it; a second install after an upgrade adds only
// what is new, and a project whose own table clashes with spacesync's is refused.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrate } from '../../src/db/migrate.ts';
import { createPool } from '../../src/db/pool.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { startSupabaseCluster, type SupabaseCluster } from './supabaseFixture.ts';

const root = join(import.meta.dirname, '../..');
const supabaseCli = join(root, 'node_modules/.bin/supabase');

function run(command: string, args: string[], cwd: string) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' }, timeout: 180_000 });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

function dbPush(projectDir: string, dbUrl: string) {
  return run(supabaseCli, ['db', 'push', '--db-url', dbUrl, '--yes'], projectDir);
}

function install(projectDir: string, extra: string[] = []) {
  return run(process.execPath, ['--import', 'tsx', join(root, 'src/cli.ts'), 'supabase', 'install', '--project-dir', projectDir, ...extra], root);
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The repository's own supabase/ (migrations only), as a project folder of its own. */
function repositoryProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spacesync-push-'));
  mkdirSync(join(dir, 'supabase'));
  cpSync(join(root, 'supabase/migrations'), join(dir, 'supabase/migrations'), { recursive: true });
  return dir;
}

test('supabase --version is the pinned CLI', () => {
  const r = run(supabaseCli, ['--version'], root);
  assert.equal(r.code, 0, r.out);
  const pinned = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.supabase;
  assert.equal(r.out.trim(), pinned);
});

test('(a) an empty Postgres: db push applies every migration, and spacesync migrate finds nothing left', async () => {
  const db = await createTestDatabase({ empty: true });
  const dir = repositoryProject();
  const url = `${db.url}${db.url.includes('?') ? '&' : '?'}sslmode=disable`;
  const r = dbPush(dir, url);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /Finished supabase db push/);
  const history = await query<{ version: string }>(db.url, 'select version from supabase_migrations.schema_migrations order by version');
  assert.deepEqual(history.map((h) => h.version), readdirSync(join(dir, 'supabase/migrations')).sort().map((f) => f.slice(0, 14)));
  assert.deepEqual((await migrate(db.pool)).applied, []);
  rmSync(dir, { recursive: true, force: true });
});

describe('a database shaped like a Supabase project', () => {
  let cluster: SupabaseCluster;
  before(async () => {
    cluster = await startSupabaseCluster();
  });
  after(() => cluster?.stop());

  test('(b) db push as the non-superuser postgres: applied, Supabase’s auth untouched, the roles’ rights as documented', async () => {
    const url = await cluster.createSupabaseDatabase('new_project');
    const [{ rolsuper }] = await query<{ rolsuper: boolean }>(url, `select rolsuper from pg_roles where rolname = current_user`);
    assert.equal(rolsuper, false, 'the CLI connects as a non-superuser, as on Supabase');
    const authBefore = await query(url, `select proname, proowner::regrole::text as owner, md5(prosrc) from pg_proc where pronamespace = 'auth'::regnamespace order by 1`);
    assert.equal(authBefore.length, 4);
    const dir = repositoryProject();
    const r = dbPush(dir, url);
    assert.equal(r.code, 0, r.out);
    const authAfter = await query(url, `select proname, proowner::regrole::text as owner, md5(prosrc) from pg_proc where pronamespace = 'auth'::regnamespace order by 1`);
    assert.deepEqual(authAfter, authBefore, 'auth.uid(), auth.jwt(), auth.role(), auth.email() stay supabase_auth_admin’s own');
    const [owner] = await query<{ owner: string }>(url, `select tableowner as owner from pg_tables where tablename = 'spaces'`);
    assert.equal(owner.owner, 'postgres');
    // What the API roles may do, as docs/INSTALL.md states it.
    const rights = await query<Record<string, boolean>>(
      url,
      `select has_function_privilege('anon', 'public.spacesync_enqueue_sync(uuid)', 'execute') as anon_enqueue,
              has_function_privilege('authenticated', 'public.spacesync_enqueue_sync(uuid)', 'execute') as auth_enqueue,
              has_function_privilege('anon', 'public.is_admin()', 'execute') as anon_is_admin,
              has_table_privilege('anon', 'public.spacesync_migrations', 'select') as anon_migrations,
              has_table_privilege('authenticated', 'public.spacesync_migrations', 'select') as auth_migrations,
              has_function_privilege('anon', 'public.sync_space_with_stripe(uuid)', 'execute') as anon_rpc,
              has_function_privilege('service_role', 'public.spacesync_enqueue_sync(uuid)', 'execute') as service_enqueue,
              has_table_privilege('service_role', 'public.spacesync_migrations', 'select') as service_migrations`,
    );
    assert.deepEqual(rights[0], {
      anon_enqueue: false,
      auth_enqueue: false,
      anon_is_admin: true,
      anon_migrations: false,
      auth_migrations: false,
      anon_rpc: true,
      // The project's admin key: Supabase's default privileges give it everything in public.
      service_enqueue: true,
      service_migrations: true,
    });
    const spacesyncPool = createPool(url, { max: 3 });
    try {
      assert.deepEqual((await migrate(spacesyncPool)).applied, [], 'spacesync migrate, as postgres, finds nothing left');
    } finally {
      await spacesyncPool.end();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('(c) a project with its own migrations: install, push, upgrade, push again', async () => {
    const url = await cluster.createSupabaseDatabase('app_project');
    const dir = mkdtempSync(join(tmpdir(), 'spacesync-app-'));
    mkdirSync(join(dir, 'supabase/migrations'), { recursive: true });
    writeFileSync(join(dir, 'supabase/config.toml'), 'project_id = "app"\n');
    writeFileSync(join(dir, 'supabase/migrations/20260301090000_profiles.sql'), 'create table public.profiles (id uuid primary key references auth.users (id), display_name text);\n');
    writeFileSync(join(dir, 'supabase/migrations/20260315120000_bookings.sql'), 'create table public.bookings (id bigint generated always as identity primary key, profile_id uuid references public.profiles (id), starts_at timestamptz not null);\n');
    const first = dbPush(dir, url);
    assert.equal(first.code, 0, first.out);

    // Without the install, the repository's migrations cannot be pushed into this project.
    const installed = install(dir);
    assert.equal(installed.code, 0, installed.out);
    const files = readdirSync(join(dir, 'supabase/migrations')).sort();
    const ours = files.filter((f) => !/_(profiles|bookings)\.sql$/.test(f));
    assert.equal(ours.length, readdirSync(join(root, 'supabase/migrations')).length);
    assert.ok(ours.every((f) => f > '20260315120000'), `timestamped after the project's latest: ${ours.join(', ')}`);
    assert.ok(ours[0].startsWith('20260315120001_graphile_worker'), ours[0]);
    for (const name of ['create-stripe-catalog', 'drain-queue', 'spacesync-api', 'stripe-webhook', 'sync-space-stripe']) {
      assert.ok(existsSync(join(dir, 'supabase/functions', name, 'index.ts')), `${name} written`);
    }
    assert.match(readFileSync(join(dir, 'supabase/config.toml'), 'utf8'), /\[functions\.sync-space-stripe\]\nverify_jwt = false/);

    const pushed = dbPush(dir, url);
    assert.equal(pushed.code, 0, pushed.out);
    const history = await query<{ version: string }>(url, 'select version from supabase_migrations.schema_migrations order by version');
    assert.equal(history.length, files.length);
    await query(url, `insert into public.spaces (name) values ('Salle Molière')`);
    assert.equal((await query(url, `select 1 from graphile_worker.jobs`)).length, 1, 'the outbox works in the pushed schema');

    // An upgrade: the last migration is new to this project. Only it is added, after the latest.
    const last = ours.at(-1)!;
    unlinkSync(join(dir, 'supabase/migrations', last));
    await query(url, `delete from supabase_migrations.schema_migrations where version = '${last.slice(0, 14)}'`);
    writeFileSync(join(dir, 'supabase/migrations/20990101000000_later.sql'), 'select 1;\n');
    await query(url, `insert into supabase_migrations.schema_migrations (version, name) values ('20990101000000', 'later')`);
    const again = install(dir, ['--dry-run']);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, new RegExp(`would add 1 migration\\(s\\): 20990101000001_${last.slice(15).replace('.sql', '')}\\.sql`));
    const rerun = install(dir);
    assert.equal(rerun.code, 0, rerun.out);
    const unchanged = install(dir);
    assert.match(unchanged.out, /added 0 migration\(s\)/, 'a third run adds nothing');
    rmSync(dir, { recursive: true, force: true });
  });

  test('a table spacesync needs, already there with another shape, is refused before anything is written', async () => {
    const url = await cluster.createSupabaseDatabase('clash_project');
    const dir = mkdtempSync(join(tmpdir(), 'spacesync-clash-'));
    mkdirSync(join(dir, 'supabase/migrations'), { recursive: true });
    writeFileSync(join(dir, 'supabase/migrations/20260101000000_rooms.sql'), 'create table if not exists "public"."spaces" (id serial primary key, title text);\n');
    const refused = install(dir);
    assert.equal(refused.code, 1, refused.out);
    assert.match(refused.out, /20260101000000_rooms\.sql creates the table public\.spaces/);
    assert.match(refused.out, /rename yours/);
    assert.deepEqual(readdirSync(join(dir, 'supabase/migrations')), ['20260101000000_rooms.sql'], 'nothing written');
    assert.ok(!existsSync(join(dir, 'supabase/functions')));
    // The database check (--db-url) finds a table made outside the migrations too.
    await query(url, 'create table public.application_logs (id serial primary key, line text)');
    rmSync(join(dir, 'supabase/migrations/20260101000000_rooms.sql'));
    const live = install(dir, ['--db-url', url]);
    assert.equal(live.code, 1, live.out);
    assert.match(live.out, /the database already has a table public\.application_logs \(id, line\) that spacesync did not create/);
    rmSync(dir, { recursive: true, force: true });
  });
});
