-- What the triggers `spacesync attach` creates on an app's tables call: the mapping-specific part
-- (which column is the name, which expression the location…) is generated per source
-- (src/attach/renderAttachSql.ts) and hands its values here as jsonb; these functions, the same for
-- every source, keep `spaces` and `space_prices` in step with them. They write only when a value
-- changed, so the catalog's own triggers (version bump, outbox, change log) see exactly the edits
-- the app made. Internal: no API role may call them.

-- Major or minor units of the app's column → Stripe's minor units, refused (naming `what`, e.g.
-- "public.rooms.hourly_rate") when it does not fit the currency or Stripe's range.
create function public.spacesync_attach_minor_units(amount numeric, units text, currency text, what text) returns bigint
  language plpgsql immutable
  set search_path = pg_catalog
  as $$
  declare
    decimals integer := case
      when units = 'minor' then 0
      when currency = any ('{bif,clp,djf,gnf,jpy,kmf,krw,mga,pyg,rwf,ugx,vnd,vuv,xaf,xof,xpf}'::text[]) then 0
      when currency = any ('{bhd,jod,kwd,omr,tnd}'::text[]) then 3
      else 2 end;
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

-- One price row of an attached space, found by its source key (a rates row's key or a price
-- column's name): absent amount → the live row is deleted (archived in Stripe), otherwise inserted
-- or updated where something differs.
create function public.spacesync_attach_put_price(
  p_space_id uuid, p_source_key text, p_pricing_type text, p_unit_amount bigint, p_currency text,
  p_recurring_interval text, p_active boolean, p_position integer
) returns void
  language plpgsql volatile security definer
  set search_path = pg_catalog, public
  as $$
  declare
    existing uuid;
  begin
    select p.id into existing from public.space_prices p
     where p.space_id = p_space_id and p.source_key = p_source_key and p.deleted_at is null;
    if p_unit_amount is null then
      if existing is not null then
        delete from public.space_prices where id = existing;
      end if;
      return;
    end if;
    if existing is null then
      insert into public.space_prices (space_id, source_key, pricing_type, unit_amount, currency, recurring_interval, active, position)
      values (p_space_id, p_source_key, p_pricing_type, p_unit_amount, p_currency, p_recurring_interval, p_active, coalesce(p_position, 0))
      on conflict (space_id, source_key) where source_key is not null and deleted_at is null do nothing;
      if found then
        return;
      end if;
      -- Inserted meanwhile by another transaction (a backfill beside the app's own write): update it.
      select p.id into existing from public.space_prices p
       where p.space_id = p_space_id and p.source_key = p_source_key and p.deleted_at is null;
    end if;
    if existing is not null then
      update public.space_prices p
         set pricing_type = p_pricing_type, unit_amount = p_unit_amount, currency = p_currency,
             recurring_interval = p_recurring_interval, active = p_active, position = coalesce(p_position, p.position)
       where p.id = existing
         and (p.pricing_type, p.unit_amount, p.currency, p.recurring_interval, p.active, p.position)
             is distinct from (p_pricing_type, p_unit_amount, p_currency, p_recurring_interval, p_active, coalesce(p_position, p.position));
    end if;
  end
  $$;

-- Re-raises a catalog constraint's refusal with the source row it came from, so the app's failed
-- write says which row and what to fix.
create function public.spacesync_attach_refuse(p_source text, p_key text, p_message text, p_state text) returns void
  language plpgsql volatile
  set search_path = pg_catalog, public
  as $$
  declare
    src record;
  begin
    select s.source_table, s.mapping ->> 'key' as key into src from public.spacesync_sources s where s.name = p_source;
    raise exception using errcode = p_state,
      message = format('spacesync cannot take %s row %s = %s into its catalog: %s',
                       coalesce(src.source_table, p_source), coalesce(src.key, 'key'), p_key, p_message),
      hint = 'Fix the row''s mapped values (see the mapping of source "' || p_source || '"), or detach the source: spacesync detach --source ' || p_source;
  end
  $$;

-- The space of source row `p_key`: `v` = {"space": {mapped fields only}, "deleted": bool,
-- "prices": [{"key", "pricing_type", "amount", "units", "recurring_interval", "what"}] (column
-- prices; absent for a rates table)}. Unmapped fields are left as they are (defaults on insert).
-- A deleted row soft-deletes its space; a row no longer deleted restores it. Returns the space id.
create function public.spacesync_attach_apply(p_source text, p_key text, v jsonb) returns uuid
  language plpgsql volatile security definer
  set search_path = pg_catalog, public
  as $$
  declare
    s jsonb := coalesce(v -> 'space', '{}');
    deleted boolean := coalesce((v ->> 'deleted')::boolean, false);
    sp public.spaces;
    n_images text[] := case when s ? 'images' then array(select jsonb_array_elements_text(coalesce(nullif(s -> 'images', 'null'), '[]'))) end;
    n_metadata jsonb := case when s ? 'metadata' then jsonb_strip_nulls(s -> 'metadata') end;
    price record;
    keys text[] := '{}';
    inserted boolean := false;
  begin
    select * into sp from public.spaces where source = p_source and source_key = p_key;
    if not found then
      if deleted then
        return null; -- never in the catalog: nothing to archive
      end if;
      insert into public.spaces (source, source_key, name, description, kind, capacity, location, images, active, currency, metadata)
      values (
        p_source, p_key, s ->> 'name', s ->> 'description', coalesce(s ->> 'kind', 'meeting_room'),
        (s ->> 'capacity')::integer, s ->> 'location', coalesce(n_images, '{}'), coalesce((s ->> 'active')::boolean, true),
        coalesce(lower(s ->> 'currency'), 'eur'), coalesce(n_metadata, '{}')
      )
      on conflict (source, source_key) where source is not null do nothing
      returning * into sp;
      inserted := found;
      if not inserted then
        -- Inserted meanwhile by another transaction (a backfill beside the app's own write).
        select * into sp from public.spaces where source = p_source and source_key = p_key;
      end if;
    end if;
    if not inserted then
      update public.spaces t set
        name = case when s ? 'name' then s ->> 'name' else t.name end,
        description = case when s ? 'description' then s ->> 'description' else t.description end,
        kind = case when s ? 'kind' then s ->> 'kind' else t.kind end,
        capacity = case when s ? 'capacity' then (s ->> 'capacity')::integer else t.capacity end,
        location = case when s ? 'location' then s ->> 'location' else t.location end,
        images = coalesce(n_images, t.images),
        active = case when s ? 'active' then (s ->> 'active')::boolean else t.active end,
        currency = case when s ? 'currency' then lower(s ->> 'currency') else t.currency end,
        metadata = coalesce(n_metadata, t.metadata),
        deleted_at = case when deleted then coalesce(t.deleted_at, now()) end
      where t.id = sp.id
        and (t.name, t.description, t.kind, t.capacity, t.location, t.images, t.active, t.currency, t.metadata, t.deleted_at is null)
            is distinct from (
              case when s ? 'name' then s ->> 'name' else t.name end,
              case when s ? 'description' then s ->> 'description' else t.description end,
              case when s ? 'kind' then s ->> 'kind' else t.kind end,
              case when s ? 'capacity' then (s ->> 'capacity')::integer else t.capacity end,
              case when s ? 'location' then s ->> 'location' else t.location end,
              coalesce(n_images, t.images),
              case when s ? 'active' then (s ->> 'active')::boolean else t.active end,
              case when s ? 'currency' then lower(s ->> 'currency') else t.currency end,
              coalesce(n_metadata, t.metadata),
              not deleted)
      returning * into sp;
      if not found then
        select * into sp from public.spaces where source = p_source and source_key = p_key;
      end if;
    end if;

    if v ? 'prices' then
      for price in
        select x.key, x.pricing_type, x.amount, x.units, x.recurring_interval, x.what, x.ord
          from rows from (jsonb_to_recordset(v -> 'prices')
                 as (key text, pricing_type text, amount numeric, units text, recurring_interval text, what text))
               with ordinality as x(key, pricing_type, amount, units, recurring_interval, what, ord)
      loop
        keys := keys || price.key;
        perform public.spacesync_attach_put_price(
          sp.id, price.key, price.pricing_type,
          public.spacesync_attach_minor_units(price.amount, price.units, sp.currency, price.what),
          sp.currency, price.recurring_interval, true, (price.ord - 1)::integer);
      end loop;
      -- A price column no longer in the mapping: its price goes.
      delete from public.space_prices p
       where p.space_id = sp.id and p.source_key is not null and p.deleted_at is null and not (p.source_key = any (keys));
    end if;
    return sp.id;
  exception
    when check_violation or not_null_violation or invalid_text_representation or numeric_value_out_of_range
      or invalid_parameter_value or string_data_right_truncation then
      perform public.spacesync_attach_refuse(p_source, p_key, sqlerrm, sqlstate);
      return null;
  end
  $$;

-- One rates row → one price of the space of `p_space_key`: `v` = {"pricing_type", "amount", "units",
-- "currency", "recurring_interval", "active", "deleted", "what"}. A deleted (or soft-deleted) rate,
-- or one without an amount, archives its price.
create function public.spacesync_attach_apply_rate(p_source text, p_space_key text, p_rate_key text, v jsonb) returns void
  language plpgsql volatile security definer
  set search_path = pg_catalog, public
  as $$
  declare
    sp public.spaces;
    currency text;
    deleted boolean := coalesce((v ->> 'deleted')::boolean, false);
  begin
    select * into sp from public.spaces where source = p_source and source_key = p_space_key;
    if not found then
      return; -- its space is not in the catalog (yet): the space's own row brings its rates in
    end if;
    currency := coalesce(lower(v ->> 'currency'), sp.currency);
    perform public.spacesync_attach_put_price(
      sp.id, p_rate_key, v ->> 'pricing_type',
      case when deleted then null
           else public.spacesync_attach_minor_units((v ->> 'amount')::numeric, v ->> 'units', currency, v ->> 'what') end,
      currency, v ->> 'recurring_interval', coalesce((v ->> 'active')::boolean, true), null);
  exception
    when check_violation or not_null_violation or invalid_text_representation or numeric_value_out_of_range
      or invalid_parameter_value or string_data_right_truncation then
      perform public.spacesync_attach_refuse(p_source, p_space_key, format('rate %s: %s', p_rate_key, sqlerrm), sqlstate);
  end
  $$;

-- The Stripe ids and sync status an attached source may copy back into the app's row.
create function public.spacesync_attach_write_back_values(p_space_id uuid) returns jsonb
  language sql stable security definer
  set search_path = pg_catalog, public
  as $$
    select jsonb_build_object(
      'product_id', s.stripe_product_id,
      'default_price_id', (select p.stripe_price_id from public.space_prices p
                            where p.space_id = s.id and p.is_default and p.active and p.deleted_at is null limit 1),
      'status', s.sync_status)
      from public.spaces s where s.id = p_space_id
  $$;

revoke all on function public.spacesync_attach_minor_units(numeric, text, text, text) from public, anon, authenticated;
revoke all on function public.spacesync_attach_put_price(uuid, text, text, bigint, text, text, boolean, integer) from public, anon, authenticated;
revoke all on function public.spacesync_attach_refuse(text, text, text, text) from public, anon, authenticated;
revoke all on function public.spacesync_attach_apply(text, text, jsonb) from public, anon, authenticated;
revoke all on function public.spacesync_attach_apply_rate(text, text, text, jsonb) from public, anon, authenticated;
revoke all on function public.spacesync_attach_write_back_values(uuid) from public, anon, authenticated;
