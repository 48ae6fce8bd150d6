-- spacesync migration 000070_sync_scheduling: src/db/migrations/000070_sync_scheduling.sql, written by `spacesync supabase install`.
-- Do not edit: a later install adds the migrations that came after it.
--
-- Recorded in public.spacesync_migrations as spacesync migrate records it, so a spacesync process
-- started against this database (the worker, say) finds nothing left to do.

do $spacesync$
begin
  if to_regclass('public.spacesync_migrations') is not null then
    if exists (select 1 from public.spacesync_migrations where id = 70) then
      raise exception 'spacesync migration 000070_sync_scheduling was already applied by spacesync migrate'
        using hint = 'Mark it applied for the Supabase CLI instead: supabase migration repair --status applied 20250101000070 (docs/INSTALL.md, "A database spacesync migrate already set up")';
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
insert into public.spacesync_migrations (id, name) values (70, 'sync_scheduling');

-- ---- src/db/migrations/000070_sync_scheduling.sql ----
-- When a space's sync runs, and which guarantees no client can switch off.
--
-- Bursts are coalesced at scheduling. The first edit of a quiet space is queued to run at once. An
-- edit that follows a sync of that space within the settle window (a sync running, or one that
-- finished less than a window ago) is queued to run when the window closes, counted from the start
-- of the running sync or the end of the last one; every further edit joins that same queued job
-- (job_key_mode 'preserve_run_at') instead of moving it. So a burst of edits costs one sync for its
-- first edit and one per window it spans, and each intermediate price never reaches Stripe.
--
-- "Already enqueued in this transaction" is read from the queued job itself: its payload carries the
-- transaction id that last wrote it, and only the owner can write graphile_worker's tables. The
-- former marker, a custom setting, could be set by any role and suppressed the job.

-- How long edits that follow a sync wait for each other. Replace this function to change it.
create function public.spacesync_sync_settle_window() returns interval
  language sql immutable parallel safe
  as $$ select interval '500 milliseconds' $$;

create or replace function public.spacesync_enqueue_sync(space_id uuid) returns void
  language plpgsql volatile security definer
  set search_path = pg_catalog, public
  as $$
  declare
    job_key text := 'sync_space:' || space_id::text;
    tx text := txid_current()::text;
    settle interval := public.spacesync_sync_settle_window();
    queued record;
    last_synced timestamptz;
    run_at timestamptz;
    payload jsonb := jsonb_build_object('space_id', space_id, 'tx', tx);
  begin
    select j.payload, j.run_at, j.locked_at into queued
      from graphile_worker._private_jobs j where j.key = job_key;
    if found then
      if queued.locked_at is null and (queued.payload::jsonb ->> 'tx') = tx then
        return; -- queued by this transaction already
      end if;
      if queued.locked_at is not null then
        -- A sync of this space is running: the next one waits for the window to close.
        run_at := greatest(clock_timestamp(), queued.locked_at + settle);
      else
        -- Queued and waiting: this edit joins it and keeps its time ('preserve_run_at'). The time
        -- given here only counts if a worker takes that job meanwhile, i.e. a sync starts now.
        run_at := clock_timestamp() + settle;
        payload := queued.payload::jsonb || payload; -- keeps what it asked for (a forced sync)
      end if;
    else
      select s.last_synced_at into last_synced from public.spaces s where s.id = space_id;
      if last_synced > clock_timestamp() - settle then
        run_at := last_synced + settle; -- synced a moment ago: let the edits around this one gather
      else
        run_at := null; -- a quiet space: now
      end if;
    end if;
    perform graphile_worker.add_job(
      'sync_space',
      payload::json,
      run_at => run_at,
      job_key => job_key,
      job_key_mode => 'preserve_run_at',
      max_attempts => 25
    );
  end
  $$;

revoke all on function public.spacesync_enqueue_sync(uuid) from public, anon, authenticated;
revoke all on function public.spacesync_sync_settle_window() from public, anon, authenticated;

