-- spacesync migration 000004_sync_rpcs: src/db/migrations/000004_sync_rpcs.sql, written by `spacesync supabase install`.
-- Do not edit: a later install adds the migrations that came after it.
--
-- Recorded in public.spacesync_migrations as spacesync migrate records it, so a spacesync process
-- started against this database (the worker, say) finds nothing left to do.

do $spacesync$
begin
  if to_regclass('public.spacesync_migrations') is not null then
    if exists (select 1 from public.spacesync_migrations where id = 4) then
      raise exception 'spacesync migration 000004_sync_rpcs was already applied by spacesync migrate'
        using hint = 'Mark it applied for the Supabase CLI instead: supabase migration repair --status applied 20250101000004 (docs/INSTALL.md, "A database spacesync migrate already set up")';
    end if;
  end if;
end
$spacesync$;

-- spacesync migrate's own bookkeeping (src/db/migrate.ts). Only the owner and the service role
-- (which bypasses row level security and is granted all by Supabase) reach it: on Supabase the
-- default privileges of schema public would otherwise let anon read and write it.
create table if not exists public.spacesync_migrations (
  id integer primary key,
  name text not null,
  applied_at timestamptz not null default now()
);
alter table public.spacesync_migrations enable row level security;
revoke all on public.spacesync_migrations from public;
do $spacesync$
begin
  execute (select 'revoke all on public.spacesync_migrations from ' || string_agg(quote_ident(rolname), ', ')
             from pg_roles where rolname in ('anon', 'authenticated'));
exception
  -- Neither role exists yet (a plain Postgres): 000001_auth_shim creates them.
  when null_value_not_allowed then null;
end
$spacesync$;
insert into public.spacesync_migrations (id, name) values (4, 'sync_rpcs');

-- ---- src/db/migrations/000004_sync_rpcs.sql ----
-- RPCs that ask for a sync now. Admins only; anyone else is told so in words.

create function public.sync_space_with_stripe(space_id uuid) returns bigint
  language plpgsql volatile security definer
  set search_path = pg_catalog, public
  as $$
  declare
    job_id bigint;
  begin
    if not public.is_admin() then
      raise exception 'only an admin can sync a space with Stripe'
        using errcode = 'insufficient_privilege',
              hint = 'Sign in with an account whose app_metadata.role is admin.';
    end if;
    if not exists (select 1 from public.spaces s where s.id = sync_space_with_stripe.space_id) then
      raise exception 'no space has the id %', space_id
        using errcode = 'no_data_found', hint = 'Check the space_id argument.';
    end if;
    select (graphile_worker.add_job(
      'sync_space',
      json_build_object('space_id', sync_space_with_stripe.space_id, 'force', true),
      job_key => 'sync_space:' || sync_space_with_stripe.space_id::text,
      max_attempts => 25
    )).id into job_id;
    return job_id;
  end
  $$;

create function public.sync_catalog_with_stripe(dry_run boolean default true) returns bigint
  language plpgsql volatile security definer
  set search_path = pg_catalog, public
  as $$
  declare
    run_id uuid;
    job_id bigint;
  begin
    if not public.is_admin() then
      raise exception 'only an admin can sync the catalog with Stripe'
        using errcode = 'insufficient_privilege',
              hint = 'Sign in with an account whose app_metadata.role is admin.';
    end if;
    if dry_run is null then
      raise exception 'dry_run must be true (plan only) or false (apply)'
        using errcode = 'null_value_not_allowed';
    end if;
    insert into public.catalog_runs (dry_run, requested_by)
      values (sync_catalog_with_stripe.dry_run, auth.uid())
      returning id into run_id;
    select (graphile_worker.add_job(
      'sync_catalog',
      json_build_object('run_id', run_id, 'dry_run', sync_catalog_with_stripe.dry_run),
      max_attempts => 5
    )).id into job_id;
    return job_id;
  end
  $$;

revoke all on function public.sync_space_with_stripe(uuid) from public;
revoke all on function public.sync_catalog_with_stripe(boolean) from public;
grant execute on function public.sync_space_with_stripe(uuid) to anon, authenticated, service_role;
grant execute on function public.sync_catalog_with_stripe(boolean) to anon, authenticated, service_role;
