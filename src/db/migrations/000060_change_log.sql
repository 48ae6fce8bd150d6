-- Live changes as a log the stream reads, not as NOTIFY payloads it trusts. Every change of a space
-- (any column, insert, soft or hard delete), of its prices, of a catalog run, every new log line and
-- every drift recorded adds one row here, in the writer's own transaction, numbered by a bigserial.
-- The NOTIFY on `spacesync_status` that follows carries that number only: it is a wake-up, not data.
-- Whoever can send a NOTIFY on the channel (any role can) only makes the stream read this table again,
-- as its owner; what it then sends is re-read from the tables, so a forged payload reaches no one.
-- The numbers are the SSE event ids: a client that reconnects, to any process, resumes right after
-- the last one it saw (Last-Event-ID). Rows older than a day are pruned (spacesync_prune_changes).
create table public.spacesync_changes (
  id bigserial primary key,
  created_at timestamptz not null default now(),
  kind text not null,
  entity_id text not null,
  constraint spacesync_changes_kind_valid check (kind in ('space', 'catalog_run', 'log', 'drift'))
);

create index spacesync_changes_created_at_idx on public.spacesync_changes (created_at);

-- Internal: no API role reads or writes it (the stream reads it with the server's own connection).
alter table public.spacesync_changes enable row level security;
revoke all on public.spacesync_changes from public, anon, authenticated, service_role;
revoke all on sequence public.spacesync_changes_id_seq from public, anon, authenticated, service_role;

create function public.spacesync_log_change(kind text, entity_id text) returns void
  language plpgsql volatile security definer
  set search_path = pg_catalog, public
  as $$
  declare
    change_id bigint;
  begin
    insert into public.spacesync_changes (kind, entity_id) values (kind, entity_id) returning id into change_id;
    perform pg_notify('spacesync_status', change_id::text);
  end
  $$;

revoke all on function public.spacesync_log_change(text, text) from public, anon, authenticated;

create function public.tg_spaces__log_change() returns trigger
  language plpgsql security definer
  set search_path = pg_catalog, public
  as $$
  begin
    perform public.spacesync_log_change('space', coalesce(new.id, old.id)::text);
    return null;
  end
  $$;

create function public.tg_space_prices__log_change() returns trigger
  language plpgsql security definer
  set search_path = pg_catalog, public
  as $$
  begin
    perform public.spacesync_log_change('space', coalesce(new.space_id, old.space_id)::text);
    if tg_op = 'UPDATE' and new.space_id <> old.space_id then
      perform public.spacesync_log_change('space', old.space_id::text);
    end if;
    return null;
  end
  $$;

create function public.tg_catalog_runs__log_change() returns trigger
  language plpgsql security definer
  set search_path = pg_catalog, public
  as $$
  begin
    perform public.spacesync_log_change('catalog_run', new.id::text);
    return null;
  end
  $$;

create function public.tg_application_logs__log_change() returns trigger
  language plpgsql security definer
  set search_path = pg_catalog, public
  as $$
  begin
    perform public.spacesync_log_change('log', new.id::text);
    return null;
  end
  $$;

-- The payload-carrying triggers of migration 000010 give way to the change log.
drop trigger _950_notify_status on public.spaces;
drop trigger _950_notify_status on public.catalog_runs;
drop trigger _950_notify_status on public.application_logs;

create trigger _950_log_change after insert or update or delete on public.spaces
  for each row execute function public.tg_spaces__log_change();
create trigger _950_log_change after insert or update or delete on public.space_prices
  for each row execute function public.tg_space_prices__log_change();
create trigger _950_log_change after insert or update on public.catalog_runs
  for each row execute function public.tg_catalog_runs__log_change();
create trigger _950_log_change after insert on public.application_logs
  for each row execute function public.tg_application_logs__log_change();

revoke all on function public.tg_spaces__log_change() from public, anon, authenticated;
revoke all on function public.tg_space_prices__log_change() from public, anon, authenticated;
revoke all on function public.tg_catalog_runs__log_change() from public, anon, authenticated;
revoke all on function public.tg_application_logs__log_change() from public, anon, authenticated;

-- Forgets changes older than `keep` (a client away longer reloads instead of resuming). Returns how many.
create function public.spacesync_prune_changes(keep interval default interval '1 day') returns bigint
  language sql volatile security definer
  set search_path = pg_catalog, public
  as $$
    with gone as (delete from public.spacesync_changes where created_at < now() - keep returning 1)
    select count(*) from gone
  $$;

revoke all on function public.spacesync_prune_changes(interval) from public, anon, authenticated;
