-- Edits of an attached space made by an admin (the API, the admin UI) go to the app's own row, not
-- to `spaces`: the app is the source of truth for attached rows. These functions apply such an edit
-- through the mapping stored in spacesync_sources; the triggers `spacesync attach` put on the app's
-- tables then bring `spaces` and `space_prices` in step, in the same transaction.
--
-- Only what the mapping reads from a plain column can be written back. A field mapped by an SQL
-- expression or a constant, or not mapped at all, is read-only: changing it raises SQLSTATE 55000
-- with the field's path (`name`, `metadata.floor`, `prices.1.currency`) as the error's COLUMN and a
-- message that says why and where to change it instead. Values equal to the current ones are not
-- changes, so a form may send every field back as it was loaded.
--
-- Identifiers are always formatted with %I; values go through jsonb_populate_record, so each one
-- is converted by the app column's own type (text, varchar, integer, numeric, enum, array, jsonb…).

-- Decimals of a currency's major unit as Stripe counts them (src/catalog/currencies.ts).
create or replace function public.spacesync_currency_decimals(code text) returns integer
  language sql immutable parallel safe
  set search_path = pg_catalog
  as $$
    select case
      when lower(code) = any ('{bif,clp,djf,gnf,jpy,kmf,krw,mga,pyg,rwf,ugx,vnd,vuv,xaf,xof,xpf}'::text[]) then 0
      when lower(code) = any ('{bhd,jod,kwd,omr,tnd}'::text[]) then 3
      else 2
    end
  $$;

-- An amount in minor units as the app's column holds it: major units (2550 EUR → 25.5) or minor.
create function public.spacesync_source_amount(unit_amount bigint, currency text, units text) returns jsonb
  language sql immutable parallel safe
  set search_path = pg_catalog, public
  as $$
    select case when units = 'minor' then to_jsonb(unit_amount)
                else to_jsonb(unit_amount::numeric / (10::numeric ^ public.spacesync_currency_decimals(currency))) end
  $$;

-- Why a field of a mapping cannot be written from spacesync, or null when it is a plain column.
create function public.spacesync_source_read_only_reason(src jsonb, field text, source_table text) returns text
  language sql immutable parallel safe
  set search_path = pg_catalog
  as $$
    select case
      when jsonb_typeof(src) = 'string' then null
      when src ? 'sql' then format('%s is read-only here: it is computed by the expression %s over %s; change it in your app', field, src ->> 'sql', source_table)
      when src ? 'value' then format('%s is read-only here: the mapping of %s sets it to the constant %s; change the mapping to edit it', field, source_table, src -> 'value')
      else format('%s is read-only here: the mapping of %s reads it from no column; map it to a column to edit it', field, source_table)
    end
  $$;

-- The value that marks a row deleted in a soft-delete column: true for a boolean, now() otherwise.
create function public.spacesync_source_deleted_value(table_schema text, table_name text, column_name text) returns jsonb
  language sql stable
  set search_path = pg_catalog
  as $$
    select case when a.atttypid = 'boolean'::regtype then 'true'::jsonb else to_jsonb(now()) end
      from pg_attribute a
     where a.attrelid = to_regclass(format('%I.%I', table_schema, table_name)) and a.attname = column_name and not a.attisdropped
  $$;

-- `update schema.table set <keys of sets> where key_column = key`, values typed by the table: the
-- number of rows changed.
create function public.spacesync_source_update(table_schema text, table_name text, key_column text, key text, sets jsonb) returns integer
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
  declare
    assignments text;
    n integer;
  begin
    select string_agg(format('%I = r.%I', k, k), ', ') into assignments from jsonb_object_keys(sets) k;
    if assignments is null then
      return 0;
    end if;
    execute format(
      'update %I.%I t set %s from jsonb_populate_record(null::%I.%I, $1) r where t.%I = (jsonb_populate_record(null::%I.%I, $2)).%I',
      table_schema, table_name, assignments, table_schema, table_name, key_column, table_schema, table_name, key_column
    ) using sets, jsonb_build_object(key_column, key);
    get diagnostics n = row_count;
    return n;
  end
  $$;

