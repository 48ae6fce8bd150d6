// A database shaped like a Supabase project, for the example app's tests, on whichever Postgres the
// run uses: on the embedded one, a cluster of its own (test/supabase/supabaseFixture.ts: superuser
// `supabase_admin`, the CLI connecting as the non-superuser `postgres`, exactly as on Supabase); on
// the server at SPACESYNC_TEST_DATABASE_URL (shared, whose `postgres` is its superuser and whose
// roles must not be altered), a database of the run's with the API roles, Supabase Auth's users
// table and auth.uid()/jwt()/role()/email(), and schema public's default privileges.
import pg from 'pg';
import { createTestDatabase } from '../helpers/db.ts';
import { startSupabaseCluster } from '../supabase/supabaseFixture.ts';

export interface SupabaseProject {
  /** What `supabase db push --db-url` and spacesync are given: the project owner's connection. */
  url: string;
  /** `postgres`, the role url connects as, is a superuser (the shared server), not as on Supabase. */
  ownerIsSuperuser: boolean;
  stop(): Promise<void>;
}

const SUPABASE_LIKE = `
do $$ begin create role anon nologin noinherit; exception when duplicate_object then null; end $$;
do $$ begin create role authenticated nologin noinherit; exception when duplicate_object then null; end $$;
do $$ begin create role service_role nologin noinherit bypassrls; exception when duplicate_object then null; end $$;
grant usage on schema public to anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
create schema auth;
grant usage on schema auth to anon, authenticated, service_role;
create table auth.users (
  instance_id uuid,
  id uuid primary key,
  aud varchar(255),
  role varchar(255),
  email varchar(255) unique,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  created_at timestamptz,
  updated_at timestamptz
);
create function auth.uid() returns uuid language sql stable as $f$
  select coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),
                  (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'))::uuid
$f$;
create function auth.role() returns text language sql stable as $f$
  select coalesce(nullif(current_setting('request.jwt.claim.role', true), ''),
                  (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'))::text
$f$;
create function auth.email() returns text language sql stable as $f$
  select coalesce(nullif(current_setting('request.jwt.claim.email', true), ''),
                  (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email'))::text
$f$;
create function auth.jwt() returns jsonb language sql stable as $f$
  select coalesce(nullif(current_setting('request.jwt.claim', true), ''),
                  nullif(current_setting('request.jwt.claims', true), ''))::jsonb
$f$;
grant execute on all functions in schema auth to anon, authenticated, service_role;
`;

function withSslDisabled(url: string): string {
  return url.includes('sslmode=') ? url : `${url}${url.includes('?') ? '&' : '?'}sslmode=disable`;
}

export async function createSupabaseProject(name: string): Promise<SupabaseProject> {
  if (!process.env.SPACESYNC_TEST_DATABASE_URL) {
    const cluster = await startSupabaseCluster();
    try {
      const url = await cluster.createSupabaseDatabase(name);
      return { url, ownerIsSuperuser: false, stop: () => cluster.stop() };
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }
  const db = await createTestDatabase({ empty: true, manual: true });
  await db.pool.end();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(SUPABASE_LIKE);
  } finally {
    await client.end();
  }
  return { url: withSslDisabled(db.url), ownerIsSuperuser: true, stop: () => db.drop() };
}
