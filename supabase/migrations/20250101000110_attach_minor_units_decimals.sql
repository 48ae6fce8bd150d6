-- spacesync migration 000110_attach_minor_units_decimals: src/db/migrations/000110_attach_minor_units_decimals.sql, written by `spacesync supabase install`.
-- Do not edit: a later install adds the migrations that came after it.
--
-- Recorded in public.spacesync_migrations as spacesync migrate records it, so a spacesync process
-- started against this database (the worker, say) finds nothing left to do.

do $spacesync$
begin
  if to_regclass('public.spacesync_migrations') is not null then
    if exists (select 1 from public.spacesync_migrations where id = 110) then
      raise exception 'spacesync migration 000110_attach_minor_units_decimals was already applied by spacesync migrate'
        using hint = 'Mark it applied for the Supabase CLI instead: supabase migration repair --status applied 20250101000110 (docs/INSTALL.md, "A database spacesync migrate already set up")';
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
insert into public.spacesync_migrations (id, name) values (110, 'attach_minor_units_decimals');

-- ---- src/db/migrations/000110_attach_minor_units_decimals.sql ----
-- spacesync_attach_minor_units counts a currency's decimals with spacesync_currency_decimals, the
-- one SQL list of zero- and three-decimal currencies (src/catalog/currencies.ts is the TypeScript one).
create or replace function public.spacesync_attach_minor_units(amount numeric, units text, currency text, what text) returns bigint
  language plpgsql immutable
  set search_path = pg_catalog
  as $$
  declare
    decimals integer := case when units = 'minor' then 0 else public.spacesync_currency_decimals(currency) end;
    scaled numeric;
  begin
    if amount is null then
      return null;
    end if;
    scaled := amount * (10::numeric ^ decimals);
    if scaled <> trunc(scaled) then
      raise exception using errcode = '22023',
        message = format('%s = %s has more than %s decimals for %s', what, amount, decimals, currency),
        hint = 'Round the amount, or map a column in minor units ("units": "minor").';
    end if;
    if scaled < 0 or scaled > 99999999 then
      raise exception using errcode = '22003',
        message = format('%s = %s is out of Stripe''s range for a price (0 to 99999999 minor units of %s)', what, amount, currency),
        hint = case when units = 'major' then 'Check that the column holds major units (12.50), not minor units (1250).'
                    else 'Check that the column holds minor units (1250), not a larger scale.' end;
    end if;
    return scaled::bigint;
  end
  $$;