-- The attached space, locked; errors when the caller is no admin or the space is not attached now.
create function public.spacesync_source_space(space_id uuid) returns public.spaces
  language plpgsql volatile
  set search_path = pg_catalog, public
  as $$
  declare
    s public.spaces;
    src public.spacesync_sources;
  begin
    if not public.is_admin() then
      raise exception 'only an admin may edit an attached space'
        using errcode = 'insufficient_privilege', hint = 'Sign in with an account whose app_metadata.role is admin.';
    end if;
    select * into s from public.spaces x where x.id = spacesync_source_space.space_id for update;
    if not found then
      raise exception 'no space has the id %', space_id using errcode = 'no_data_found';
    end if;
    if s.source is null then
      raise exception 'this space is not attached to an app table: edit the space itself'
        using errcode = 'object_not_in_prerequisite_state';
    end if;
    select * into src from public.spacesync_sources x where x.name = s.source;
    if src.detached_at is not null then
      raise exception '% was detached on %: its spaces are no longer kept in step with %; attach it again to edit them through it', src.name, src.detached_at, src.source_table
        using errcode = 'object_not_in_prerequisite_state';
    end if;
    return s;
  end
  $$;

-- Applies the changes of the space's prices to the app's price columns or rates table: writes the
-- rates rows itself, and returns {"sets": the price columns' new values for the app row, "written":
-- whether a rates row was written}.
create function public.spacesync_source_edit_prices(s public.spaces, src public.spacesync_sources, prices jsonb, currency text) returns jsonb
  language plpgsql volatile
  set search_path = pg_catalog, public
  as $$
  declare
    m jsonb := src.mapping;
    pm jsonb := m -> 'prices';
    sets jsonb := '{}';
    p jsonb;
    i integer;
    path text;
    cp public.space_prices;
    cpj jsonb;
    spec jsonb;
    assigned text[] := '{}';
    removed uuid[];
    f text;
    price_currency text;
    rates_schema text;
    rates_table text;
    rsets jsonb;
    n integer;
    written boolean := false;
    gone record;
  begin
    if jsonb_typeof(prices) <> 'array' then
      raise exception 'prices must be the full list of the space''s prices' using errcode = 'invalid_parameter_value', column = 'prices';
    end if;
    if pm is null then
      if jsonb_array_length(prices) = 0 and not exists (select 1 from public.space_prices x where x.space_id = s.id and x.deleted_at is null) then
        return jsonb_build_object('sets', sets, 'written', false);
      end if;
      raise exception 'prices are read-only here: the mapping of % reads no prices; add "prices" to the mapping to edit them', src.source_table
        using errcode = 'object_not_in_prerequisite_state', column = 'prices';
    end if;
    if pm ? 'table' then
      rates_schema := case when pm ->> 'table' like '%.%' then split_part(pm ->> 'table', '.', 1) else 'public' end;
      rates_table := case when pm ->> 'table' like '%.%' then split_part(pm ->> 'table', '.', 2) else pm ->> 'table' end;
    end if;

    -- The live prices left out of the list, read before any write: a rates row inserted below brings
    -- its own new price through the app's trigger, which must not count as left out.
    removed := array(
      select x.id from public.space_prices x
       where x.space_id = s.id and x.deleted_at is null
         and not (x.id = any (select (e ->> 'id')::uuid from jsonb_array_elements(prices) e where jsonb_typeof(e -> 'id') = 'string')));

    for p, i in select e, o::integer - 1 from jsonb_array_elements(prices) with ordinality as t(e, o) loop
      path := format('prices.%s', i);
      cp := null;
      if p ? 'id' and jsonb_typeof(p -> 'id') = 'string' then
        select * into cp from public.space_prices x where x.id = (p ->> 'id')::uuid and x.space_id = s.id and x.deleted_at is null;
        if not found then
          raise exception '%.id: this space has no price with this id: leave id out to add a price', path
            using errcode = 'invalid_parameter_value', column = path || '.id';
        end if;
      end if;
      price_currency := coalesce(p ->> 'currency', cp.currency, currency);
      cpj := to_jsonb(cp);
      -- Attributes no mapping reads: they must stay as they are.
      if cp.id is not null then
        foreach f in array array['recurring_interval_count', 'tax_behavior', 'nickname', 'currency_options', 'lookup_key'] loop
          if p ? f and (p -> f) is distinct from (cpj -> f) then
            raise exception '%.%: read-only here: the mapping of % has no column for a price''s %', path, f, src.source_table, f
              using errcode = 'object_not_in_prerequisite_state', column = path || '.' || f;
          end if;
        end loop;
      end if;

      if pm ? 'columns' then
        -- One column per pricing type, in the space's currency.
        if cp.id is not null then
          spec := (select c from jsonb_array_elements(pm -> 'columns') c where c ->> 'column' = cp.source_key);
          if spec is null then
            raise exception '%: this price comes from no price column of %', path, src.source_table
              using errcode = 'object_not_in_prerequisite_state', column = path;
          end if;
          if p ? 'pricing_type' and p ->> 'pricing_type' is distinct from cp.pricing_type then
            raise exception '%.pricing_type: read-only here: the column % of % holds the % price; remove this price and add one of another type instead', path, spec ->> 'column', src.source_table, cp.pricing_type
              using errcode = 'object_not_in_prerequisite_state', column = path || '.pricing_type';
          end if;
          foreach f in array array['recurring_interval', 'active'] loop
            if p ? f and (p -> f) is distinct from (cpj -> f) then
              raise exception '%.%: read-only here: prices from the columns of % take it from the mapping', path, f, src.source_table
                using errcode = 'object_not_in_prerequisite_state', column = path || '.' || f;
            end if;
          end loop;
        else
          -- A free column of that type: none of the prices kept in the list reads it.
          spec := (
            select c from jsonb_array_elements(pm -> 'columns') with ordinality as t(c, o)
             where c ->> 'pricingType' = p ->> 'pricing_type'
               and not (c ->> 'column' = any (assigned))
               and not exists (select 1 from public.space_prices x where x.space_id = s.id and x.deleted_at is null
                                  and x.source_key = c ->> 'column' and (x.id = any (
                                    select (e ->> 'id')::uuid from jsonb_array_elements(prices) e where jsonb_typeof(e -> 'id') = 'string')))
             order by o limit 1
          );
          if spec is null then
            raise exception '%.pricing_type: % has no free column for a % price (its price columns: %)', path, src.source_table, p ->> 'pricing_type',
              (select string_agg(format('%s (%s)', c ->> 'column', c ->> 'pricingType'), ', ') from jsonb_array_elements(pm -> 'columns') c)
              using errcode = 'object_not_in_prerequisite_state', column = path || '.pricing_type';
          end if;
        end if;
        if price_currency is distinct from currency then
          raise exception '%.currency: prices from the columns of % are in the space''s currency (%)', path, src.source_table, upper(currency)
            using errcode = 'object_not_in_prerequisite_state', column = path || '.currency';
        end if;
        assigned := assigned || (spec ->> 'column');
        if cp.id is null or (p -> 'unit_amount') is distinct from to_jsonb(cp.unit_amount) or cp.currency is distinct from currency then
          if jsonb_typeof(p -> 'unit_amount') <> 'number' then
            raise exception '%.unit_amount: an amount in minor units is required', path using errcode = 'invalid_parameter_value', column = path || '.unit_amount';
          end if;
          sets := sets || jsonb_build_object(spec ->> 'column', public.spacesync_source_amount((p ->> 'unit_amount')::bigint, currency, spec ->> 'units'));
        end if;
      else
        -- A rates table: one row per price.
        rsets := '{}';
        if cp.id is null or p ->> 'pricing_type' is distinct from cp.pricing_type then
          rsets := rsets || jsonb_build_object(pm ->> 'pricingType', p -> 'pricing_type');
        end if;
        if price_currency is distinct from coalesce(cp.currency, currency) then
          if not pm ? 'currency' then
            raise exception '%.currency: read-only here: % has no currency column; its prices are in the space''s currency (%)', path, pm ->> 'table', upper(currency)
              using errcode = 'object_not_in_prerequisite_state', column = path || '.currency';
          end if;
          rsets := rsets || jsonb_build_object(pm ->> 'currency', price_currency);
        elsif cp.id is null and pm ? 'currency' then
          rsets := rsets || jsonb_build_object(pm ->> 'currency', price_currency);
        end if;
        if cp.id is null or (p -> 'unit_amount') is distinct from to_jsonb(cp.unit_amount) or price_currency is distinct from cp.currency then
          if jsonb_typeof(p -> 'unit_amount') <> 'number' then
            raise exception '%.unit_amount: an amount in minor units is required', path using errcode = 'invalid_parameter_value', column = path || '.unit_amount';
          end if;
          rsets := rsets || jsonb_build_object(pm ->> 'amount', public.spacesync_source_amount((p ->> 'unit_amount')::bigint, price_currency, pm ->> 'units'));
        end if;
        foreach f in array array['recurring_interval', 'active'] loop
          if p ? f and (cp.id is null or (p -> f) is distinct from (cpj -> f)) then
            if pm ? (case f when 'recurring_interval' then 'recurringInterval' else f end) then
              rsets := rsets || jsonb_build_object(pm ->> (case f when 'recurring_interval' then 'recurringInterval' else f end), p -> f);
            elsif cp.id is not null then
              raise exception '%.%: read-only here: % has no column for it', path, f, pm ->> 'table'
                using errcode = 'object_not_in_prerequisite_state', column = path || '.' || f;
            end if;
          end if;
        end loop;
        if cp.id is not null then
          n := public.spacesync_source_update(rates_schema, rates_table, pm ->> 'key', cp.source_key, rsets);
          written := written or n > 0;
          if n = 0 and rsets <> '{}' then
            raise exception '%: the row of % whose % is % is gone', path, pm ->> 'table', pm ->> 'key', cp.source_key
              using errcode = 'no_data_found', column = path;
          end if;
        else
          rsets := rsets || jsonb_build_object(pm ->> 'spaceKey', s.source_key);
          execute format('insert into %I.%I (%s) select %s from jsonb_populate_record(null::%I.%I, $1) r',
            rates_schema, rates_table,
            (select string_agg(format('%I', k), ', ') from jsonb_object_keys(rsets) k),
            (select string_agg(format('r.%I', k), ', ') from jsonb_object_keys(rsets) k),
            rates_schema, rates_table) using rsets;
          written := true;
        end if;
      end if;
    end loop;

    -- Prices left out of the list are removed: their column cleared, or their rates row deleted.
    for gone in select x.* from public.space_prices x where x.id = any (removed) and x.deleted_at is null loop
      if pm ? 'columns' then
        if gone.source_key is not null and not (gone.source_key = any (assigned))
           and exists (select 1 from jsonb_array_elements(pm -> 'columns') c where c ->> 'column' = gone.source_key) then
          sets := sets || jsonb_build_object(gone.source_key, null);
        end if;
      elsif pm ? 'softDeleteColumn' then
        written := true;
        perform public.spacesync_source_update(rates_schema, rates_table, pm ->> 'key', gone.source_key,
          jsonb_build_object(pm ->> 'softDeleteColumn', public.spacesync_source_deleted_value(rates_schema, rates_table, pm ->> 'softDeleteColumn')));
      else
        written := true;
        execute format('delete from %I.%I t where t.%I = (jsonb_populate_record(null::%I.%I, $1)).%I',
          rates_schema, rates_table, pm ->> 'key', rates_schema, rates_table, pm ->> 'key')
          using jsonb_build_object(pm ->> 'key', gone.source_key);
      end if;
    end loop;
    return jsonb_build_object('sets', sets, 'written', written);
  end
  $$;

