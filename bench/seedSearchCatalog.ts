// A catalog of `count` spaces written by SQL in one statement, for the search benchmark and the test of
// its plan: names and locations of a real catalog (about 2% of them "Salle de réunion …", accented),
// the sync state the worker leaves, then ANALYZE. Triggers are skipped (session_replication_role):
// the rows stand for a catalog already in step, not 100,000 edits to sync. Loaded as a bulk load is:
// the table's secondary indexes dropped, the rows inserted, the indexes built again from their own
// definitions (pg_get_indexdef), which is several times faster than growing a GIN index row by row.
import type { Pool } from '../src/db/pool.ts';

export const SEARCH_CATALOG_SPACES = 100_000;

export async function seedSearchCatalog(pool: Pool, count: number): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(`set local session_replication_role = replica`);
    const { rows: indexes } = await client.query<{ name: string; def: string }>(
      `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
         from pg_index i where i.indrelid = 'public.spaces'::regclass and not i.indisprimary and not i.indisunique
          and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`,
    );
    for (const index of indexes) await client.query(`drop index ${index.name}`);
    await client.query(
      `insert into public.spaces (name, location, kind, capacity, sync_status, synced_version)
       select case when i % 50 = 0 then 'Salle de réunion ' || i
                   else (array['Bureau', 'Desk', 'Studio', 'Atelier', 'Open space', 'Meeting room', 'Loft', 'Cabine', 'Espace', 'Board room'])[1 + i % 10] || ' ' || i end,
              (array['Paris 11e', 'Lyon Part-Dieu', 'Nantes', 'Lille', 'Bordeaux', 'Marseille', 'Genève', 'Bruxelles', 'Montréal', 'Toulouse'])[1 + (i / 7) % 10]
                || ', étage ' || (i % 12),
              (array['meeting_room', 'desk', 'office', 'venue', 'other'])[1 + i % 5], 1 + i % 40, 'synced', 1
         from generate_series(1, $1) i`,
      [count],
    );
    for (const index of indexes) await client.query(index.def);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  await pool.query('analyze public.spaces');
}
