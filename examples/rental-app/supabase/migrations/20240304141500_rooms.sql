-- Rooms hosts list for rent. A host sees and edits their own rooms, published or not; everyone
-- (signed in or not) sees the published ones. Rates are in major units (25.50 = €25.50).
create table public.rooms (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  title text not null check (length(btrim(title)) between 1 and 120),
  summary text check (length(summary) <= 2000),
  city text,
  seats integer check (seats between 1 and 500),
  photo_urls text[] not null default '{}',
  hourly_rate numeric(10, 2) check (hourly_rate > 0),
  daily_rate numeric(10, 2) check (daily_rate > 0),
  is_published boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);

create index rooms_owner_idx on public.rooms (owner_id);
create index rooms_published_idx on public.rooms (city) where is_published and deleted_at is null;

create trigger rooms_set_updated_at before update on public.rooms
  for each row execute function public.set_updated_at();

alter table public.rooms enable row level security;

create policy "published rooms are public" on public.rooms
  for select using (is_published and deleted_at is null);
create policy "hosts read their own rooms" on public.rooms
  for select to authenticated using (owner_id = auth.uid());
create policy "hosts add rooms" on public.rooms
  for insert to authenticated with check (owner_id = auth.uid());
create policy "hosts edit their own rooms" on public.rooms
  for update to authenticated using (owner_id = auth.uid()) with check (owner_id = auth.uid());
create policy "hosts delete their own rooms" on public.rooms
  for delete to authenticated using (owner_id = auth.uid());
