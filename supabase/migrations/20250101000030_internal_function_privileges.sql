-- spacesync migration 000030_internal_function_privileges: src/db/migrations/000030_internal_function_privileges.sql, written by `spacesync supabase install`.
-- Do not edit: a later install adds the migrations that came after it.
--
-- Recorded in public.spacesync_migrations as spacesync migrate records it, so a spacesync process
-- started against this database (the worker, say) finds nothing left to do.

do $spacesync$
begin
  if to_regclass('public.spacesync_migrations') is not null then
    if exists (select 1 from public.spacesync_migrations where id = 30) then
      raise exception 'spacesync migration 000030_internal_function_privileges was already applied by spacesync migrate'
        using hint = 'Mark it applied for the Supabase CLI instead: supabase migration repair --status applied 20250101000030 (docs/INSTALL.md, "A database spacesync migrate already set up")';
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
insert into public.spacesync_migrations (id, name) values (30, 'internal_function_privileges');

-- ---- src/db/migrations/000030_internal_function_privileges.sql ----
-- Internal functions are for our triggers, not for API callers. `revoke ... from public` is not
-- enough on Supabase: the default privileges of its schema public grant EXECUTE on every new function
-- to anon and authenticated by name, and PostgREST exposes every function they can execute as
-- /rest/v1/rpc/<name>. So the grants are revoked from those roles by name too (a no-op elsewhere).
-- API callers keep: is_admin(), the check-constraint and content helpers (pure), and the RPCs
-- sync_space_with_stripe, sync_catalog_with_stripe, start_catalog_run, resolve_space_drift.

-- Security definer helpers that enqueue jobs or bump versions: only our security definer triggers call them.
revoke all on function public.spacesync_enqueue_sync(uuid) from public, anon, authenticated;
revoke all on function public.spacesync_bump_space(uuid) from public, anon, authenticated;

-- Status notifications feed the live stream; a caller must not be able to send fake ones. The
-- triggers that send them now run as the owner, so callers need no right on the function.
alter function public.tg_spaces__notify_status() security definer set search_path = pg_catalog, public;
alter function public.tg_catalog_runs__notify_status() security definer set search_path = pg_catalog, public;
alter function public.tg_application_logs__notify_status() security definer set search_path = pg_catalog, public;
revoke all on function public.spacesync_notify_status(text, jsonb) from public, anon, authenticated;