create function public.spacesync_edit_source_row(space_id uuid, changes jsonb) returns jsonb
  language plpgsql volatile security definer
  set search_path = pg_catalog, public
  as $$
  declare
    s public.spaces;
    src public.spacesync_sources;
    m jsonb;
    cur jsonb;
    sets jsonb := '{}';
    changed text[] := '{}';
    f text;
    v jsonb;
    reason text;
    currency text;
    table_schema text;
    table_name text;
    n integer;
  begin
    s := public.spacesync_source_space(space_id);
    select * into src from public.spacesync_sources x where x.name = s.source;
    if changes is null or jsonb_typeof(changes) <> 'object' then
      raise exception 'changes must be a JSON object of the fields to change, e.g. {"name": "Room B"}'
        using errcode = 'invalid_parameter_value', column = 'changes';
    end if;
    m := src.mapping;
    cur := to_jsonb(s);
    table_schema := case when src.source_table like '%.%' then split_part(src.source_table, '.', 1) else 'public' end;
    table_name := case when src.source_table like '%.%' then split_part(src.source_table, '.', 2) else src.source_table end;

    foreach f in array array['name', 'description', 'kind', 'capacity', 'location', 'images', 'active', 'currency'] loop
      continue when not changes ? f;
      v := changes -> f;
      continue when v = cur -> f;
      reason := public.spacesync_source_read_only_reason(m -> 'fields' -> f, f, src.source_table);
      if reason is not null then
        raise exception '%', reason using errcode = 'object_not_in_prerequisite_state', column = f;
      end if;
      sets := sets || jsonb_build_object(m -> 'fields' ->> f, v);
      changed := changed || f;
    end loop;

    if changes ? 'metadata' then
      if jsonb_typeof(changes -> 'metadata') <> 'object' then
        raise exception 'metadata must be an object of keys and text values' using errcode = 'invalid_parameter_value', column = 'metadata';
      end if;
      for f in select k from jsonb_object_keys(changes -> 'metadata') k union select k from jsonb_object_keys(s.metadata) k loop
        v := changes -> 'metadata' -> f;
        continue when v is not distinct from s.metadata -> f;
        reason := public.spacesync_source_read_only_reason(m -> 'fields' -> 'metadata' -> f, 'metadata.' || f, src.source_table);
        if reason is not null then
          raise exception '%', reason using errcode = 'object_not_in_prerequisite_state', column = 'metadata.' || f;
        end if;
        sets := sets || jsonb_build_object(m -> 'fields' -> 'metadata' ->> f, coalesce(v, 'null'::jsonb));
        changed := changed || ('metadata.' || f);
      end loop;
    end if;

    currency := coalesce(changes ->> 'currency', s.currency);
    if changes ? 'prices' then
      v := public.spacesync_source_edit_prices(s, src, changes -> 'prices', currency);
      sets := sets || (v -> 'sets');
      if (v -> 'sets') <> '{}' or (v ->> 'written')::boolean then
        changed := changed || 'prices'::text;
      end if;
    end if;

    if sets <> '{}' then
      n := public.spacesync_source_update(table_schema, table_name, m ->> 'key', s.source_key, sets);
      if n = 0 then
        raise exception 'the row of % whose % is % is gone: the space will follow when the app''s triggers see it', src.source_table, m ->> 'key', s.source_key
          using errcode = 'no_data_found';
      end if;
    end if;
    return jsonb_build_object('space_id', s.id, 'source', src.name, 'source_key', s.source_key, 'table', src.source_table, 'changed', to_jsonb(changed));
  end
  $$;

