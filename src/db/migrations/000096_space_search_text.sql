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
