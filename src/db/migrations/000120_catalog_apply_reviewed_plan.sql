-- The apply of a reviewed plan applies what was reviewed. It computes the plan again and applies an
-- entry only when its change is still the one in the reviewed plan; an entry whose change differs,
-- or that is no longer planned, is `stale` ("changed since the plan: compute a new plan") and is
-- not applied. `stale` counts them beside `done` and `failed`. Changes that appeared since the
-- review are not applied either: the apply run's `plan` lists them under `appeared`.

alter table public.catalog_runs add column stale integer not null default 0;

alter table public.catalog_run_outcomes drop constraint catalog_run_outcomes_status_valid;
alter table public.catalog_run_outcomes add constraint catalog_run_outcomes_status_valid
  check (status in ('done', 'failed', 'stale'));
