-- spacesync migration 000041_worker_recovery: src/db/migrations/000041_worker_recovery.sql, written by `spacesync supabase install`.
-- Do not edit: a later install adds the migrations that came after it.
--
-- Recorded in public.spacesync_migrations as spacesync migrate records it, so a spacesync process
-- started against this database (the worker, say) finds nothing left to do.

do $spacesync$
begin
  if to_regclass('public.spacesync_migrations') is not null then
    if exists (select 1 from public.spacesync_migrations where id = 41) then
      raise exception 'spacesync migration 000041_worker_recovery was already applied by spacesync migrate'
        using hint = 'Mark it applied for the Supabase CLI instead: supabase migration repair --status applied 20250101000041 (docs/INSTALL.md, "A database spacesync migrate already set up")';
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
insert into public.spacesync_migrations (id, name) values (41, 'worker_recovery');

-- ---- src/db/migrations/000041_worker_recovery.sql ----
-- Crash recovery in seconds. graphile-worker locks a job for 4 hours: a worker that dies (SIGKILL,
-- power loss, a lost machine) would hold its jobs that long. Every spacesync worker process beats
-- here every few seconds (spacesync_worker_beat); the jobs of a worker that stopped beating are
-- handed to the others at once. That is safe because every sync holds its space's advisory lock
-- (src/sync/spaceLock.ts): a worker wrongly taken for dead can only make a second sync wait.
-- The same sweep ends what a dead process left open: spaces `syncing` that no sync holds, catalog
-- runs `planning`/`applying` that no process runs (now `interrupted`).

create table public.spacesync_workers (
  -- graphile-worker's pool id: what jobs.locked_by holds for this process's jobs.
  id text primary key,
  pid integer,
  host text,
  started_at timestamptz not null default now(),
  heartbeat_at timestamptz not null default now()
);

alter table public.spacesync_workers enable row level security;
revoke all on public.spacesync_workers from public;
do $$
  declare r text;
  begin
    foreach r in array array['anon', 'authenticated'] loop
      if exists (select 1 from pg_roles where rolname = r) then
        execute format('revoke all on public.spacesync_workers from %I', r);
      end if;
    end loop;
  end $$;
grant all on public.spacesync_workers to service_role;

-- A running catalog run beats every 2 s (src/sync/syncCatalog.ts).
alter table public.catalog_runs add column heartbeat_at timestamptz;
alter table public.catalog_runs drop constraint catalog_runs_status_valid;
alter table public.catalog_runs add constraint catalog_runs_status_valid
  check (status in ('queued', 'planning', 'planned', 'applying', 'done', 'failed', 'interrupted'));

-- Advisory lock class (two-int form) 0x5353 = 21331: a space's sync (src/sync/spaceLock.ts).
create function public.spacesync_lock_held(lock_class integer, lock_key text) returns boolean
  language sql stable
  set search_path = pg_catalog, public
  as $$
    select exists (
      select 1 from pg_locks l
       where l.locktype = 'advisory' and l.granted and l.objsubid = 2
         and l.database = (select oid from pg_database where datname = current_database())
         and l.classid = lock_class::bigint::oid
         and l.objid = (hashtext(lock_key)::bigint & 4294967295)::oid
    )
  $$;

/**
 * Hands back what dead processes held. `dead_after_s`: a worker silent that long is dead; a job
 * locked by an id that never beat here (a one-off runner) is taken back after `foreign_after_s`.
 */
