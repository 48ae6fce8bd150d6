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
