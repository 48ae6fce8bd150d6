-- Attached sources: an app's own table (rooms, venues, listings…) declared by a mapping
-- (src/attach/mapping.ts) and kept in step with spacesync's catalog by triggers that
-- `spacesync attach` creates on the app's tables. A space brought in that way names its source and
-- the source row's key; native spaces have neither. Detaching keeps the row here (detached_at) and
-- every space as it is.
create table public.spacesync_sources (
  name text primary key,
  source_table text not null,
  mapping jsonb not null,
  attached_at timestamptz not null default now(),
  detached_at timestamptz,
  backfilled_at timestamptz,
  constraint spacesync_sources_name_valid check (name ~ '^[a-z][a-z0-9_]{0,40}$'),
  constraint spacesync_sources_mapping_object check (jsonb_typeof(mapping) = 'object')
);

alter table public.spacesync_sources enable row level security;
revoke all on public.spacesync_sources from public, anon, authenticated, service_role;
grant select on public.spacesync_sources to authenticated;
create policy spacesync_sources_admin_read on public.spacesync_sources for select to authenticated
  using (public.is_admin());

alter table public.spaces
  add column source text references public.spacesync_sources (name),
  add column source_key text,
  add constraint spaces_source_key_pair check ((source is null) = (source_key is null)),
  add constraint spaces_source_key_length check (length(source_key) <= 200);

create unique index spaces_source_key_idx on public.spaces (source, source_key) where source is not null;

-- The key of the rates row (or the price column's name) a price came from, for attached sources.
alter table public.space_prices
  add column source_key text,
  add constraint space_prices_source_key_length check (length(source_key) <= 200);

create unique index space_prices_source_key_idx on public.space_prices (space_id, source_key)
  where source_key is not null and deleted_at is null;

grant select (source, source_key) on public.spaces to anon, authenticated;
