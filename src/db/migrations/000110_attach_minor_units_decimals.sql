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