create function public.spacesync_delete_source_row(space_id uuid) returns jsonb
  language plpgsql volatile security definer
  set search_path = pg_catalog, public
  as $$
  declare
    s public.spaces;
    src public.spacesync_sources;
    m jsonb;
    table_schema text;
    table_name text;
    how text;
    n integer;
  begin
    s := public.spacesync_source_space(space_id);
    select * into src from public.spacesync_sources x where x.name = s.source;
    m := src.mapping;
    table_schema := case when src.source_table like '%.%' then split_part(src.source_table, '.', 1) else 'public' end;
    table_name := case when src.source_table like '%.%' then split_part(src.source_table, '.', 2) else src.source_table end;
    if m -> 'delete' ? 'softDeleteColumn' then
      how := 'soft';
      execute format('update %I.%I t set %I = (jsonb_populate_record(null::%I.%I, $1)).%I where t.%I = (jsonb_populate_record(null::%I.%I, $2)).%I and t.%I is null',
        table_schema, table_name, m -> 'delete' ->> 'softDeleteColumn', table_schema, table_name, m -> 'delete' ->> 'softDeleteColumn',
        m ->> 'key', table_schema, table_name, m ->> 'key', m -> 'delete' ->> 'softDeleteColumn')
        using jsonb_build_object(m -> 'delete' ->> 'softDeleteColumn', public.spacesync_source_deleted_value(table_schema, table_name, m -> 'delete' ->> 'softDeleteColumn')),
              jsonb_build_object(m ->> 'key', s.source_key);
    else
      how := 'hard';
      execute format('delete from %I.%I t where t.%I = (jsonb_populate_record(null::%I.%I, $1)).%I',
        table_schema, table_name, m ->> 'key', table_schema, table_name, m ->> 'key')
        using jsonb_build_object(m ->> 'key', s.source_key);
    end if;
    get diagnostics n = row_count;
    return jsonb_build_object('space_id', s.id, 'source', src.name, 'source_key', s.source_key, 'table', src.source_table, 'delete', how, 'rows', n);
  end
  $$;

-- RPCs like sync_space_with_stripe: any API role may call them, they refuse anyone but an admin
-- themselves (42501). The helpers are internal.
revoke all on function public.spacesync_edit_source_row(uuid, jsonb) from public;
revoke all on function public.spacesync_delete_source_row(uuid) from public;
grant execute on function public.spacesync_edit_source_row(uuid, jsonb) to anon, authenticated, service_role;
grant execute on function public.spacesync_delete_source_row(uuid) to anon, authenticated, service_role;
revoke all on function public.spacesync_source_space(uuid) from public, anon, authenticated;
revoke all on function public.spacesync_source_edit_prices(public.spaces, public.spacesync_sources, jsonb, text) from public, anon, authenticated;
revoke all on function public.spacesync_source_update(text, text, text, text, jsonb) from public, anon, authenticated;
revoke all on function public.spacesync_source_deleted_value(text, text, text) from public, anon, authenticated;

-- service_role counts as an admin (is_admin()): it reads the registry like one (the API shows a
-- space's editable fields and GET /api/sources from it).
grant select on public.spacesync_sources to service_role;
