-- spacesync migration 000010_api_stream_rpcs: src/db/migrations/000010_api_stream_rpcs.sql, written by `spacesync supabase install`.
-- Do not edit: a later install adds the migrations that came after it.
--
-- Recorded in public.spacesync_migrations as spacesync migrate records it, so a spacesync process
-- started against this database (the worker, say) finds nothing left to do.

do $spacesync$
begin
  if to_regclass('public.spacesync_migrations') is not null then
    if exists (select 1 from public.spacesync_migrations where id = 10) then
      raise exception 'spacesync migration 000010_api_stream_rpcs was already applied by spacesync migrate'
        using hint = 'Mark it applied for the Supabase CLI instead: supabase migration repair --status applied 20250101000010 (docs/INSTALL.md, "A database spacesync migrate already set up")';
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
insert into public.spacesync_migrations (id, name) values (10, 'api_stream_rpcs');

-- ---- src/db/migrations/000010_api_stream_rpcs.sql ----
-- What the API needs beyond the catalog: live status notifications for the SSE stream, RPCs that
-- return what they started (catalog run, drift resolution), and the ordering facts of webhook events.

-- Live status: one channel, `spacesync_status`, payload {"type": "space"|"catalog_run"|"log", "data": {...}}.
-- Payloads stay far below pg_notify's 8000 bytes: long texts are cut.
create function public.spacesync_notify_status(kind text, data jsonb) returns void
  language sql volatile
  as $$
    select pg_notify('spacesync_status', json_build_object('type', kind, 'data', data)::text)
  $$;

create function public.tg_spaces__notify_status() returns trigger
  language plpgsql
  as $$
  begin
    if tg_op = 'UPDATE'
       and new.sync_status is not distinct from old.sync_status
       and new.version is not distinct from old.version
       and new.synced_version is not distinct from old.synced_version
       and new.last_error is not distinct from old.last_error
       and new.last_synced_at is not distinct from old.last_synced_at
       and new.stripe_product_id is not distinct from old.stripe_product_id
       and new.sync_attempt is not distinct from old.sync_attempt
       and new.deleted_at is not distinct from old.deleted_at then
      return null;
    end if;
    perform public.spacesync_notify_status('space', jsonb_build_object(
      'id', new.id,
      'sync_status', new.sync_status,
      'version', new.version,
      'synced_version', new.synced_version,
      'last_error', left(new.last_error, 2000),
      'last_synced_at', new.last_synced_at,
      'stripe_product_id', new.stripe_product_id,
      'sync_attempt', new.sync_attempt,
      'deleted_at', new.deleted_at
    ));
    return null;
  end
  $$;

create trigger _950_notify_status after insert or update on public.spaces
  for each row execute function public.tg_spaces__notify_status();

create function public.tg_catalog_runs__notify_status() returns trigger
  language plpgsql
  as $$
  begin
    if tg_op = 'UPDATE'
       and new.status is not distinct from old.status
       and new.total is not distinct from old.total
       and new.done is not distinct from old.done
       and new.failed is not distinct from old.failed
       and new.calls is not distinct from old.calls then
      return null;
    end if;
    perform public.spacesync_notify_status('catalog_run', jsonb_build_object(
      'id', new.id, 'status', new.status, 'total', new.total, 'done', new.done, 'failed', new.failed, 'calls', new.calls
    ));
    return null;
  end
  $$;

create trigger _950_notify_status after insert or update on public.catalog_runs
  for each row execute function public.tg_catalog_runs__notify_status();

create function public.tg_application_logs__notify_status() returns trigger
  language plpgsql
  as $$
  begin
    perform public.spacesync_notify_status('log', jsonb_build_object(
      'id', new.id, 'level', new.level, 'source', left(new.source, 200), 'event', left(new.event, 200),
      'space_id', new.space_id, 'message', left(new.message, 2000), 'created_at', new.created_at
    ));
    return null;
  end
  $$;

create trigger _950_notify_status after insert on public.application_logs
  for each row execute function public.tg_application_logs__notify_status();

-- Starts a catalog run (plan only when dry_run) and says which: {run_id, job_id}. Admins only.
create function public.start_catalog_run(dry_run boolean) returns jsonb
  language plpgsql volatile security definer
  set search_path = pg_catalog, public
  as $$
  declare
    run_id uuid;
    job_id bigint;
  begin
    if not public.is_admin() then
      raise exception 'only an admin can sync the catalog with Stripe'
        using errcode = 'insufficient_privilege',
              hint = 'Sign in with an account whose app_metadata.role is admin.';
    end if;
    if dry_run is null then
      raise exception 'dry_run must be true (plan only) or false (apply)'
        using errcode = 'null_value_not_allowed';
    end if;
    insert into public.catalog_runs (dry_run, requested_by)
      values (start_catalog_run.dry_run, auth.uid())
      returning id into run_id;
    select (graphile_worker.add_job(
      'sync_catalog',
      json_build_object('run_id', run_id, 'dry_run', start_catalog_run.dry_run),
      max_attempts => 5
    )).id into job_id;
    return jsonb_build_object('run_id', run_id, 'job_id', job_id);
  end
  $$;

revoke all on function public.start_catalog_run(boolean) from public;
grant execute on function public.start_catalog_run(boolean) to anon, authenticated, service_role;

-- The RPC of migration 000004 starts its run the same way: one body for both.
create or replace function public.sync_catalog_with_stripe(dry_run boolean default true) returns bigint
  language sql volatile security definer
  set search_path = pg_catalog, public
  as $$ select (public.start_catalog_run(dry_run) ->> 'job_id')::bigint $$;

-- Resolves a space's drift now. 'enforce': a forced sync makes Stripe match the catalog again.
-- 'adopt': Stripe's name, description and active (as recorded in spaces.drift) are copied into the
-- catalog, which is a content edit, then the space is synced. Returns the sync job's id. Admins only.
create function public.resolve_space_drift(space_id uuid, action text) returns bigint
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
    select (graphile_worker.add_job(
      'sync_space',
      json_build_object('space_id', s.id, 'force', true, 'source', 'drift'),
      job_key => 'sync_space:' || s.id::text,
      max_attempts => 25
    )).id into job_id;
    return job_id;
  end
  $$;

revoke all on function public.resolve_space_drift(uuid, text) from public;
grant execute on function public.resolve_space_drift(uuid, text) to anon, authenticated, service_role;

-- Ordering of webhook events: the object's own `updated` (products have it; prices do not), so an
-- older event never overwrites what a newer one told us.
alter table public.stripe_events add column object_updated timestamptz;

create index stripe_events_object_processed_idx on public.stripe_events (object_id, object_updated desc, event_created desc)
  where status in ('processed', 'ignored');
