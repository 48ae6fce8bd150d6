-- spacesync migration 000040_price_defaults: src/db/migrations/000040_price_defaults.sql, written by `spacesync supabase install`.
-- Do not edit: a later install adds the migrations that came after it.
--
-- Recorded in public.spacesync_migrations as spacesync migrate records it, so a spacesync process
-- started against this database (the worker, say) finds nothing left to do.

do $spacesync$
begin
  if to_regclass('public.spacesync_migrations') is not null then
    if exists (select 1 from public.spacesync_migrations where id = 40) then
      raise exception 'spacesync migration 000040_price_defaults was already applied by spacesync migrate'
        using hint = 'Mark it applied for the Supabase CLI instead: supabase migration repair --status applied 20250101000040 (docs/INSTALL.md, "A database spacesync migrate already set up")';
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
insert into public.spacesync_migrations (id, name) values (40, 'price_defaults');

-- ---- src/db/migrations/000040_price_defaults.sql ----
-- Two defaults a price row takes from its space and from Stripe:
-- * a row inserted without a currency takes its space's;
-- * `is_default` says which row is the product's default price in Stripe: the flagged live row, and
--   when none is flagged, the first live one (position, created_at, id), exactly as the sync chooses
--   it (src/catalog/desiredState.ts). So exactly one live row of a space with live rows is flagged:
--   the first row inserted becomes the default, flagging another row unflags the former default, and
--   archiving or deleting the default row hands the flag to the first live row left.

create function public.tg_space_prices__currency_default() returns trigger
  language plpgsql security definer
  set search_path = pg_catalog, public
  as $$
  begin
    if new.currency is null then
      select s.currency into new.currency from public.spaces s where s.id = new.space_id;
    end if;
    return new;
  end
  $$;

-- Before _100_defaults, which puts the currency in the lookup key.
create trigger _050_currency_default before insert or update of currency on public.space_prices
  for each row execute function public.tg_space_prices__currency_default();

create function public.tg_space_prices__default_flag() returns trigger
  language plpgsql security definer
  set search_path = pg_catalog, public
  as $$
  begin
    if new.deleted_at is not null or not new.active then
      new.is_default := false;
    elsif not new.is_default and not exists (
      select 1 from public.space_prices p
       where p.space_id = new.space_id and p.id <> new.id and p.is_default and p.active and p.deleted_at is null
    ) then
      -- No other live default: this row is (or stays) Stripe's default price.
      new.is_default := true;
    end if;
    return new;
  end
  $$;

create trigger _200_default_flag before insert or update on public.space_prices
  for each row execute function public.tg_space_prices__default_flag();

-- Flagging a row unflags the former default, at once.
create function public.tg_space_prices__one_default() returns trigger
  language plpgsql security definer
  set search_path = pg_catalog, public
  as $$
  begin
    update public.space_prices set is_default = false
     where space_id = new.space_id and id <> new.id and is_default;
    return null;
  end
  $$;

create trigger _800_one_default after insert or update of is_default on public.space_prices
  for each row when (new.is_default) execute function public.tg_space_prices__one_default();

-- A space left without a live default (its default archived or deleted) hands the flag to its first
-- live row when the transaction commits. Deferred: a statement that deletes several rows of a space
-- soft-deletes each through an UPDATE of its own, and a row-level hand-over in the middle of it would
-- touch rows that statement has still to visit.
create function public.tg_space_prices__default_handover() returns trigger
  language plpgsql security definer
  set search_path = pg_catalog, public
  as $$
  declare
    space uuid := coalesce(new.space_id, old.space_id);
  begin
    if not exists (
      select 1 from public.space_prices p where p.space_id = space and p.is_default and p.active and p.deleted_at is null
    ) then
      update public.space_prices set is_default = true
       where id = (
         select p.id from public.space_prices p
          where p.space_id = space and p.active and p.deleted_at is null
          order by p.position, p.created_at, p.id
          limit 1
       );
    end if;
    return null;
  end
  $$;

create constraint trigger _810_default_handover after update of is_default, active, deleted_at or delete on public.space_prices
  deferrable initially deferred
  for each row execute function public.tg_space_prices__default_handover();

revoke all on function public.tg_space_prices__currency_default() from public, anon, authenticated;
revoke all on function public.tg_space_prices__default_flag() from public, anon, authenticated;
revoke all on function public.tg_space_prices__one_default() from public, anon, authenticated;
revoke all on function public.tg_space_prices__default_handover() from public, anon, authenticated;

-- Existing spaces: flag the row the sync already made the default. Stripe has it already, so this is
-- not a content change to sync (the version is left alone).
alter table public.space_prices disable trigger _900_bump_space;
update public.space_prices p set is_default = true
 where p.id in (
   select distinct on (q.space_id) q.id from public.space_prices q
    where q.active and q.deleted_at is null
      and not exists (select 1 from public.space_prices d where d.space_id = q.space_id and d.is_default and d.active and d.deleted_at is null)
    order by q.space_id, q.position, q.created_at, q.id
 );
alter table public.space_prices enable trigger _900_bump_space;
