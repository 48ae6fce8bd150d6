-- spacesync migration 000061_drift_history: src/db/migrations/000061_drift_history.sql, written by `spacesync supabase install`.
-- Do not edit: a later install adds the migrations that came after it.
--
-- Recorded in public.spacesync_migrations as spacesync migrate records it, so a spacesync process
-- started against this database (the worker, say) finds nothing left to do.

do $spacesync$
begin
  if to_regclass('public.spacesync_migrations') is not null then
    if exists (select 1 from public.spacesync_migrations where id = 61) then
      raise exception 'spacesync migration 000061_drift_history was already applied by spacesync migrate'
        using hint = 'Mark it applied for the Supabase CLI instead: supabase migration repair --status applied 20250101000061 (docs/INSTALL.md, "A database spacesync migrate already set up")';
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
insert into public.spacesync_migrations (id, name) values (61, 'drift_history');

-- ---- src/db/migrations/000061_drift_history.sql ----
-- Drift as history: every drift recorded on a space (spaces.drift, written by the webhook handler)
-- is kept here, with what was done about it: `adopted` (Stripe's values copied into the catalog),
-- `enforced` (a sync made Stripe match the catalog again) or `pending` (not handled yet). A drift
-- stays flagged on its space until an admin acknowledges it.
create table public.space_drift_events (
  id bigserial primary key,
  space_id uuid not null references public.spaces (id) on delete cascade,
  detected_at timestamptz not null default now(),
  event_id text,
  object text not null,
  object_id text,
  fields jsonb not null default '[]',
  removed boolean not null default false,
  policy text,
  action text not null default 'pending',
  resolved_at timestamptz,
  acknowledged_at timestamptz,
  acknowledged_by uuid,
  constraint space_drift_events_action_valid check (action in ('pending', 'enforced', 'adopted'))
);

create index space_drift_events_space_idx on public.space_drift_events (space_id, detected_at desc);
create index space_drift_events_unacknowledged_idx on public.space_drift_events (space_id) where acknowledged_at is null;

alter table public.space_drift_events enable row level security;
grant select on public.space_drift_events to authenticated;
grant all on public.space_drift_events to service_role;
grant usage on sequence public.space_drift_events_id_seq to service_role;
create policy space_drift_events_admin_read on public.space_drift_events for select to authenticated
  using (public.is_admin());

-- A new drift on a space becomes a history row; a drift cleared by a successful sync marks what was
-- still pending as enforced.
create function public.tg_spaces__drift_history() returns trigger
  language plpgsql security definer
  set search_path = pg_catalog, public
  as $$
  declare
    d jsonb := new.drift;
    event_row bigint;
  begin
    if d is not null and d is distinct from old.drift then
      insert into public.space_drift_events (space_id, event_id, object, object_id, fields, removed, policy, action, resolved_at)
        values (new.id, d ->> 'event_id', coalesce(d ->> 'object', 'product'), d ->> 'object_id',
                coalesce(d -> 'fields', '[]'::jsonb), coalesce((d ->> 'removed')::boolean, false), d ->> 'policy',
                case when d ->> 'policy' = 'adopt' then 'adopted' else 'pending' end,
                case when d ->> 'policy' = 'adopt' then now() end)
        returning id into event_row;
      perform public.spacesync_log_change('drift', event_row::text);
    elsif d is null and old.drift is not null then
      update public.space_drift_events set action = 'enforced', resolved_at = now()
       where space_id = new.id and action = 'pending';
    end if;
    return null;
  end
  $$;

create trigger _960_drift_history after update of drift on public.spaces
  for each row execute function public.tg_spaces__drift_history();

revoke all on function public.tg_spaces__drift_history() from public, anon, authenticated;

-- The admin has seen the space's drifts: the badge goes. Returns how many were acknowledged.
create function public.acknowledge_space_drift(space_id uuid) returns integer
  language plpgsql volatile security definer
  set search_path = pg_catalog, public
  as $$
  declare
    n integer;
  begin
    if not public.is_admin() then
      raise exception 'only an admin can acknowledge drift'
        using errcode = 'insufficient_privilege',
              hint = 'Sign in with an account whose app_metadata.role is admin.';
    end if;
    update public.space_drift_events e set acknowledged_at = now(), acknowledged_by = auth.uid()
     where e.space_id = acknowledge_space_drift.space_id and e.acknowledged_at is null;
    get diagnostics n = row_count;
    if n > 0 then
      perform public.spacesync_log_change('space', acknowledge_space_drift.space_id::text);
    end if;
    return n;
  end
  $$;

revoke all on function public.acknowledge_space_drift(uuid) from public;
grant execute on function public.acknowledge_space_drift(uuid) to anon, authenticated, service_role;

-- An admin who resolves a pending drift by hand: its history row says what was chosen, and the
-- choice counts as having seen it.
create or replace function public.resolve_space_drift(space_id uuid, action text) returns bigint
  language plpgsql volatile security definer
  set search_path = pg_catalog, public
  as $$
  declare
    s public.spaces;
    f jsonb;
    job_id bigint;
  begin
    if not public.is_admin() then
      raise exception 'only an admin can resolve drift'
        using errcode = 'insufficient_privilege',
              hint = 'Sign in with an account whose app_metadata.role is admin.';
    end if;
    if action is null or action not in ('enforce', 'adopt') then
      raise exception 'action must be enforce or adopt' using errcode = 'invalid_parameter_value';
    end if;
    select * into s from public.spaces where id = resolve_space_drift.space_id for update;
    if not found then
      raise exception 'no space has the id %', space_id
        using errcode = 'no_data_found', hint = 'Check the space id.';
    end if;
    if action = 'adopt' and s.drift is not null and s.drift ->> 'object' = 'product' then
      for f in select * from jsonb_array_elements(coalesce(s.drift -> 'fields', '[]'::jsonb)) loop
        if f ->> 'field' = 'name' and jsonb_typeof(f -> 'stripe') = 'string' and length(btrim(f ->> 'stripe')) > 0 then
          update public.spaces set name = left(f ->> 'stripe', 250) where id = s.id;
        elsif f ->> 'field' = 'description' then
          update public.spaces set description = left(f ->> 'stripe', 5000) where id = s.id;
        elsif f ->> 'field' = 'active' and jsonb_typeof(f -> 'stripe') = 'boolean' then
          update public.spaces set active = (f -> 'stripe')::boolean where id = s.id;
        end if;
      end loop;
    end if;
    update public.space_drift_events e
       set action = case when resolve_space_drift.action = 'adopt' then 'adopted' else 'enforced' end,
           resolved_at = now(), acknowledged_at = coalesce(e.acknowledged_at, now()),
           acknowledged_by = coalesce(e.acknowledged_by, auth.uid())
     where e.space_id = s.id and e.action = 'pending';
    select (graphile_worker.add_job(
      'sync_space',
      json_build_object('space_id', s.id, 'force', true, 'source', 'drift'),
      job_key => 'sync_space:' || s.id::text,
      max_attempts => 25
    )).id into job_id;
    return job_id;
  end
  $$;

-- How many drifts of a space wait for an admin to see them (null for anyone else): the list's badge.
create function public.space_drift_unacknowledged(space_id uuid) returns integer
  language sql stable security definer
  set search_path = pg_catalog, public
  as $$
    select case when public.is_admin() then
      (select count(*)::int from public.space_drift_events e where e.space_id = space_drift_unacknowledged.space_id and e.acknowledged_at is null)
    end
  $$;

revoke all on function public.space_drift_unacknowledged(uuid) from public;
grant execute on function public.space_drift_unacknowledged(uuid) to anon, authenticated, service_role;
