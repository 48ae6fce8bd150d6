-- spacesync migration 000003_logs_events_users: src/db/migrations/000003_logs_events_users.sql, written by `spacesync supabase install`.
-- Do not edit: a later install adds the migrations that came after it.
--
-- Recorded in public.spacesync_migrations as spacesync migrate records it, so a spacesync process
-- started against this database (the worker, say) finds nothing left to do.

do $spacesync$
begin
  if to_regclass('public.spacesync_migrations') is not null then
    if exists (select 1 from public.spacesync_migrations where id = 3) then
      raise exception 'spacesync migration 000003_logs_events_users was already applied by spacesync migrate'
        using hint = 'Mark it applied for the Supabase CLI instead: supabase migration repair --status applied 20250101000003 (docs/INSTALL.md, "A database spacesync migrate already set up")';
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
insert into public.spacesync_migrations (id, name) values (3, 'logs_events_users');

-- ---- src/db/migrations/000003_logs_events_users.sql ----
-- What the sync did (application_logs), what Stripe told us (stripe_events), catalog runs, and the
-- local users of the embedded login.

create table public.application_logs (
  id bigint generated always as identity primary key,
  created_at timestamptz not null default now(),
  level text not null default 'info',
  source text not null,
  event text not null,
  -- No foreign key: a space's history outlives the space.
  space_id uuid,
  message text not null,
  context jsonb not null default '{}',
  duration_ms numeric(12, 3),
  stripe_request_id text,
  job_id bigint,
  constraint application_logs_level_valid check (level in ('debug', 'info', 'warn', 'error'))
);

create index application_logs_created_at_idx on public.application_logs (created_at desc, id desc);
create index application_logs_space_id_idx on public.application_logs (space_id, created_at desc) where space_id is not null;

create table public.stripe_events (
  id text primary key,
  type text not null,
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  status text not null default 'received',
  object_id text,
  event_created timestamptz,
  livemode boolean not null default false,
  payload jsonb not null,
  result jsonb,
  error text,
  constraint stripe_events_status_valid check (status in ('received', 'processed', 'ignored', 'failed'))
);

create index stripe_events_object_id_idx on public.stripe_events (object_id, event_created desc);
create index stripe_events_received_at_idx on public.stripe_events (received_at desc);

create table public.catalog_runs (
  id uuid primary key default gen_random_uuid(),
  dry_run boolean not null,
  status text not null default 'queued',
  requested_by uuid,
  plan jsonb,
  total integer not null default 0,
  done integer not null default 0,
  failed integer not null default 0,
  calls integer not null default 0,
  error text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  constraint catalog_runs_status_valid check (status in ('queued', 'planning', 'planned', 'applying', 'done', 'failed'))
);

create table public.users (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  password_hash text not null,
  role text not null default 'user',
  created_at timestamptz not null default now(),
  constraint users_email_valid check (email ~ '^[^@\s]+@[^@\s]+$' and length(email) <= 320),
  constraint users_role_valid check (role in ('admin', 'user'))
);

create unique index users_email_idx on public.users (lower(email));

alter table public.application_logs enable row level security;
alter table public.stripe_events enable row level security;
alter table public.catalog_runs enable row level security;
alter table public.users enable row level security;

-- Admins read logs, events and runs; the worker writes them with its own connection.
grant select on public.application_logs, public.stripe_events, public.catalog_runs to authenticated;
grant all on public.application_logs, public.stripe_events, public.catalog_runs to service_role;

create policy application_logs_admin_read on public.application_logs for select to authenticated
  using (public.is_admin());
create policy stripe_events_admin_read on public.stripe_events for select to authenticated
  using (public.is_admin());
create policy catalog_runs_admin_read on public.catalog_runs for select to authenticated
  using (public.is_admin());

-- Password hashes are readable by no API role, the service role included.
revoke all on public.users from anon, authenticated, service_role;
