// The list: search that ignores accents and case (through the trigram index on the stored folded
// column), sorting, the count of a search, bulk sync and retry, logs by space name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../helpers/db.ts';
import { adminToken, json, testApp } from './helpers.ts';

const db = await createTestDatabase();
const app = testApp(db.pool);
const admin = await adminToken();
const get = async (path: string) => (await app.request(path, json('GET', undefined, admin))).json();

await db.pool.query(`insert into spaces (name, location, capacity) values
  ('Salle de réunion Étoile', 'Paris', 8), ('REUNION room', 'Lyon', 20), ('Bureau Œillet', 'Nantes', 2), ('Desk 100%', 'Lille', 1)`);

test('search ignores accents and case, in name and location', async () => {
  const names = async (q: string) => (await get(`/api/spaces?q=${encodeURIComponent(q)}&sort=name`)).data.map((s: { name: string }) => s.name);
  assert.deepEqual(await names('reunion'), ['REUNION room', 'Salle de réunion Étoile']);
  assert.deepEqual(await names('RÉUNION'), ['REUNION room', 'Salle de réunion Étoile']);
  assert.deepEqual(await names('oeillet'), ['Bureau Œillet']);
  assert.deepEqual(await names('lyon'), ['REUNION room']);
  assert.deepEqual(await names('100%'), ['Desk 100%'], '% is a character, not a wildcard');
});

test('the search uses the trigram index', async () => {
  const c = await db.pool.connect();
  try {
    await c.query('set enable_seqscan = off');
    const { rows } = await c.query(`explain select id from spaces s where s.search_text like public.spacesync_fold('%reunion%')`);
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    assert.match(plan, /Bitmap Index Scan on spaces_search_idx/);
    assert.match(plan, /Recheck Cond: \(search_text ~~ '%reunion%'::text\)/, 'the recheck reads the stored column, folding nothing');
  } finally {
    c.release();
  }
});

test('sortable columns, both ways; a bad sort names the field', async () => {
  const capacities = (await get('/api/spaces?sort=capacity&order=desc')).data.map((s: { capacity: number }) => s.capacity);
  assert.deepEqual(capacities, [20, 8, 2, 1]);
  const names = (await get('/api/spaces?sort=name')).data.map((s: { name: string }) => s.name);
  assert.deepEqual(names, ['Bureau Œillet', 'Desk 100%', 'REUNION room', 'Salle de réunion Étoile']);
  const bad = await app.request('/api/spaces?sort=password', json('GET', undefined, admin));
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error.message, /sort must be one of/);
});

test('bulk sync now for selected rows; retry failed only retries spaces in error', async () => {
  const { rows } = await db.pool.query<{ id: string }>('select id from spaces order by name');
  await db.pool.query(`update spaces set sync_status = 'error', last_error = 'boom' where id = $1`, [rows[0].id]);
  const sync = await app.request('/api/spaces/sync', json('POST', { ids: [rows[1].id, rows[2].id] }, admin));
  assert.equal(sync.status, 202);
  assert.deepEqual((await sync.json()).data.map((j: { space_id: string }) => j.space_id).sort(), [rows[1].id, rows[2].id].sort());
  const retry = await app.request('/api/spaces/retry-failed', json('POST', {}, admin));
  assert.deepEqual((await retry.json()).data.map((j: { space_id: string }) => j.space_id), [rows[0].id]);
  const bad = await app.request('/api/spaces/sync', json('POST', { ids: ['nope'] }, admin));
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error.message, /ids must be a list/);
});

test('logs filtered by space name, accents ignored', async () => {
  const { rows: [s] } = await db.pool.query<{ id: string }>(`select id from spaces where name like 'Salle%'`);
  await db.pool.query(`insert into application_logs (level, source, event, space_id, message) values ('info', 'sync', 'synced', $1, 'ok'), ('info', 'sync', 'synced', null, 'other')`, [s.id]);
  const logs = await get('/api/logs?space=etoile');
  assert.deepEqual(logs.data.map((l: { message: string; space_name: string }) => [l.message, l.space_name]), [['ok', 'Salle de réunion Étoile']]);
});

