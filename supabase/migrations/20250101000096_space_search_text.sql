-- spacesync migration 000096_space_search_text: src/db/migrations/000096_space_search_text.sql, written by `spacesync supabase install`.
-- Do not edit: a later install adds the migrations that came after it.
--
-- Recorded in public.spacesync_migrations as spacesync migrate records it, so a spacesync process
-- started against this database (the worker, say) finds nothing left to do.

do $spacesync$
begin
  if to_regclass('public.spacesync_migrations') is not null then
    if exists (select 1 from public.spacesync_migrations where id = 96) then
      raise exception 'spacesync migration 000096_space_search_text was already applied by spacesync migrate'
        using hint = 'Mark it applied for the Supabase CLI instead: supabase migration repair --status applied 20250101000096 (docs/INSTALL.md, "A database spacesync migrate already set up")';
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
insert into public.spacesync_migrations (id, name) values (96, 'space_search_text');

-- ---- src/db/migrations/000096_space_search_text.sql ----
-- The search reads a stored, folded copy of each space's name and location (`search_text`), with the
-- trigram index on that column itself. With the index on an expression, every candidate the index
-- found was folded again to recheck the `like` (about 40 µs a row): a search matching thousands of
-- spaces spent its time there. Now the recheck compares the stored text. The list's sorts by name and
-- by location read a stored folded name and location (`sort_name`, `sort_location`) for the same
-- reason: sorting 2,000 matches by name folded 2,000 names, and 100,000 spaces by location 100,000
-- locations.
--
-- Adding stored generated columns rewrites the table once (an exclusive lock while it runs: a few
-- seconds at 100,000 spaces). spacesync_fold is immutable (migration 000062), as a generated column
-- requires; Postgres keeps the columns current on every insert and update, whoever writes the row.
--
-- The columns are derived, not content: editing a name changes them, and the name already counts as
-- an edit. In a BEFORE trigger they are not computed yet (null in `new`), so spacesync_space_content
-- leaves them out: otherwise every write, the sync state's own included, would bump the version and
-- enqueue a sync. They are no catalog columns and the API never
-- returns them. search_text is read only by the search functions (security definer): the API roles
-- get no select on it (migration 000051 grants column by column). sort_name and sort_location are
-- what the list orders by, under the caller's role, so the API roles may select them: they say
-- nothing the name and the location do not.
alter table public.spaces
  add column search_text text generated always as (public.spacesync_fold(name || ' ' || coalesce(location, ''))) stored,
  add column sort_name text generated always as (public.spacesync_fold(name)) stored,
  add column sort_location text generated always as (public.spacesync_fold(location)) stored;

grant select (sort_name, sort_location) on public.spaces to anon, authenticated;

drop index public.spaces_name_sort_idx;
create index spaces_name_sort_idx on public.spaces (sort_name, id);
create index spaces_location_sort_idx on public.spaces (sort_location, id);

drop index public.spaces_search_idx;

do $$
declare
  opclass text;
begin
  select format('%I.%I', n.nspname, o.opcname) into opclass
    from pg_opclass o join pg_namespace n on n.oid = o.opcnamespace
   where o.opcname = 'gin_trgm_ops' limit 1;
  execute format('create index spaces_search_idx on public.spaces using gin (search_text %s)', opclass);
end
$$;

create or replace function public.spacesync_space_content(s public.spaces) returns jsonb
  language sql immutable
  as $$
    select to_jsonb(s) - '{version,updated_at,stripe_product_id,sync_status,synced_version,last_synced_at,last_error,sync_attempt,stripe_snapshot,drift,search_text,sort_name,sort_location}'::text[]
  $$;

-- As in migration 000086, over the stored column (the pattern folded the same way).
create or replace function public.spacesync_search_space_ids(pattern text) returns setof uuid
  language sql stable security definer
  set search_path = pg_catalog, public
  rows 200
  as $$
    select s.id
      from public.spaces s
     where s.search_text like public.spacesync_fold(pattern)
       and ((s.deleted_at is null and s.active) or public.is_admin())
  $$;
