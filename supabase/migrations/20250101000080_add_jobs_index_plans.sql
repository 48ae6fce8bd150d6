-- spacesync migration 000080_add_jobs_index_plans: src/db/migrations/000080_add_jobs_index_plans.sql, written by `spacesync supabase install`.
-- Do not edit: a later install adds the migrations that came after it.
--
-- Recorded in public.spacesync_migrations as spacesync migrate records it, so a spacesync process
-- started against this database (the worker, say) finds nothing left to do.

do $spacesync$
begin
  if to_regclass('public.spacesync_migrations') is not null then
    if exists (select 1 from public.spacesync_migrations where id = 80) then
      raise exception 'spacesync migration 000080_add_jobs_index_plans was already applied by spacesync migrate'
        using hint = 'Mark it applied for the Supabase CLI instead: supabase migration repair --status applied 20250101000080 (docs/INSTALL.md, "A database spacesync migrate already set up")';
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
insert into public.spacesync_migrations (id, name) values (80, 'add_jobs_index_plans');

-- ---- src/db/migrations/000080_add_jobs_index_plans.sql ----
-- graphile_worker.add_jobs first clears the key of locked jobs with
--   update _private_jobs ... from unnest(specs) where jobs.key = spec.job_key and is_available is not true
-- Planned while the jobs table looks small (a fresh or just-truncated table, or before autovacuum's
-- next analyze), that is a sequential scan of every pending job, and the plan stays cached in each
-- session: during a burst of webhooks, the jobs table grows faster than it is analysed and every
-- enqueue gets slower with each job still pending. Planning add_jobs without sequential scans keeps
-- it on the unique index of `key` (constant time whatever the queue length). A later graphile-worker
-- migration that replaces add_jobs drops this setting: it only costs speed, never correctness.
do $$
begin
  if to_regprocedure('graphile_worker.add_jobs(graphile_worker.job_spec[], boolean)') is not null then
    alter function graphile_worker.add_jobs(graphile_worker.job_spec[], boolean) set enable_seqscan = off;
  end if;
end
$$;