test('the search shows each caller only what it may read: an archived or deleted space is found by admins only', async () => {
  const { rows } = await db.pool.query<{ id: string }>(
    `insert into spaces (name, active, deleted_at) values ('Réunion archivée', false, null), ('Réunion supprimée', true, now()) returning id`,
  );
  const hidden = rows.map((r) => r.id);
  const anon = (await (await app.request('/api/spaces?q=reunion')).json()) as { data: Array<{ id: string }> };
  assert.ok(anon.data.length > 0);
  assert.ok(anon.data.every((s) => !hidden.includes(s.id)), 'anon finds live spaces only');
  const adminIds = ((await get('/api/spaces?q=reunion')).data as Array<{ id: string }>).map((s) => s.id);
  assert.ok(adminIds.includes(hidden[0]), 'an admin finds the archived one');
  // Called directly (PostgREST exposes it), the function tells anon nothing about hidden rows.
  const client = await db.pool.connect();
  try {
    await client.query('begin');
    await client.query(`set local role anon`);
    const direct = await client.query<{ id: string }>(`select public.spacesync_search_space_ids('%reunion%') as id`);
    assert.ok(direct.rows.length > 0 && direct.rows.every((r) => !hidden.includes(r.id)));
  } finally {
    await client.query('rollback');
    client.release();
  }
});

test('the stored search column follows edits: renaming a space through the API changes what finds it', async () => {
  const created = await app.request('/api/spaces', json('POST', { name: 'Atelier Lumière', location: 'Genève' }, admin));
  assert.equal(created.status, 201);
  const { id } = (await created.json()) as { id: string };
  const ids = async (q: string) => ((await get(`/api/spaces?q=${encodeURIComponent(q)}`)).data as Array<{ id: string }>).map((s) => s.id);
  assert.deepEqual(await ids('lumiere'), [id]);
  assert.deepEqual(await ids('GENEVE'), [id], 'the location is searched too');
  const renamed = await app.request(`/api/spaces/${id}`, json('PATCH', { name: 'Salle Éole', location: 'Zürich' }, admin));
  assert.equal(renamed.status, 200);
  assert.deepEqual(await ids('lumiere'), [], 'the old name finds it no more');
  assert.deepEqual(await ids('eole'), [id]);
  assert.deepEqual(await ids('zurich'), [id]);
  const { rows: [row] } = await db.pool.query(`select search_text, sort_name, sort_location from spaces where id = $1`, [id]);
  assert.deepEqual(row, { search_text: 'salle eole zurich', sort_name: 'salle eole', sort_location: 'zurich' });
});

test('the folded columns are no content: writing the sync state bumps no version, a rename does', async () => {
  const { rows: [s] } = await db.pool.query<{ id: string; version: number }>(`insert into spaces (name) values ('Cabine Ñandú') returning id, version`);
  await db.pool.query(`update spaces set sync_status = 'synced', synced_version = version, last_synced_at = now() where id = $1`, [s.id]);
  const { rows: [after] } = await db.pool.query(`select version, sync_status from spaces where id = $1`, [s.id]);
  assert.deepEqual(after, { version: s.version, sync_status: 'synced' });
  await db.pool.query(`update spaces set name = 'Cabine Nandu' where id = $1`, [s.id]);
  const { rows: [edited] } = await db.pool.query(`select version, sync_status from spaces where id = $1`, [s.id]);
  assert.deepEqual(edited, { version: s.version + 1, sync_status: 'pending' }, 'a rename is an edit');
});

test('the folded columns never reach a client: not in the list, the search, the detail; search_text not selectable by API roles', async () => {
  const list = await get('/api/spaces');
  const search = await get('/api/spaces?q=reunion');
  const anonSearch = await (await app.request('/api/spaces?q=reunion')).json();
  const detail = await get(`/api/spaces/${list.data[0].id}`);
  for (const space of [...list.data, ...search.data, ...anonSearch.data, detail]) {
    assert.ok(space.id, 'a space');
    for (const column of ['search_text', 'sort_name', 'sort_location']) assert.ok(!(column in space), `no ${column} in ${JSON.stringify(Object.keys(space))}`);
  }
  for (const role of ['anon', 'authenticated']) {
    const { rows: [grant] } = await db.pool.query(
      `select has_column_privilege($1, 'public.spaces', 'search_text', 'select') as search,
              has_column_privilege($1, 'public.spaces', 'sort_name', 'select') and has_column_privilege($1, 'public.spaces', 'sort_location', 'select') as sort`,
      [role],
    );
    assert.deepEqual(grant, { search: false, sort: true }, `${role} may not select search_text; it sorts by sort_name and sort_location`);
  }
});

