-- spacesync migration 000051_sync_state_column_privileges: src/db/migrations/000051_sync_state_column_privileges.sql, written by `spacesync supabase install`.
-- Do not edit: a later install adds the migrations that came after it.
--
-- Recorded in public.spacesync_migrations as spacesync migrate records it, so a spacesync process
-- started against this database (the worker, say) finds nothing left to do.

do $spacesync$
begin
  if to_regclass('public.spacesync_migrations') is not null then
    if exists (select 1 from public.spacesync_migrations where id = 51) then
      raise exception 'spacesync migration 000051_sync_state_column_privileges was already applied by spacesync migrate'
        using hint = 'Mark it applied for the Supabase CLI instead: supabase migration repair --status applied 20250101000051 (docs/INSTALL.md, "A database spacesync migrate already set up")';
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
insert into public.spacesync_migrations (id, name) values (51, 'sync_state_column_privileges');

-- ---- src/db/migrations/000051_sync_state_column_privileges.sql ----
-- What the sync keeps about a space for itself (the last error, the attempt count, the Stripe
-- snapshot, the drift report) is for admins. Row level security cannot hide columns, and on Supabase
-- PostgREST hands the table to anon as it is: so the API roles may select only the catalog columns,
-- and admins read the rest through `space_sync_details`, a view that returns rows to admins only.

revoke select on public.spaces from anon, authenticated;
grant select (
  id, name, description, kind, capacity, location, images, currency, active, metadata,
  created_at, updated_at, deleted_at, version,
  stripe_product_id, sync_status, synced_version, last_synced_at
) on public.spaces to anon, authenticated;

-- Runs with its owner's rights (a view is not security_invoker), filtered by the caller's claims.
create view public.space_sync_details with (security_barrier) as
  select s.id as space_id, s.last_error, s.sync_attempt, s.drift, s.stripe_snapshot
    from public.spaces s
   where public.is_admin();

-- Granted to every API role (a query may join it whoever asks): it is empty unless the caller is an admin.
revoke all on public.space_sync_details from public, anon, authenticated;
grant select on public.space_sync_details to anon, authenticated, service_role;
