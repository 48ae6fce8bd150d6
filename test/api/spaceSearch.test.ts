// The list: search that ignores accents and case (through the trigram index), sorting, bulk sync and
// retry, logs by space name.
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
    const { rows } = await c.query(`explain select id from spaces s where public.spacesync_fold(s.name || ' ' || coalesce(s.location, '')) like public.spacesync_fold('%reunion%')`);
    assert.match(rows.map((r) => r['QUERY PLAN']).join('\n'), /spaces_search_idx/);
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