test('sorting a search orders it as the list does, every column both ways', async () => {
  await db.pool.query(`insert into spaces (name, location, capacity, kind) values
    ('Réunion B', null, null, 'desk'), ('réunion a', 'Évry', 12, 'venue'), ('Reunion C', 'abbeville', 12, 'office')`);
  const matches = (s: { name: string; location: string | null }) => /r[ée]union/i.test(`${s.name} ${s.location ?? ''}`);
  for (const sort of ['created_at', 'name', 'kind', 'capacity', 'location', 'sync_status', 'updated_at']) {
    for (const order of ['asc', 'desc']) {
      const all = (await get(`/api/spaces?sort=${sort}&order=${order}&limit=500`)).data as Array<{ id: string; name: string; location: string | null }>;
      const searched = (await get(`/api/spaces?q=reunion&sort=${sort}&order=${order}&limit=500`)).data as Array<{ id: string }>;
      assert.deepEqual(searched.map((s) => s.id), all.filter(matches).map((s) => s.id), `sort=${sort}&order=${order}`);
      const paged = [
        ...(await get(`/api/spaces?q=reunion&sort=${sort}&order=${order}&limit=2`)).data,
        ...(await get(`/api/spaces?q=reunion&sort=${sort}&order=${order}&limit=2&offset=2`)).data,
        ...(await get(`/api/spaces?q=reunion&sort=${sort}&order=${order}&limit=500&offset=4`)).data,
      ] as Array<{ id: string }>;
      assert.deepEqual(paged.map((s) => s.id), searched.map((s) => s.id), `pages of sort=${sort}&order=${order}`);
    }
  }
  const filtered = await get(`/api/spaces?q=reunion&status=error`);
  assert.ok(filtered.data.every((s: { sync_status: string }) => s.sync_status === 'error'));
});

test('a search counts its matches up to 1,000 past the page, and says when it stopped', async () => {
  const exact = await get('/api/spaces?q=reunion');
  assert.equal(exact.total_capped, false);
  assert.equal(exact.total, exact.data.length);
  const past = await get(`/api/spaces?q=reunion&offset=${exact.total}`);
  assert.deepEqual([past.data, past.total, past.total_capped], [[], exact.total, false], 'a page past the last match is empty, the count still right');
  const none = await get('/api/spaces?q=zzzzzz');
  assert.deepEqual([none.data, none.total, none.total_capped], [[], 0, false]);
  await db.pool.query(`insert into spaces (name) select 'Box ' || i from generate_series(1, 2100) i`);
  const first = await get('/api/spaces?q=box&limit=50');
  assert.deepEqual([first.total, first.total_capped, first.data.length], [2000, true, 50], 'counted to 2,000: "2,000+"');
  const deep = await get('/api/spaces?q=box&limit=500&offset=1500');
  assert.deepEqual([deep.total, deep.total_capped, deep.data.length], [2100, false, 500], 'deeper, the count reaches the end');
  const all = await get('/api/spaces');
  assert.equal(all.total_capped, false, 'the list without a search counts every row');
  assert.ok(all.total > 2100);
});

test('spacesync_search_spaces, called directly, tells anon nothing of hidden rows and names a bad argument', async () => {
  const client = await db.pool.connect();
  try {
    await client.query('begin');
    await client.query(`set local role anon`);
    const { rows: [found] } = await client.query<{ ids: string[]; total: number }>(
      `select ids, total from public.spacesync_search_spaces('%r_union%', 'name', false, true, null, 500, 0, 10000)`,
    );
    const { rows: visible } = await db.pool.query<{ id: string }>(
      `select id from spaces where deleted_at is null and active and search_text like '%r_union%' order by spacesync_fold(name), id`,
    );
    assert.deepEqual(found.ids, visible.map((r) => r.id), 'live spaces only, even with include_deleted');
    assert.equal(found.total, visible.length);
    await client.query('savepoint bad');
    await assert.rejects(
      client.query(`select * from public.spacesync_search_spaces('%x%', 'password', false, false, null, 10, 0, 10)`),
      /sort_key must be one of created_at, name/,
    );
    await client.query('rollback to savepoint bad');
    await assert.rejects(
      client.query(`select * from public.spacesync_search_spaces('%x%', 'name', false, false, null, -1, 0, 10)`),
      /page_limit, page_offset and count_limit must be 0 or more/,
    );
  } finally {
    await client.query('rollback');
    client.release();
  }
});
