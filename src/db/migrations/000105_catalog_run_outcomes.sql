-- Each applied entry's result in its own row, not merged into catalog_runs.outcomes (jsonb). A run of
-- 10,000 entries grew that value to about 1 MB, and every progress write (about 4 a second) read it,
-- concatenated it and wrote it back whole (TOAST) with its WAL: the later writes of a big run cost
-- the most. Now a progress write inserts the entries finished since the last one and sets the run's
-- counters; the run row stays the size of its counters and plan.
--
-- `seq` grows with every row written, so a reader follows a run's outcomes from where it left off
-- (GET /api/catalog/runs/:id/outcomes?after=<seq>). Admins read them, like the runs.

create table public.catalog_run_outcomes (
  run_id uuid not null references public.catalog_runs (id) on delete cascade,
  -- The entry's space id, or for an orphan the Stripe product id.
  entry_key text not null,
  status text not null,
  -- Stripe's message, for a failed entry.
  error text,
  seq bigserial not null,
  recorded_at timestamptz not null default now(),
  primary key (run_id, entry_key),
  constraint catalog_run_outcomes_status_valid check (status in ('done', 'failed'))
);

create index catalog_run_outcomes_seq_idx on public.catalog_run_outcomes (run_id, seq);

alter table public.catalog_run_outcomes enable row level security;

revoke all on public.catalog_run_outcomes from public, anon, authenticated, service_role;
grant select on public.catalog_run_outcomes to authenticated;
grant all on public.catalog_run_outcomes to service_role;
revoke all on sequence public.catalog_run_outcomes_seq_seq from public, anon, authenticated;
grant usage on sequence public.catalog_run_outcomes_seq_seq to service_role;

create policy catalog_run_outcomes_admin_read on public.catalog_run_outcomes for select to authenticated
  using (public.is_admin());

insert into public.catalog_run_outcomes (run_id, entry_key, status, error)
  select r.id, o.key, o.value ->> 'status', o.value ->> 'error'
    from public.catalog_runs r, jsonb_each(r.outcomes) o
   where o.value ->> 'status' in ('done', 'failed')
   order by r.created_at, o.key;

alter table public.catalog_runs drop column outcomes;
