-- spacesync migration 000086_space_search_ids: src/db/migrations/000086_space_search_ids.sql, written by `spacesync supabase install`.
-- Do not edit: a later install adds the migrations that came after it.
--
-- Recorded in public.spacesync_migrations as spacesync migrate records it, so a spacesync process
-- started against this database (the worker, say) finds nothing left to do.

do $spacesync$
begin
  if to_regclass('public.spacesync_migrations') is not null then
    if exists (select 1 from public.spacesync_migrations where id = 86) then
      raise exception 'spacesync migration 000086_space_search_ids was already applied by spacesync migrate'
        using hint = 'Mark it applied for the Supabase CLI instead: supabase migration repair --status applied 20250101000086 (docs/INSTALL.md, "A database spacesync migrate already set up")';
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
insert into public.spacesync_migrations (id, name) values (86, 'space_search_ids');

-- ---- src/db/migrations/000086_space_search_ids.sql ----
-- The list's search through its trigram index under row level security. For an API caller (a role
-- under RLS) Postgres may not evaluate a non-leakproof condition — `spacesync_fold(...) like ...` —
-- before the policies, so it cannot make it an index condition: at 100,000 spaces the search read
-- every row. Here the search runs as the table's owner, where the index serves it, and returns the
-- matching ids of the rows the caller may read (the policies' own test: live spaces for anyone, all
-- for an admin or the service role); the list then reads those rows under RLS as before.
create function public.spacesync_search_space_ids(pattern text) returns setof uuid
  language sql stable security definer
  set search_path = pg_catalog, public
  rows 200
  as $$
    select s.id
      from public.spaces s
     where public.spacesync_fold(s.name || ' ' || coalesce(s.location, '')) like public.spacesync_fold(pattern)
       and ((s.deleted_at is null and s.active) or public.is_admin())
  $$;

revoke all on function public.spacesync_search_space_ids(text) from public;
grant execute on function public.spacesync_search_space_ids(text) to anon, authenticated, service_role;
