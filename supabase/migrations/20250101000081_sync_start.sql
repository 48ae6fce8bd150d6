-- spacesync migration 000081_sync_start: src/db/migrations/000081_sync_start.sql, written by `spacesync supabase install`.
-- Do not edit: a later install adds the migrations that came after it.
--
-- Recorded in public.spacesync_migrations as spacesync migrate records it, so a spacesync process
-- started against this database (the worker, say) finds nothing left to do.

do $spacesync$
begin
  if to_regclass('public.spacesync_migrations') is not null then
    if exists (select 1 from public.spacesync_migrations where id = 81) then
      raise exception 'spacesync migration 000081_sync_start was already applied by spacesync migrate'
        using hint = 'Mark it applied for the Supabase CLI instead: supabase migration repair --status applied 20250101000081 (docs/INSTALL.md, "A database spacesync migrate already set up")';
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
insert into public.spacesync_migrations (id, name) values (81, 'sync_start');

-- ---- src/db/migrations/000081_sync_start.sql ----
-- The start of a space's sync in one round trip: its sync lock, then the row marked `syncing` and
-- read with its price rows and any pending create (src/sync/startSync.ts). Before, these were two
-- round trips and two statements parsed and planned afresh at every sync; a function's statements
-- are planned once per connection.
--
-- The guarantees are those of the two statements it replaces (src/sync/loadSpace.ts):
--   - the lock is the session-level advisory lock (21331 = 0x5353, hashtext(space id)) that
--     spacesync_lock_held (migration 000041) looks for; it outlives this statement's transaction,
--     and waiting for it is bounded by `lock_timeout_ms` (SQLSTATE 55P03 when it runs out);
--   - the UPDATE locks the row and returns its newest version N; the prices are read by a later
--     statement of this volatile function, under a snapshot taken after the UPDATE, so a price
--     change is either seen here or waits for the row lock and becomes version N + 1.
-- No row (the space is gone): the lock is held all the same; the caller releases it.
--
-- Its commit does not wait for the WAL to reach the disk (synchronous_commit off, this transaction
-- only): what it writes, `syncing` and the attempt number, may be lost in a crash of Postgres, and
-- losing it is harmless (the space stays `pending` and its job, unlocked, runs again). Every later
-- write of the sync commits durably, which flushes this one with it, so nothing it wrote can be
-- lost once a Stripe result is stored.
create function public.spacesync_start_sync(target uuid, attempt_no integer, lock_timeout_ms integer)
  returns table (space jsonb, fingerprint text, prices jsonb, intent jsonb)
  language plpgsql volatile
  set search_path = pg_catalog, public
  as $$
  declare
    previous text := current_setting('lock_timeout');
  begin
    if target is null or attempt_no is null or attempt_no < 0 or lock_timeout_ms is null or lock_timeout_ms < 0 then
      raise exception 'spacesync_start_sync: target must be a space id, attempt_no >= 0, lock_timeout_ms >= 0 (got %, %, %)',
        target, attempt_no, lock_timeout_ms
        using errcode = '22023';
    end if;
    -- Local to this transaction, and set back before the row lock: only the sync lock's wait is bounded.
    perform set_config('lock_timeout', lock_timeout_ms::text || 'ms', true);
    perform pg_advisory_lock(21331, hashtext(target::text));
    perform set_config('lock_timeout', previous, true);
    perform set_config('synchronous_commit', 'off', true);

    update public.spaces s set sync_status = 'syncing', sync_attempt = attempt_no
     where s.id = target
     returning to_jsonb(s), md5(coalesce(s.stripe_product_id, '') || '|' || coalesce(s.stripe_snapshot::text, ''))
          into space, fingerprint;
    if not found then
      return;
    end if;

    select coalesce(jsonb_agg(to_jsonb(p) order by p.position, p.created_at, p.id), '[]'::jsonb)
      into prices
      from public.space_prices p where p.space_id = target;
    select to_jsonb(i) || jsonb_build_object('age_s', extract(epoch from now() - i.created_at))
      into intent
      from public.space_sync_intents i where i.space_id = target;
    return next;
  end
  $$;

revoke all on function public.spacesync_start_sync(uuid, integer, integer) from public, anon, authenticated;
grant execute on function public.spacesync_start_sync(uuid, integer, integer) to service_role;
