-- spacesync migration 000042_stripe_accounts: src/db/migrations/000042_stripe_accounts.sql, written by `spacesync supabase install`.
-- Do not edit: a later install adds the migrations that came after it.
--
-- Recorded in public.spacesync_migrations as spacesync migrate records it, so a spacesync process
-- started against this database (the worker, say) finds nothing left to do.

do $spacesync$
begin
  if to_regclass('public.spacesync_migrations') is not null then
    if exists (select 1 from public.spacesync_migrations where id = 42) then
      raise exception 'spacesync migration 000042_stripe_accounts was already applied by spacesync migrate'
        using hint = 'Mark it applied for the Supabase CLI instead: supabase migration repair --status applied 20250101000042 (docs/INSTALL.md, "A database spacesync migrate already set up")';
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
insert into public.spacesync_migrations (id, name) values (42, 'stripe_accounts');

-- ---- src/db/migrations/000042_stripe_accounts.sql ----
-- Stripe ids belong to one Stripe account and one mode (test or live). The ids in spaces and
-- space_prices are those of the account in use, recorded here as `<account id>/<mode>`. When a
-- process starts with a key of another account or mode (test mode → live mode, a new account),
-- spacesync_use_stripe_account() puts the ids of the former account aside (space_stripe_ids) and
-- brings back those of the new one, if it was used before; spaces without ids there are new to it
-- and get created by the next catalog sync. Switching back brings the former ids back. Nothing is
-- ever sent to an account with another account's ids.

create table public.spacesync_stripe_account (
  singleton boolean primary key default true check (singleton),
  -- `acct_…/test` or `acct_…/live`
  account text not null,
  since timestamptz not null default now()
);

create table public.space_stripe_ids (
  space_id uuid not null references public.spaces (id) on delete cascade,
  account text not null,
  stripe_product_id text,
  stripe_snapshot jsonb,
  -- space_prices.id → Stripe price id
  price_ids jsonb not null default '{}',
  -- the pending create (space_sync_intents row), if one was left
  intent jsonb,
  synced_version bigint,
  primary key (space_id, account)
);

alter table public.spacesync_stripe_account enable row level security;
alter table public.space_stripe_ids enable row level security;
revoke all on public.spacesync_stripe_account, public.space_stripe_ids from public;
do $$
  declare r text;
  begin
    foreach r in array array['anon', 'authenticated'] loop
      if exists (select 1 from pg_roles where rolname = r) then
        execute format('revoke all on public.spacesync_stripe_account, public.space_stripe_ids from %I', r);
      end if;
    end loop;
  end $$;
grant all on public.spacesync_stripe_account, public.space_stripe_ids to service_role;

-- Makes `target` (`<acct id>/<mode>`, or `*` for the id when it could not be read) the account the
-- stored ids belong to. Returns {account, previous, switched, restored, parked, without_ids}.
create function public.spacesync_use_stripe_account(target text) returns jsonb
  language plpgsql volatile security definer
  set search_path = pg_catalog, public
  as $$
  declare
    former text;
    parked integer := 0;
    restored integer := 0;
    without_ids integer;
  begin
    if target !~ '^[^/]+/(test|live)$' then
      raise exception 'a Stripe account is named <account id>/<test|live>, not %', target using errcode = '22023';
    end if;
    select a.account into former from public.spacesync_stripe_account a for update;
    if former is null then
      insert into public.spacesync_stripe_account (account) values (target) on conflict (singleton) do nothing;
      return jsonb_build_object('account', target, 'previous', null, 'switched', false);
    end if;
    if former = target
       or (target like '*/%' and split_part(former, '/', 2) = split_part(target, '/', 2)) then
      return jsonb_build_object('account', former, 'previous', null, 'switched', false);
    end if;
    if former like '*/%' and split_part(former, '/', 2) = split_part(target, '/', 2) then
      -- The account id is known now: same mode, same ids.
      update public.spacesync_stripe_account set account = target;
      return jsonb_build_object('account', target, 'previous', null, 'switched', false);
    end if;

    -- One key per database at a time: workers still running with the former key must be stopped
    -- (docs/STRIPE_SYNC.md, "Changing the Stripe account or mode"). Concurrent switches serialise on
    -- the singleton row above.

    -- 1. Put the former account's ids aside.
    with ids as (
      select s.id, s.stripe_product_id, s.stripe_snapshot, s.synced_version,
             (select coalesce(jsonb_object_agg(p.id::text, p.stripe_price_id), '{}'::jsonb)
                from public.space_prices p where p.space_id = s.id and p.stripe_price_id is not null) as price_ids,
             (select to_jsonb(i) from public.space_sync_intents i where i.space_id = s.id) as intent
        from public.spaces s
    ), kept as (
      insert into public.space_stripe_ids as k (space_id, account, stripe_product_id, stripe_snapshot, price_ids, intent, synced_version)
      select ids.id, former, ids.stripe_product_id, ids.stripe_snapshot, ids.price_ids, ids.intent, ids.synced_version
        from ids
       where ids.stripe_product_id is not null or ids.stripe_snapshot is not null or ids.price_ids <> '{}'::jsonb or ids.intent is not null
      on conflict (space_id, account) do update set
        stripe_product_id = excluded.stripe_product_id, stripe_snapshot = excluded.stripe_snapshot,
        price_ids = excluded.price_ids, intent = excluded.intent, synced_version = excluded.synced_version
      returning 1
    )
    select count(*) into parked from kept;
    delete from public.space_sync_intents;
    update public.space_prices set stripe_price_id = null where stripe_price_id is not null;
    update public.spaces
       set stripe_product_id = null, stripe_snapshot = null, synced_version = null, drift = null,
           sync_status = 'pending', last_error = null;

    -- 2. Bring back the new account's ids, if it was used before.
    update public.spaces s
       set stripe_product_id = k.stripe_product_id, stripe_snapshot = k.stripe_snapshot, synced_version = k.synced_version,
           sync_status = case when k.synced_version = s.version then 'synced' else 'pending' end
      from public.space_stripe_ids k
     where k.space_id = s.id and k.account = target;
    get diagnostics restored = row_count;
    update public.space_prices p set stripe_price_id = x.value
      from public.space_stripe_ids k, jsonb_each_text(k.price_ids) x
     where k.account = target and p.id = x.key::uuid and p.space_id = k.space_id;
    insert into public.space_sync_intents (space_id, operation, idempotency_key, op, call, version, created_at)
    select k.space_id, k.intent->>'operation', k.intent->>'idempotency_key', k.intent->'op', k.intent->'call',
           (k.intent->>'version')::bigint, (k.intent->>'created_at')::timestamptz
      from public.space_stripe_ids k
     where k.account = target and k.intent is not null;
    delete from public.space_stripe_ids k where k.account = target;

    update public.spacesync_stripe_account set account = target, since = now();
    select count(*) into without_ids from public.spaces s where s.stripe_product_id is null and s.deleted_at is null;
    return jsonb_build_object('account', target, 'previous', former, 'switched', true,
                              'parked', parked, 'restored', restored, 'without_ids', without_ids);
  end
  $$;

revoke all on function public.spacesync_use_stripe_account(text) from public, anon, authenticated;
