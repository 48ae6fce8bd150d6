-- spacesync migration 000020_sync_intents: src/db/migrations/000020_sync_intents.sql, written by `spacesync supabase install`.
-- Do not edit: a later install adds the migrations that came after it.
--
-- Recorded in public.spacesync_migrations as spacesync migrate records it, so a spacesync process
-- started against this database (the worker, say) finds nothing left to do.

do $spacesync$
begin
  if to_regclass('public.spacesync_migrations') is not null then
    if exists (select 1 from public.spacesync_migrations where id = 20) then
      raise exception 'spacesync migration 000020_sync_intents was already applied by spacesync migrate'
        using hint = 'Mark it applied for the Supabase CLI instead: supabase migration repair --status applied 20250101000020 (docs/INSTALL.md, "A database spacesync migrate already set up")';
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
insert into public.spacesync_migrations (id, name) values (20, 'sync_intents');

-- ---- src/db/migrations/000020_sync_intents.sql ----
-- Write-ahead record of the Stripe create calls the sync is about to send (the sync engine's own
-- request history). A create is recorded here, in its own transaction, before it is sent, and removed
-- in the transaction that stores the id Stripe returned. A sync that finds a record left behind (the
-- worker died between Stripe's answer and our commit) first resends that exact call with its original
-- idempotency key: Stripe replays its answer, so the object is adopted, never duplicated, even when
-- the space was edited meanwhile (another version, other parameters, another key) and even though
-- Stripe's search would not show the object for up to a minute. Past 23 hours (Stripe keeps keys at
-- least 24), the record is dropped and the sync looks for the object in Stripe instead.
create table public.space_sync_intents (
  space_id uuid primary key references public.spaces (id) on delete cascade,
  operation text not null,
  idempotency_key text not null,
  -- The Operation (src/catalog/operations.ts) and the resolved SDK call, as sent.
  op jsonb not null,
  call jsonb not null,
  version bigint not null,
  created_at timestamptz not null default now()
);

alter table public.space_sync_intents enable row level security;
grant select on public.space_sync_intents to authenticated;
grant all on public.space_sync_intents to service_role;
create policy space_sync_intents_admin_read on public.space_sync_intents for select to authenticated
  using (public.is_admin());
