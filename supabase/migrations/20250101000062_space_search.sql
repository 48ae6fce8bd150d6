-- spacesync migration 000062_space_search: src/db/migrations/000062_space_search.sql, written by `spacesync supabase install`.
-- Do not edit: a later install adds the migrations that came after it.
--
-- Recorded in public.spacesync_migrations as spacesync migrate records it, so a spacesync process
-- started against this database (the worker, say) finds nothing left to do.

do $spacesync$
begin
  if to_regclass('public.spacesync_migrations') is not null then
    if exists (select 1 from public.spacesync_migrations where id = 62) then
      raise exception 'spacesync migration 000062_space_search was already applied by spacesync migrate'
        using hint = 'Mark it applied for the Supabase CLI instead: supabase migration repair --status applied 20250101000062 (docs/INSTALL.md, "A database spacesync migrate already set up")';
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
insert into public.spacesync_migrations (id, name) values (62, 'space_search');

-- ---- src/db/migrations/000062_space_search.sql ----
-- Search that ignores case and accents ("reunion" finds "Réunion"), through an index: fast at
-- 100,000 spaces. spacesync_fold is immutable (a fixed translation table, not the unaccent
-- dictionary, which may change), so an expression index can use it; pg_trgm's GIN index serves the
-- `like '%…%'` the list runs. Names sort by the same folded form.
create function public.spacesync_fold(t text) returns text
  language sql immutable parallel safe strict
  as $$
    select lower(translate(replace(replace(replace(replace(replace(t, 'Œ', 'OE'), 'œ', 'oe'), 'Æ', 'AE'), 'æ', 'ae'), 'ß', 'ss'),
      'ÀÁÂÃÄÅĀĂĄàáâãäåāăąÇĆĈĊČçćĉċčĎĐďđÈÉÊËĒĔĖĘĚèéêëēĕėęěĜĞĠĢĝğġģĤĦĥħÌÍÎÏĨĪĬĮİìíîïĩīĭįıĴĵĶķĹĻĽĿŁĺļľŀłÑŃŅŇñńņňÒÓÔÕÖØŌŎŐòóôõöøōŏőŔŖŘŕŗřŚŜŞŠśŝşšŢŤŦţťŧÙÚÛÜŨŪŬŮŰŲùúûüũūŭůűųŴŵÝŸŶýÿŷŹŻŽźżž',
      'AAAAAAAAAaaaaaaaaaCCCCCcccccDDddEEEEEEEEEeeeeeeeeeGGGGggggHHhhIIIIIIIIIiiiiiiiiiJjKkLLLLLlllllNNNNnnnnOOOOOOOOOoooooooooRRRrrrSSSSssssTTTtttUUUUUUUUUUuuuuuuuuuuWwYYYyyyZZZzzz'))
  $$;

-- pg_trgm where the platform keeps its extensions (Supabase: schema extensions), else in public.
do $$
declare
  target text := case when exists (select 1 from pg_namespace where nspname = 'extensions') then 'extensions' else 'public' end;
  opclass text;
begin
  if not exists (select 1 from pg_extension where extname = 'pg_trgm') then
    execute format('create extension pg_trgm with schema %I', target);
  end if;
  select format('%I.%I', n.nspname, o.opcname) into opclass
    from pg_opclass o join pg_namespace n on n.oid = o.opcnamespace
   where o.opcname = 'gin_trgm_ops' limit 1;
  execute format(
    'create index spaces_search_idx on public.spaces using gin (public.spacesync_fold(name || '' '' || coalesce(location, '''')) %s)',
    opclass);
end
$$;

create index spaces_name_sort_idx on public.spaces (public.spacesync_fold(name), id);
