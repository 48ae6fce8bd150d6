-- spacesync migration 000050_login_security: src/db/migrations/000050_login_security.sql, written by `spacesync supabase install`.
-- Do not edit: a later install adds the migrations that came after it.
--
-- Recorded in public.spacesync_migrations as spacesync migrate records it, so a spacesync process
-- started against this database (the worker, say) finds nothing left to do.

do $spacesync$
begin
  if to_regclass('public.spacesync_migrations') is not null then
    if exists (select 1 from public.spacesync_migrations where id = 50) then
      raise exception 'spacesync migration 000050_login_security was already applied by spacesync migrate'
        using hint = 'Mark it applied for the Supabase CLI instead: supabase migration repair --status applied 20250101000050 (docs/INSTALL.md, "A database spacesync migrate already set up")';
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
insert into public.spacesync_migrations (id, name) values (50, 'login_security');

-- ---- src/db/migrations/000050_login_security.sql ----
-- The embedded login: one canonical form of an email address, a login throttle that counts in
-- Postgres (so concurrent attempts and several API processes share one count), and a token version
-- per user that ends the tokens of a user who is demoted, renamed, given a new password or deleted.

-- Emails are stored in their canonical form (NFKC, then lower case: src/auth/canonicalEmail.ts) and
-- compared exactly. Existing rows get the same form here; a row whose canonical form would collide
-- with another account keeps its spelling (an admin merges them by hand).
do $$
declare
  u record;
  utf8 boolean := (select pg_encoding_to_char(encoding) = 'UTF8' from pg_database where datname = current_database());
begin
  for u in select id, email from public.users loop
    begin
      update public.users
         set email = case when utf8 then lower(normalize(btrim(u.email), nfkc)) else lower(btrim(u.email)) end
       where id = u.id;
    exception when unique_violation then
      null;
    end;
  end loop;
end
$$;

drop index public.users_email_idx;
create unique index users_email_key on public.users (email);

-- Bumped whenever what a token says about its user stops being true: a token carries the version it
-- was issued with, and the API refuses it once the row has moved on (or is gone).
alter table public.users add column token_version integer not null default 1;

create function public.tg_users__token_version() returns trigger
  language plpgsql
  as $$
  begin
    if new.role is distinct from old.role
       or new.email is distinct from old.email
       or new.password_hash is distinct from old.password_hash then
      new.token_version := old.token_version + 1;
    end if;
    return new;
  end
  $$;

create trigger _100_token_version before update on public.users
  for each row execute function public.tg_users__token_version();

-- Login attempts per canonical email, counted before the password is checked: one row, updated under
-- its row lock by `insert ... on conflict do update ... returning attempts`, so concurrent attempts
-- are counted one after the other.
create table public.login_attempts (
  email text primary key,
  attempts integer not null,
  window_start timestamptz not null
);

create index login_attempts_window_start_idx on public.login_attempts (window_start);

alter table public.login_attempts enable row level security;
revoke all on public.login_attempts from public, anon, authenticated, service_role;