create function public.spacesync_recover(dead_after_s double precision default 10, foreign_after_s double precision default 300)
  returns jsonb
  language plpgsql volatile security definer
  set search_path = pg_catalog, public
  as $$
  declare
    dead text[];
    lockers text[];
    superseded integer := 0;
    unlocked integer := 0;
    spaces_reset integer := 0;
    runs_interrupted integer := 0;
    stuck uuid;
  begin
    with d as (
      delete from public.spacesync_workers
       where heartbeat_at < now() - make_interval(secs => dead_after_s)
      returning id
    )
    select coalesce(array_agg(id), '{}') into dead from d;

    select coalesce(array_agg(distinct j.locked_by), '{}') into lockers
      from graphile_worker._private_jobs j
     where j.locked_by is not null
       and (j.locked_by = any(dead)
            or (j.locked_at < now() - make_interval(secs => foreign_after_s)
                and not exists (select 1 from public.spacesync_workers w where w.id = j.locked_by)));

    if cardinality(lockers) > 0 then
      -- A sync job an edit replaced while the dead worker held it (graphile-worker cleared its key and
      -- spent its attempts): the edit's own job does the work.
      with gone as (
        delete from graphile_worker._private_jobs j
         using graphile_worker._private_tasks t
         where t.id = j.task_id and t.identifier = 'sync_space'
           and j.locked_by = any(lockers) and j.key is null and j.attempts >= j.max_attempts
        returning j.id
      )
      select count(*) into superseded from gone;
      -- The others run again now; the crash does not count as one of their attempts.
      with back as (
        update graphile_worker._private_jobs j
           set locked_by = null, locked_at = null, attempts = greatest(j.attempts - 1, 0), run_at = least(j.run_at, now())
         where j.locked_by = any(lockers)
        returning j.id
      )
      select count(*) into unlocked from back;
      update graphile_worker._private_job_queues set locked_by = null, locked_at = null where locked_by = any(lockers);
    end if;

    -- A space reads `syncing` only while a sync holds its lock.
    for stuck in
      select s.id from public.spaces s
       where s.sync_status = 'syncing' and not public.spacesync_lock_held(21331, s.id::text)
       for update skip locked
    loop
      update public.spaces set sync_status = 'pending' where id = stuck and sync_status = 'syncing';
      perform public.spacesync_enqueue_sync(stuck);
      spaces_reset := spaces_reset + 1;
    end loop;

    -- A catalog run is planned or applied only while its process beats.
    with r as (
      update public.catalog_runs c
         set status = 'interrupted', finished_at = now(),
             error = 'the process running it stopped (crash or kill); run the catalog sync again to finish it'
       where c.status in ('planning', 'applying')
         and coalesce(c.heartbeat_at, c.started_at, c.created_at) < now() - make_interval(secs => dead_after_s)
      returning c.id
    )
    select count(*) into runs_interrupted from r;

    return jsonb_build_object('dead_workers', to_jsonb(dead), 'superseded_jobs', superseded, 'unlocked_jobs', unlocked,
                              'spaces_reset', spaces_reset, 'runs_interrupted', runs_interrupted);
  end
  $$;

/**
 * A worker's heartbeat (every few seconds): records it alive, hands back its own jobs that it no
 * longer runs (their completion was lost, e.g. in a database restart), then runs the sweep.
 */
create function public.spacesync_worker_beat(
  worker_id text, worker_pid integer, worker_host text, active_jobs bigint[],
  dead_after_s double precision default 10, foreign_after_s double precision default 300
) returns jsonb
  language plpgsql volatile security definer
  set search_path = pg_catalog, public
  as $$
  declare
    own integer;
  begin
    insert into public.spacesync_workers (id, pid, host) values (worker_id, worker_pid, worker_host)
      on conflict (id) do update set heartbeat_at = now(), pid = excluded.pid, host = excluded.host;
    -- A sync job replaced meanwhile (an edit, or the sweep, queued its successor) is removed.
    delete from graphile_worker._private_jobs j
     using graphile_worker._private_tasks t
     where t.id = j.task_id and t.identifier = 'sync_space'
       and j.locked_by = worker_id and not (j.id = any(active_jobs))
       and j.locked_at < now() - make_interval(secs => dead_after_s)
       and j.key is null and j.attempts >= j.max_attempts;
    with back as (
      update graphile_worker._private_jobs j
         set locked_by = null, locked_at = null, run_at = least(j.run_at, now())
       where j.locked_by = worker_id and not (j.id = any(active_jobs))
         and j.locked_at < now() - make_interval(secs => dead_after_s)
      returning j.id
    )
    select count(*) into own from back;
    return public.spacesync_recover(dead_after_s, foreign_after_s) || jsonb_build_object('own_jobs_returned', own);
  end
  $$;

/** A worker that stops cleanly leaves at once (its jobs are done or handed back by graphile-worker). */
create function public.spacesync_worker_leave(worker_id text) returns void
  language sql volatile security definer
  set search_path = pg_catalog, public
  as $$
    delete from public.spacesync_workers where id = worker_id
  $$;

revoke all on function public.spacesync_lock_held(integer, text) from public, anon, authenticated;
revoke all on function public.spacesync_recover(double precision, double precision) from public, anon, authenticated;
revoke all on function public.spacesync_worker_beat(text, integer, text, bigint[], double precision, double precision) from public, anon, authenticated;
revoke all on function public.spacesync_worker_leave(text) from public, anon, authenticated;
