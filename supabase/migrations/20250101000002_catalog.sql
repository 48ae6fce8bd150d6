-- spacesync migration 000002_catalog: src/db/migrations/000002_catalog.sql, written by `spacesync supabase install`.
-- Do not edit: a later install adds the migrations that came after it.
--
-- Recorded in public.spacesync_migrations as spacesync migrate records it, so a spacesync process
-- started against this database (the worker, say) finds nothing left to do.

do $spacesync$
begin
  if to_regclass('public.spacesync_migrations') is not null then
    if exists (select 1 from public.spacesync_migrations where id = 2) then
      raise exception 'spacesync migration 000002_catalog was already applied by spacesync migrate'
        using hint = 'Mark it applied for the Supabase CLI instead: supabase migration repair --status applied 20250101000002 (docs/INSTALL.md, "A database spacesync migrate already set up")';
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
insert into public.spacesync_migrations (id, name) values (2, 'catalog');

-- ---- src/db/migrations/000002_catalog.sql ----
-- The catalog: spaces and their prices, with the limits Stripe enforces checked here first, so bad
-- data is refused before it can reach Stripe.

-- Currencies Stripe accepts (ISO 4217, lower case).
create function public.spacesync_is_currency(code text) returns boolean
  language sql immutable parallel safe
  as $$
    select code = any ('{aed,afn,all,amd,ang,aoa,ars,aud,awg,azn,bam,bbd,bdt,bgn,bhd,bif,bmd,bnd,bob,brl,bsd,bwp,byn,bzd,cad,cdf,chf,clp,cny,cop,crc,cve,czk,djf,dkk,dop,dzd,egp,etb,eur,fjd,fkp,gbp,gel,gip,gmd,gnf,gtq,gyd,hkd,hnl,htg,huf,idr,ils,inr,isk,jmd,jod,jpy,kes,kgs,khr,kmf,krw,kwd,kyd,kzt,lak,lbp,lkr,lrd,lsl,mad,mdl,mga,mkd,mmk,mnt,mop,mur,mvr,mwk,mxn,myr,mzn,nad,ngn,nio,nok,npr,nzd,omr,pab,pen,pgk,php,pkr,pln,pyg,qar,ron,rsd,rub,rwf,sar,sbd,scr,sek,sgd,shp,sle,sos,srd,std,szl,thb,tjs,tnd,top,try,ttd,twd,tzs,uah,ugx,usd,uyu,uzs,vnd,vuv,wst,xaf,xcd,xof,xpf,yer,zar,zmw}'::text[])
  $$;

