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
