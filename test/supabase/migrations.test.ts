// supabase/migrations is generated from the one migration source, applies like `supabase db push` on a
// database that already has Supabase's auth functions, roles and default privileges without replacing
// any of them, and leaves a schema that spacesync's own migrator and graphile-worker's see as current.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runMigrations, Logger } from 'graphile-worker';
import { migrate } from '../../src/db/migrate.ts';
import { migrations as sourceMigrations } from '../../src/db/migrations.generated.ts';
import { diffSupabaseDir } from '../../scripts/generate-supabase-migrations.ts';
import { renderSupabaseMigrations } from '../../src/supabase/supabaseMigrations.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { withTransaction } from '../../src/db/pool.ts';

const silent = new Logger(() => () => {});

test('supabase/ is what `spacesync supabase install` writes into an empty project', async () => {
  assert.deepEqual(await diffSupabaseDir(), [], 'run `npm run supabase:migrations`');
});

test('one Supabase migration per source migration, graphile-worker first, each holding its source verbatim', () => {
  const files = renderSupabaseMigrations();
  assert.match(files[0].file, /^\d{14}_graphile_worker\.sql$/);
  assert.equal(files.length, sourceMigrations.length + 1);
  for (const [i, m] of sourceMigrations.entries()) {
    const f = files[i + 1];
    assert.match(f.file, /^\d{14}_[a-z0-9_]+\.sql$/, 'the Supabase CLI layout <version>_<name>.sql');
    assert.equal(f.file.slice(15), `${m.name}.sql`);
    assert.ok(f.sql.endsWith(m.sql), `${f.file} ends with src/db/migrations/${String(m.id).padStart(6, '0')}_${m.name}.sql`);
  }
  const versions = files.map((f) => f.version);
  assert.deepEqual([...versions].sort(), versions, 'versions sort in source order');
  assert.equal(new Set(versions).size, versions.length);
});

// What a Supabase database has before our first migration: its own auth.uid()/jwt()/role() (bodies
// that differ from our shim's, so a replacement would show), the API roles, and schema public's
// default privileges granting everything to them.
async function makeSupabaseLike(db: TestDatabase): Promise<void> {
  await db.pool.query(`
    do $$ begin
      create role anon nologin noinherit;
    exception when duplicate_object then null; end $$;
    do $$ begin
      create role authenticated nologin noinherit;
    exception when duplicate_object then null; end $$;
    do $$ begin
      create role service_role nologin noinherit bypassrls;
    exception when duplicate_object then null; end $$;
    create schema auth;
    grant usage on schema auth to anon, authenticated, service_role;
    create function auth.uid() returns uuid language sql stable as $f$
      select /* supabase */ nullif(coalesce(current_setting('request.jwt.claim.sub', true), (current_setting('request.jwt.claims', true)::jsonb ->> 'sub')), '')::uuid
    $f$;
    create function auth.jwt() returns jsonb language sql stable as $f$
      select /* supabase */ coalesce(nullif(current_setting('request.jwt.claim', true), ''), nullif(current_setting('request.jwt.claims', true), ''))::jsonb
    $f$;
    create function auth.role() returns text language sql stable as $f$
      select /* supabase */ coalesce(current_setting('request.jwt.claim.role', true), (current_setting('request.jwt.claims', true)::jsonb ->> 'role'))::text
    $f$;
    create function auth.email() returns text language sql stable as $f$
      select /* supabase */ (current_setting('request.jwt.claims', true)::jsonb ->> 'email')
    $f$;
    grant usage on schema public to anon, authenticated, service_role;
    alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
    alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
    alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
  `);
}

async function authFacts(db: TestDatabase) {
  const functions = await db.pool.query(
    `select p.oid::int, p.proname, p.prosrc, p.proowner::regrole::text as owner
       from pg_proc p where p.pronamespace = 'auth'::regnamespace order by p.proname`,
  );
  const roles = await db.pool.query(
    `select oid::int, rolname, rolinherit, rolbypassrls, rolcanlogin from pg_roles
      where rolname in ('anon', 'authenticated', 'service_role') order by rolname`,
  );
  return { functions: functions.rows, roles: roles.rows };
}

