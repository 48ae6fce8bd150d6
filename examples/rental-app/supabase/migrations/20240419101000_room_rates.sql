-- Longer-term rates a host offers on top of the hourly and daily ones: a week, a monthly
-- membership. One row per rate; a host retires a rate by setting active = false.
create table public.room_rates (
  id uuid primary key default gen_random_uuid(),
  room_id uuid not null references public.rooms (id) on delete cascade,
  period text not null check (period in ('hourly', 'half_day', 'daily', 'weekly', 'monthly')),
  amount numeric(10, 2) not null check (amount > 0),
  currency text not null default 'eur' check (currency ~ '^[a-z]{3}$'),
  billing_interval text check (billing_interval in ('day', 'week', 'month', 'year')),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  unique (room_id, period)
);

alter table public.room_rates enable row level security;

create policy "rates of visible rooms are public" on public.room_rates
  for select using (exists (select 1 from public.rooms r where r.id = room_id));
create policy "hosts manage the rates of their rooms" on public.room_rates
  for all to authenticated
  using (exists (select 1 from public.rooms r where r.id = room_id and r.owner_id = auth.uid()))
  with check (exists (select 1 from public.rooms r where r.id = room_id and r.owner_id = auth.uid()));