-- Stripe metadata: string values, at most `max_keys` keys of up to 40 characters without square
-- brackets, values of up to 500 characters, none of the keys spacesync writes itself.
create function public.spacesync_metadata_ok(m jsonb, max_keys integer) returns boolean
  language sql immutable parallel safe
  as $$
    select jsonb_typeof(m) = 'object'
       and (select count(*) from jsonb_object_keys(m)) <= max_keys
       and not exists (
         select 1 from jsonb_each(m) as e(k, v)
         where jsonb_typeof(e.v) <> 'string'
            or length(e.k) = 0 or length(e.k) > 40 or e.k ~ '[\[\]]'
            or length(e.v #>> '{}') > 500
            or e.k in ('space_id', 'managed_by', 'kind', 'capacity', 'location', 'pricing_type', 'space_price_id')
       )
  $$;

create function public.spacesync_urls_ok(urls text[]) returns boolean
  language sql immutable parallel safe
  as $$
    select cardinality(urls) <= 8
       and not exists (select 1 from unnest(urls) u where u !~ '^https?://[^\s/]+' or length(u) > 2048)
  $$;

-- Extra currencies of a price: {"usd": {"unit_amount": 1200}}.
create function public.spacesync_currency_options_ok(o jsonb, main_currency text) returns boolean
  language sql immutable parallel safe
  as $$
    select jsonb_typeof(o) = 'object'
       and not exists (
         select 1 from jsonb_each(o) as e(k, v)
         where not public.spacesync_is_currency(e.k)
            or e.k = main_currency
            or jsonb_typeof(e.v) <> 'object'
            or jsonb_typeof(e.v -> 'unit_amount') <> 'number'
            or (e.v ->> 'unit_amount')::numeric <> floor((e.v ->> 'unit_amount')::numeric)
            or (e.v ->> 'unit_amount')::numeric not between 0 and 99999999
       )
  $$;

create table public.spaces (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  description text,
  kind text not null default 'meeting_room',
  capacity integer,
  location text,
  images text[] not null default '{}',
  currency text not null default 'eur',
  active boolean not null default true,
  metadata jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  version bigint not null default 1,
  -- Sync state, written by the worker. Writing only these never enqueues a sync.
  stripe_product_id text unique,
  sync_status text not null default 'pending',
  synced_version bigint,
  last_synced_at timestamptz,
  last_error text,
  sync_attempt integer not null default 0,
  stripe_snapshot jsonb,
  drift jsonb,
  constraint spaces_name_not_empty check (length(btrim(name)) > 0),
  constraint spaces_name_length check (length(name) <= 250),
  constraint spaces_description_length check (length(description) <= 5000),
  constraint spaces_kind_valid check (kind in ('meeting_room', 'desk', 'office', 'venue', 'other')),
  constraint spaces_capacity_range check (capacity between 1 and 100000),
  constraint spaces_location_length check (length(location) <= 500),
  constraint spaces_images_valid check (public.spacesync_urls_ok(images)),
  constraint spaces_currency_valid check (public.spacesync_is_currency(currency)),
  constraint spaces_metadata_valid check (public.spacesync_metadata_ok(metadata, 45)),
  constraint spaces_sync_status_valid check (sync_status in ('pending', 'syncing', 'synced', 'error', 'drift'))
);

create index spaces_sync_status_idx on public.spaces (sync_status) where deleted_at is null;
create index spaces_created_at_idx on public.spaces (created_at desc, id);

create table public.space_prices (
  id uuid primary key default gen_random_uuid(),
  space_id uuid not null references public.spaces (id) on delete cascade,
  pricing_type text not null,
  unit_amount bigint not null,
  currency text not null,
  recurring_interval text,
  recurring_interval_count integer not null default 1,
  tax_behavior text not null default 'unspecified',
  currency_options jsonb not null default '{}',
  nickname text,
  is_default boolean not null default false,
  position integer not null default 0,
  active boolean not null default true,
  lookup_key text not null,
  stripe_price_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  constraint space_prices_pricing_type_valid check (pricing_type in ('hourly', 'half_day', 'daily', 'weekly', 'monthly')),
  constraint space_prices_unit_amount_range check (unit_amount between 0 and 99999999),
  constraint space_prices_currency_valid check (public.spacesync_is_currency(currency)),
  constraint space_prices_recurring_interval_valid check (recurring_interval in ('day', 'week', 'month', 'year')),
  constraint space_prices_recurring_interval_count_range check (
    recurring_interval_count >= 1 and recurring_interval_count <= case recurring_interval
      when 'day' then 365 when 'week' then 52 when 'month' then 12 when 'year' then 1 else 1 end
  ),
  constraint space_prices_tax_behavior_valid check (tax_behavior in ('inclusive', 'exclusive', 'unspecified')),
  constraint space_prices_currency_options_valid check (public.spacesync_currency_options_ok(currency_options, currency)),
  constraint space_prices_nickname_length check (length(nickname) <= 250),
  constraint space_prices_lookup_key_valid check (length(lookup_key) between 1 and 200)
);

create index space_prices_space_id_idx on public.space_prices (space_id);
create unique index space_prices_lookup_key_live_idx on public.space_prices (lookup_key) where deleted_at is null;
create unique index space_prices_stripe_price_id_idx on public.space_prices (stripe_price_id);

-- Content versus sync state: the columns the worker writes. Everything else is content.
create function public.spacesync_space_content(s public.spaces) returns jsonb
  language sql immutable
  as $$
    select to_jsonb(s) - '{version,updated_at,stripe_product_id,sync_status,synced_version,last_synced_at,last_error,sync_attempt,stripe_snapshot,drift}'::text[]
  $$;

create function public.spacesync_price_content(p public.space_prices) returns jsonb
  language sql immutable
  as $$
    select to_jsonb(p) - '{updated_at,stripe_price_id}'::text[]
  $$;

-- Enqueue the sync of one space, once per transaction however many rows change. Runs as the owner:
-- the caller needs no right on the queue.
create function public.spacesync_enqueue_sync(space_id uuid) returns void
  language plpgsql volatile security definer
  set search_path = pg_catalog, public
  as $$
  declare
    flag text := 'spacesync.enqueued_' || replace(space_id::text, '-', '');
  begin
    if current_setting(flag, true) = 'on' then
      return;
    end if;
    perform graphile_worker.add_job(
      'sync_space',
      json_build_object('space_id', space_id),
      job_key => 'sync_space:' || space_id::text,
      max_attempts => 25
    );
    perform set_config(flag, 'on', true);
  end
  $$;

revoke all on function public.spacesync_enqueue_sync(uuid) from public;

create function public.tg_spaces__bump_version() returns trigger
  language plpgsql
  as $$
  begin
    if public.spacesync_space_content(new) is distinct from public.spacesync_space_content(old) then
      new.version := old.version + 1;
      new.updated_at := now();
      new.sync_status := 'pending';
    end if;
    return new;
  end
  $$;

create function public.tg_spaces__soft_delete() returns trigger
  language plpgsql
  as $$
  begin
    if current_setting('spacesync.hard_delete', true) = 'on' then
      return old;
    end if;
    -- Keep the row, and so its Stripe ids: the sync archives the product and its prices.
    update public.spaces set deleted_at = now() where id = old.id and deleted_at is null;
    return null;
  end
  $$;

create function public.tg_spaces__enqueue_sync() returns trigger
  language plpgsql security definer
  set search_path = pg_catalog, public
  as $$
  begin
    if tg_op = 'INSERT' or new.version <> old.version then
      perform public.spacesync_enqueue_sync(new.id);
    end if;
    return null;
  end
  $$;

create trigger _100_bump_version before update on public.spaces
  for each row execute function public.tg_spaces__bump_version();
create trigger _100_soft_delete before delete on public.spaces
  for each row execute function public.tg_spaces__soft_delete();
create trigger _900_enqueue_sync after insert or update on public.spaces
  for each row execute function public.tg_spaces__enqueue_sync();

create function public.tg_space_prices__defaults() returns trigger
  language plpgsql
  as $$
  begin
    if new.lookup_key is null then
      -- Stable for the row's whole life: a new Stripe price takes it over on every price change.
      new.lookup_key := 'spacesync_' || replace(new.space_id::text, '-', '') || '_' || new.pricing_type
        || '_' || new.currency || '_' || substr(replace(new.id::text, '-', ''), 1, 8);
    end if;
    return new;
  end
  $$;

create function public.tg_space_prices__touch() returns trigger
  language plpgsql
  as $$
  begin
    if public.spacesync_price_content(new) is distinct from public.spacesync_price_content(old) then
      new.updated_at := now();
    end if;
    return new;
  end
  $$;

create function public.tg_space_prices__soft_delete() returns trigger
  language plpgsql
  as $$
  begin
    if current_setting('spacesync.hard_delete', true) = 'on' then
      return old;
    end if;
    update public.space_prices set deleted_at = now() where id = old.id and deleted_at is null;
    return null;
  end
  $$;

-- A price's content change is a change of its space: bump the space's version and enqueue.
create function public.spacesync_bump_space(space_id uuid) returns void
  language sql volatile security definer
  set search_path = pg_catalog, public
  as $$
    update public.spaces
       set version = version + 1, updated_at = now(), sync_status = 'pending'
     where id = space_id
  $$;

revoke all on function public.spacesync_bump_space(uuid) from public;

create function public.tg_space_prices__bump_space() returns trigger
  language plpgsql security definer
  set search_path = pg_catalog, public
  as $$
  begin
    if tg_op = 'INSERT' then
      perform public.spacesync_bump_space(new.space_id);
    elsif tg_op = 'DELETE' then
      perform public.spacesync_bump_space(old.space_id);
    elsif public.spacesync_price_content(new) is distinct from public.spacesync_price_content(old) then
      perform public.spacesync_bump_space(new.space_id);
      if new.space_id <> old.space_id then
        perform public.spacesync_bump_space(old.space_id);
      end if;
    end if;
    return null;
  end
  $$;

create trigger _100_defaults before insert on public.space_prices
  for each row execute function public.tg_space_prices__defaults();
create trigger _100_touch before update on public.space_prices
  for each row execute function public.tg_space_prices__touch();
create trigger _100_soft_delete before delete on public.space_prices
  for each row execute function public.tg_space_prices__soft_delete();
create trigger _900_bump_space after insert or update or delete on public.space_prices
  for each row execute function public.tg_space_prices__bump_space();

-- Row level security: everyone reads live spaces and their live prices; only admins write.
alter table public.spaces enable row level security;
alter table public.space_prices enable row level security;

grant select on public.spaces, public.space_prices to anon, authenticated;
grant insert, update, delete on public.spaces, public.space_prices to authenticated;
grant all on public.spaces, public.space_prices to service_role;

create policy spaces_read_live on public.spaces for select to anon, authenticated
  using (deleted_at is null and active);
create policy spaces_admin_read on public.spaces for select to authenticated
  using (public.is_admin());
create policy spaces_admin_insert on public.spaces for insert to authenticated
  with check (public.is_admin());
create policy spaces_admin_update on public.spaces for update to authenticated
  using (public.is_admin()) with check (public.is_admin());
create policy spaces_admin_delete on public.spaces for delete to authenticated
  using (public.is_admin());

create policy space_prices_read_live on public.space_prices for select to anon, authenticated
  using (
    deleted_at is null and active
    and exists (select 1 from public.spaces s where s.id = space_id and s.deleted_at is null and s.active)
  );
create policy space_prices_admin_read on public.space_prices for select to authenticated
  using (public.is_admin());
create policy space_prices_admin_insert on public.space_prices for insert to authenticated
  with check (public.is_admin());
create policy space_prices_admin_update on public.space_prices for update to authenticated
  using (public.is_admin()) with check (public.is_admin());
create policy space_prices_admin_delete on public.space_prices for delete to authenticated
  using (public.is_admin());
