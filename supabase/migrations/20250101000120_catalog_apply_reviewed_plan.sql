-- spacesync migration 000120_catalog_apply_reviewed_plan: src/db/migrations/000120_catalog_apply_reviewed_plan.sql, written by `spacesync supabase install`.
-- Do not edit: a later install adds the migrations that came after it.
--
-- Recorded in public.spacesync_migrations as spacesync migrate records it, so a spacesync process
-- started against this database (the worker, say) finds nothing left to do.

do $spacesync$
begin
  if to_regclass('public.spacesync_migrations') is not null then
    if exists (select 1 from public.spacesync_migrations where id = 120) then
      raise exception 'spacesync migration 000120_catalog_apply_reviewed_plan was already applied by spacesync migrate'
        using hint = 'Mark it applied for the Supabase CLI instead: supabase migration repair --status applied 20250101000120 (docs/INSTALL.md, "A database spacesync migrate already set up")';
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
insert into public.spacesync_migrations (id, name) values (120, 'catalog_apply_reviewed_plan');

-- ---- src/db/migrations/000120_catalog_apply_reviewed_plan.sql ----
-- The apply of a reviewed plan applies what was reviewed. It computes the plan again and applies an
-- entry only when its change is still the one in the reviewed plan; an entry whose change differs,
-- or that is no longer planned, is `stale` ("changed since the plan: compute a new plan") and is
-- not applied. `stale` counts them beside `done` and `failed`. Changes that appeared since the
-- review are not applied either: the apply run's `plan` lists them under `appeared`.

alter table public.catalog_runs add column stale integer not null default 0;

alter table public.catalog_run_outcomes drop constraint catalog_run_outcomes_status_valid;
alter table public.catalog_run_outcomes add constraint catalog_run_outcomes_status_valid
  check (status in ('done', 'failed', 'stale'));
