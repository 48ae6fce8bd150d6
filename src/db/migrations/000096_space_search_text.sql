-- The search reads a stored, folded copy of each space's name and location (`search_text`), with the
-- trigram index on that column itself. With the index on an expression, every candidate the index
-- found was folded again to recheck the `like` (about 40 µs a row): a search matching thousands of
-- spaces spent its time there. Now the recheck compares the stored text.
--
-- Adding a stored generated column rewrites the table once (an exclusive lock while it runs: a few
-- seconds at 100,000 spaces). spacesync_fold is immutable (migration 000062), as a generated column
-- requires; Postgres keeps the column current on every insert and update, whoever writes the row.
--
-- The column is derived, not content: editing a name changes it, and the name already counts as an
-- edit; the sync state's own writes must not. It is no catalog column: the API roles are granted no
-- select on it (migration 000051 grants column by column), and the API never returns it.
alter table public.spaces
  add column search_text text generated always as (public.spacesync_fold(name || ' ' || coalesce(location, ''))) stored;

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
    select to_jsonb(s) - '{version,updated_at,stripe_product_id,sync_status,synced_version,last_synced_at,last_error,sync_attempt,stripe_snapshot,drift,search_text}'::text[]
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
