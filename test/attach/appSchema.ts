// An app of its own, as a Supabase project has it before spacesync: `rooms` (title, hourly_rate,
// is_published, deleted_at, owner_id…) under its own row level security (owners edit their rooms),
// and a child table of rates. Plus mappings of it, and what pg_catalog says of its tables.
import type { Pool } from '../../src/db/pool.ts';
import { withClaims } from '../../src/db/withClaims.ts';
import type { MappingInput } from '../../src/attach/mapping.ts';
import { mappingSchema, type Mapping } from '../../src/attach/mapping.ts';

export const APP_SQL = `
create table public.rooms (
  id bigint generated always as identity primary key,
  owner_id uuid not null default auth.uid(),
  title text not null,
  summary text,
  city text,
  district text,
  seats integer,
  photos text[] not null default '{}',
  hourly_rate numeric(10, 2),
  day_rate numeric(10, 2),
  is_published boolean not null default false,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  stripe_product_id text,
  stripe_price_id text,
  sync_state text
);
alter table public.rooms enable row level security;
grant select, insert, update, delete on public.rooms to authenticated;
grant usage on sequence public.rooms_id_seq to authenticated;
create policy rooms_public_read on public.rooms for select to anon, authenticated using (is_published and deleted_at is null);
create policy rooms_owner_all on public.rooms for all to authenticated using (owner_id = auth.uid()) with check (owner_id = auth.uid());

create table public.room_rates (
  id uuid primary key default gen_random_uuid(),
  room_id bigint not null references public.rooms (id) on delete cascade,
  kind text not null,
  amount numeric(10, 2) not null,
  billing_interval text,
  archived_at timestamptz
);
alter table public.room_rates enable row level security;
grant select, insert, update, delete on public.room_rates to authenticated;
create policy room_rates_owner_all on public.room_rates for all to authenticated
  using (exists (select 1 from public.rooms r where r.id = room_id and r.owner_id = auth.uid()))
  with check (exists (select 1 from public.rooms r where r.id = room_id and r.owner_id = auth.uid()));
`;

export async function createAppTables(pool: Pool): Promise<void> {
  await pool.query(APP_SQL);
}

export const COLUMN_MAPPING: MappingInput = {
  name: 'rooms',
  table: 'public.rooms',
  key: 'id',
  fields: {
    name: 'title',
    description: 'summary',
    capacity: 'seats',
    location: { sql: "city || coalesce(', ' || district, '')" },
    images: 'photos',
    active: 'is_published',
    kind: { value: 'meeting_room' },
    metadata: { owner: 'owner_id' },
  },
  delete: { softDeleteColumn: 'deleted_at' },
  prices: {
    columns: [
      { column: 'hourly_rate', pricingType: 'hourly', units: 'major' },
      { column: 'day_rate', pricingType: 'daily', units: 'major' },
    ],
  },
};

export const RATES_MAPPING: MappingInput = {
  name: 'rooms',
  table: 'rooms',
  key: 'id',
  fields: { name: 'title', active: 'is_published', capacity: 'seats' },
  delete: 'hard',
  prices: { table: 'room_rates', key: 'id', spaceKey: 'room_id', pricingType: 'kind', amount: 'amount', units: 'major', recurringInterval: 'billing_interval', softDeleteColumn: 'archived_at' },
};

export function mapping(input: MappingInput, extra: Partial<MappingInput> = {}): Mapping {
  return mappingSchema.parse({ ...input, ...extra });
}

export const OWNER = { sub: '11111111-1111-4111-8111-111111111111', role: 'authenticated' };
export const STRANGER = { sub: '22222222-2222-4222-8222-222222222222', role: 'authenticated' };

/** Runs SQL as the app's user would (PostgREST-like: role authenticated, their claims, RLS applying). */
export function asOwner<T>(pool: Pool, sql: string, params: unknown[] = [], who = OWNER): Promise<T[]> {
  return withClaims(pool, who, async (c) => (await c.query(sql, params)).rows as T[]);
}

/** The definition of a table as pg_catalog has it: columns, constraints, policies, indexes, RLS, triggers other than spacesync's. */
export async function tableDefinition(pool: Pool, table: string): Promise<unknown> {
  const { rows } = await pool.query(
    `select
       (select json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'not_null', a.attnotnull,
                                          'default', pg_get_expr(d.adbin, d.adrelid)) order by a.attnum)
          from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
         where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
       (select json_agg(pg_get_constraintdef(k.oid) order by k.conname) from pg_constraint k where k.conrelid = c.oid) as constraints,
       (select json_agg(json_build_object('name', p.polname, 'cmd', p.polcmd, 'using', pg_get_expr(p.polqual, p.polrelid),
                                          'check', pg_get_expr(p.polwithcheck, p.polrelid)) order by p.polname)
          from pg_policy p where p.polrelid = c.oid) as policies,
       (select json_agg(pg_get_indexdef(i.indexrelid) order by i.indexrelid::regclass::text) from pg_index i where i.indrelid = c.oid) as indexes,
       c.relrowsecurity as rls, c.relforcerowsecurity as force_rls, c.relacl::text as acl,
       (select json_agg(t.tgname order by t.tgname) from pg_trigger t where t.tgrelid = c.oid and not t.tgname like 'spacesync\\_%') as other_triggers
     from pg_class c where c.oid = $1::regclass`,
    [table],
  );
  return rows[0];
}

export async function spacesOf(pool: Pool, source = 'rooms') {
  const { rows } = await pool.query(
    `select s.*, (select coalesce(json_agg(json_build_object('source_key', p.source_key, 'pricing_type', p.pricing_type, 'unit_amount', p.unit_amount,
                    'currency', p.currency, 'recurring_interval', p.recurring_interval, 'active', p.active, 'deleted', p.deleted_at is not null)
                    order by p.position, p.created_at, p.source_key), '[]') from space_prices p where p.space_id = s.id) as prices
       from spaces s where s.source = $1 order by s.source_key::bigint`,
    [source],
  );
  return rows;
}