-- A real delete of a catalog row skips the archive in Stripe: only a role owning the table (the
-- migration owner, a superuser) may ask for one, with `spacesync.hard_delete = on`. For anyone
-- else a delete is a soft delete whatever their settings say.
create function public.spacesync_may_hard_delete(target regclass) returns boolean
  language sql stable
  set search_path = pg_catalog
  as $$
    select current_setting('spacesync.hard_delete', true) = 'on'
       and pg_has_role(current_user, c.relowner, 'USAGE')
      from pg_class c where c.oid = target
  $$;

create or replace function public.tg_spaces__soft_delete() returns trigger
  language plpgsql
  as $$
  begin
    if public.spacesync_may_hard_delete('public.spaces'::regclass) then
      return old;
    end if;
    -- Keep the row, and so its Stripe ids: the sync archives the product and its prices.
    update public.spaces set deleted_at = now() where id = old.id and deleted_at is null;
    return null;
  end
  $$;

create or replace function public.tg_space_prices__soft_delete() returns trigger
  language plpgsql
  as $$
  begin
    if public.spacesync_may_hard_delete('public.space_prices'::regclass) then
      return old;
    end if;
    update public.space_prices set deleted_at = now() where id = old.id and deleted_at is null;
    return null;
  end
  $$;

-- One Stripe request budget for every process that talks to the same Stripe account, wherever it
-- runs. The budget is a schedule (GCRA): `tat_ms` is the earliest time, in ms since the epoch on the
-- database's clock, at which the next request may start. A process leases a few consecutive start
-- times at once, spaced 1/rate apart; a start time not used shortly after it passes is gone, so a
-- process that dies holds nothing back for longer than its last lease (a few tens of ms).
create table public.stripe_rate_budgets (
  name text primary key,
  tat_ms double precision not null,
  leases bigint not null default 0,
  slots bigint not null default 0
);

alter table public.stripe_rate_budgets enable row level security;
revoke all on public.stripe_rate_budgets from public, anon, authenticated;
grant all on public.stripe_rate_budgets to service_role;

-- Leases `wanted` start times from budget `budget` at `rate` requests/s, with `burst` requests
-- allowed at once after an idle time. Answers the database's clock, the first start time on it (ms
-- since the epoch; at most (burst - 1) intervals in the past), the number leased and the interval
-- between them (ms).
-- The same arithmetic as leaseSlots() in src/stripe/slotBudget.ts.
create function public.spacesync_lease_stripe_slots(budget text, rate double precision, wanted integer, burst integer default 1)
  returns table (now_ms double precision, first_ms double precision, slots integer, interval_ms double precision)
  language plpgsql volatile security definer
  set search_path = pg_catalog, public
  as $$
  declare
    clock_ms double precision := extract(epoch from clock_timestamp()) * 1000;
    step double precision;
    tolerance double precision;
    first double precision;
  begin
    if rate is null or rate <= 0 or wanted is null or wanted < 1 or burst is null or burst < 1 then
      raise exception 'spacesync_lease_stripe_slots: rate must be > 0, wanted >= 1, burst >= 1 (got %, %, %)', rate, wanted, burst
        using errcode = '22023';
    end if;
    step := 1000 / rate;
    tolerance := (burst - 1) * step;
    insert into public.stripe_rate_budgets as b (name, tat_ms, leases, slots)
      values (budget, clock_ms - tolerance + wanted * step, 1, wanted)
      on conflict (name) do update
        set tat_ms = greatest(b.tat_ms, clock_ms - tolerance) + wanted * step,
            leases = b.leases + 1,
            slots = b.slots + wanted
      returning b.tat_ms - wanted * step into first;
    return query select clock_ms, first, wanted, step;
  end
  $$;

revoke all on function public.spacesync_lease_stripe_slots(text, double precision, integer, integer) from public, anon, authenticated;
grant execute on function public.spacesync_lease_stripe_slots(text, double precision, integer, integer) to service_role;
