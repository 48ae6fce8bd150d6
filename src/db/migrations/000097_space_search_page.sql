-- The list's search in one call: the ids of one page, in the list's order, and the number of matches
-- counted up to `count_limit` (the API shows more as "2,000+"). Like spacesync_search_space_ids it
-- runs as the table's owner, where the planner may use every index; under the caller's role (RLS)
-- the `like` could use none, and returning every matching id to the list, then sorting and counting
-- them there, cost 100,000 ids for a term found everywhere. The visibility is the policies' own test
-- (live spaces for anyone, all for an admin or the service role); the list then reads the page's rows
-- under RLS as before.
--
-- The matches are read first, up to `count_limit` of them (through the trigram index on search_text
-- when they are few), counted, and when that is all of them sorted for the page: a bounded amount of
-- work, where walking the sort's index could read most of the table before reaching them when they
-- all sort last. When there are more, they are everywhere, and a walk down the sort's own index stops
-- at the end of the page.
--
-- The sort keys and their expressions are those of the API's list (src/api/spaceQueries.ts
-- SPACE_SORTS), each followed by the id in the same direction. Non-null columns are ordered without
-- a `nulls last` (the same order), so that an index serves them.
create function public.spacesync_search_spaces(
  pattern text, sort_key text, descending boolean, include_deleted boolean, status text,
  page_limit integer, page_offset integer, count_limit integer
) returns table (ids uuid[], total integer)
  language plpgsql stable security definer
  set search_path = pg_catalog, public
  as $$
  declare
    sort_sql text;
    direction text := case when descending then 'desc' else 'asc' end;
    conditions text := 's.search_text like $1 and ((s.deleted_at is null and s.active) or $2)';
    admin boolean := public.is_admin();
    counted integer;
    page uuid[];
  begin
    if pattern is null then
      raise exception 'pattern must be a LIKE pattern such as ''%%reunion%%'' (got null)' using errcode = '22023';
    end if;
    if descending is null or include_deleted is null then
      raise exception 'descending and include_deleted must be true or false (got %, %)', descending, include_deleted using errcode = '22023';
    end if;
    if page_limit is null or page_limit < 0 or page_offset is null or page_offset < 0 or count_limit is null or count_limit < 0 then
      raise exception 'page_limit, page_offset and count_limit must be 0 or more (got %, %, %)', page_limit, page_offset, count_limit
        using errcode = '22023';
    end if;
    sort_sql := case sort_key
      when 'created_at' then format('s.created_at %s', direction)
      when 'name' then format('s.sort_name %s', direction)
      when 'kind' then format('s.kind %s', direction)
      when 'capacity' then format('s.capacity %s nulls last', direction)
      when 'location' then format('s.sort_location %s nulls last', direction)
      when 'sync_status' then format('s.sync_status %s', direction)
      when 'updated_at' then format('s.updated_at %s', direction)
    end;
    if sort_sql is null then
      raise exception 'sort_key must be one of created_at, name, kind, capacity, location, sync_status, updated_at (got %)', sort_key
        using errcode = '22023';
    end if;
    if not include_deleted then
      conditions := conditions || ' and s.deleted_at is null';
    end if;
    if status is not null then
      conditions := conditions || ' and s.sync_status = $3';
    end if;
    -- The matches, up to count_limit of them, read once: counted, and sorted for the page when that is all.
    execute format(
      'with s as materialized (
         select s.id, s.created_at, s.sort_name, s.kind, s.capacity, s.sort_location, s.sync_status, s.updated_at
           from public.spaces s where %1$s limit $6)
       select (select count(*)::integer from s), array(select s.id from s order by %2$s, s.id %3$s limit $4 offset $5)',
      conditions, sort_sql, direction)
      into counted, page
      using public.spacesync_fold(pattern), admin, status, page_limit, page_offset, count_limit;
    if counted >= count_limit then
      execute format('select array(select s.id from public.spaces s where %1$s order by %2$s, s.id %3$s limit $4 offset $5)',
        conditions, sort_sql, direction)
        into page
        using public.spacesync_fold(pattern), admin, status, page_limit, page_offset, count_limit;
    end if;
    return query select page, counted;
  end
  $$;

revoke all on function public.spacesync_search_spaces(text, text, boolean, boolean, text, integer, integer, integer) from public;
grant execute on function public.spacesync_search_spaces(text, text, boolean, boolean, text, integer, integer, integer)
  to anon, authenticated, service_role;

-- The list's default order (newest first, then by id) and the catalog's oldest first, read straight
-- off an index in either direction: a search that matches most spaces stops at the end of its page.
-- Replaces the index of migration 000002, whose (created_at desc, id) served neither.
drop index public.spaces_created_at_idx;
create index spaces_created_at_id_idx on public.spaces (created_at, id);
