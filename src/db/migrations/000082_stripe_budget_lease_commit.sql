-- A Stripe budget lease (migration 000070) commits without waiting for the WAL to reach the disk
-- (synchronous_commit off, that transaction only). On a server that syncs its WAL to disk, that wait
-- was most of a lease's time, and a quiet space's first Stripe request waits for its lease.
-- Harmless to lose: a crash of Postgres can forget the last leases, and so give their start times
-- again after it restarts; but a leased start time not used within two request intervals (22 ms at
-- 90 requests/s) is dropped by the process that holds it (src/stripe/slotBudget.ts), far sooner
-- than Postgres restarts, so no start time is used twice.
create or replace function public.spacesync_lease_stripe_slots(budget text, rate double precision, wanted integer, burst integer default 1)
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
    perform set_config('synchronous_commit', 'off', true);
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