/** Applies the files as `supabase db push` does: in order, each in one transaction, then its history row. */
async function supabaseDbPush(db: TestDatabase): Promise<void> {
  await db.pool.query(`create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (version text primary key, statements text[], name text)`);
  for (const m of renderSupabaseMigrations()) {
    await withTransaction(db.pool, async (client) => {
      await client.query(m.sql);
      await client.query('insert into supabase_migrations.schema_migrations (version, name) values ($1, $2)', [m.version, m.file.slice(15, -4)]);
    }).catch((error: unknown) => {
      throw new Error(`${m.file} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
  }
}

/** Columns, functions (with their security) and policies of our schemas, to compare two databases. */
async function schemaShape(db: TestDatabase) {
  const columns = await db.pool.query(
    `select table_schema, table_name, column_name, data_type, is_nullable, column_default
       from information_schema.columns where table_schema in ('public', 'graphile_worker', 'graphile_worker_private')
      order by 1, 2, 3`,
  );
  const functions = await db.pool.query(
    `select n.nspname, p.proname, pg_get_function_identity_arguments(p.oid) as args, p.prosecdef, md5(p.prosrc) as src
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname in ('public', 'graphile_worker', 'graphile_worker_private', 'auth') order by 1, 2, 3`,
  );
  const policies = await db.pool.query(`select tablename, policyname, cmd, roles::text, qual, with_check from pg_policies order by 1, 2`);
  const triggers = await db.pool.query(
    `select tgrelid::regclass::text as rel, tgname from pg_trigger where not tgisinternal order by 1, 2`,
  );
  return { columns: columns.rows, functions: functions.rows, policies: policies.rows, triggers: triggers.rows };
}

test('on a Supabase-like database: applies, keeps Supabase’s auth functions and roles, and both migrators see it as current', async () => {
  const db = await createTestDatabase({ empty: true });
  await makeSupabaseLike(db);
  const before = await authFacts(db);
  assert.equal(before.functions.length, 4);

  await supabaseDbPush(db);

  const after = await authFacts(db);
  assert.deepEqual(after, before, 'auth.uid(), auth.jwt(), auth.role(), auth.email() and the API roles are untouched');
  for (const f of after.functions) assert.match(f.prosrc, /\/\* supabase \*\//, `auth.${f.proname}() is still Supabase's`);

  // graphile-worker's migrator finds every one of its migrations applied, breaking ones marked.
  const gw = await db.pool.query('select id, breaking from graphile_worker.migrations order by id');
  assert.equal(gw.rows.at(-1)?.id, 19);
  assert.deepEqual(gw.rows.filter((r) => r.breaking).map((r) => r.id), [1, 3, 11, 13, 14, 16, 19]);
  await runMigrations({ pgPool: db.pool, logger: silent });
  const gwAfter = await db.pool.query('select count(*)::int as n from graphile_worker.migrations');
  assert.equal(gwAfter.rows[0].n, gw.rows.length, 'graphile-worker applied nothing more');

  // spacesync's migrator (run by every spacesync process at start) has nothing left to do.
  const { applied } = await migrate(db.pool);
  assert.deepEqual(applied, []);

  // The schema is the one `spacesync migrate` builds (compared with the migrated template), but
  // for the auth function bodies, which are Supabase's here.
  const reference = await createTestDatabase();
  const [ours, theirs] = await Promise.all([schemaShape(db), schemaShape(reference)]);
  const notAuth = <T extends { nspname?: string }>(rows: T[]) => rows.filter((r) => r.nspname !== 'auth');
  assert.deepEqual(ours.columns, theirs.columns);
  assert.deepEqual(notAuth(ours.functions), notAuth(theirs.functions));
  assert.deepEqual(ours.policies, theirs.policies);
  assert.deepEqual(ours.triggers, theirs.triggers);

  // The outbox works: a space inserted from SQL enqueues its sync.
  const space = await db.pool.query(`insert into spaces (name) values ('Salle Tolbiac') returning id`);
  const job = await db.pool.query(`select key from graphile_worker.jobs where task_identifier = 'sync_space'`);
  assert.deepEqual(job.rows, [{ key: `sync_space:${space.rows[0].id}` }]);
});

test('on Supabase, API roles can call the RPCs but not the internal functions nor read the bookkeeping', async () => {
  const db = await createTestDatabase({ empty: true });
  await makeSupabaseLike(db);
  await supabaseDbPush(db);
  // apply_catalog_plan applies a plan once (admins only); spacesync_search_space_ids and
  // spacesync_search_spaces are the list's search, returning only the ids of rows the caller may read.
  const rpcs = new Set([
    'sync_space_with_stripe', 'sync_catalog_with_stripe', 'start_catalog_run', 'apply_catalog_plan', 'resolve_space_drift', 'acknowledge_space_drift', 'space_drift_unacknowledged',
    'spacesync_search_space_ids', 'spacesync_search_spaces', 'spacesync_edit_source_row', 'spacesync_delete_source_row',
  ]);
  const { rows } = await db.pool.query<{ proname: string; anon: boolean; authenticated: boolean }>(
    `select p.proname,
            has_function_privilege('anon', p.oid, 'execute') as anon,
            has_function_privilege('authenticated', p.oid, 'execute') as authenticated
       from pg_proc p
      where p.pronamespace = 'public'::regnamespace and p.prosecdef
        and p.prorettype <> 'trigger'::regtype`,
  );
  assert.ok(rows.length > rpcs.size, 'security definer functions exist beyond the RPCs');
  for (const r of rows) {
    const expected = rpcs.has(r.proname);
    assert.equal(r.anon, expected, `anon ${expected ? 'can' : 'cannot'} execute ${r.proname}`);
    assert.equal(r.authenticated, expected, `authenticated ${expected ? 'can' : 'cannot'} execute ${r.proname}`);
  }
  const notify = await db.pool.query(`select has_function_privilege('anon', 'public.spacesync_notify_status(text, jsonb)', 'execute') as ok`);
  assert.equal(notify.rows[0].ok, false, 'nobody can send fake status notifications');
  const book = await db.pool.query(
    `select has_table_privilege('anon', 'public.spacesync_migrations', 'select, insert, update, delete') as anon,
            has_table_privilege('authenticated', 'public.spacesync_migrations', 'select, insert, update, delete') as authenticated`,
  );
  assert.deepEqual(book.rows[0], { anon: false, authenticated: false });
  const users = await db.pool.query(`select has_table_privilege('authenticated', 'public.users', 'select') as ok`);
  assert.equal(users.rows[0].ok, false, 'no API role reads password hashes');

  // An admin editing a space (as PostgREST runs it) still enqueues and notifies through the triggers.
  const client = await db.pool.connect();
  try {
    await client.query('begin');
    await client.query('set local role authenticated');
    await client.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ role: 'authenticated', sub: '00000000-0000-4000-8000-000000000001', app_metadata: { role: 'admin' } })]);
    const { rows: inserted } = await client.query(`insert into spaces (name) values ('Desk 4') returning id`);
    await client.query(`insert into space_prices (space_id, pricing_type, unit_amount, currency) values ($1, 'hourly', 900, 'eur')`, [inserted[0].id]);
    await client.query(`update spaces set capacity = 2 where id = $1`, [inserted[0].id]);
    await client.query('commit');
  } finally {
    client.release();
  }
  const jobs = await db.pool.query(`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'sync_space'`);
  assert.equal(jobs.rows[0].n, 1);
});

test('a database already migrated by spacesync migrate is refused with the repair command', async () => {
  const db = await createTestDatabase();
  const [graphile] = renderSupabaseMigrations();
  await assert.rejects(db.pool.query(graphile.sql), (error: { message?: string; hint?: string }) => {
    assert.match(String(error.message), /already installed/);
    assert.match(String(error.hint), /supabase migration repair --status applied 20250101000000/);
    return true;
  });
});
