// Drift as history: every drift recorded on a space is kept with what was done about it, flagged on
// the space until an admin acknowledges it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../helpers/db.ts';
import { adminToken, json, testApp, userToken } from './helpers.ts';

const db = await createTestDatabase();
const app = testApp(db.pool);
const admin = await adminToken();

const drift = (policy: string, name: string) =>
  JSON.stringify({ event_id: `evt_${name}`, object: 'product', object_id: 'prod_1', fields: [{ field: 'name', ours: 'Ours', stripe: name }], removed: false, policy });

test('each drift is kept: pending until a sync clears it (enforced), adopted under adopt; badge until acknowledged', async () => {
  const { rows: [s] } = await db.pool.query(`insert into spaces (name) values ('Ours') returning id`);
  await db.pool.query(`update spaces set drift = $2, sync_status = 'drift' where id = $1`, [s.id, drift('enforce', 'Theirs 1')]);
  let list = await (await app.request(`/api/spaces/${s.id}/drift-events`, json('GET', undefined, admin))).json();
  assert.equal(list.data.length, 1);
  assert.equal(list.data[0].action, 'pending');
  assert.equal(list.data[0].fields[0].stripe, 'Theirs 1');
  // The sync makes Stripe match again and clears the drift: what was pending was enforced.
  await db.pool.query(`update spaces set drift = null, sync_status = 'synced' where id = $1`, [s.id]);
  await db.pool.query(`update spaces set drift = $2 where id = $1`, [s.id, drift('adopt', 'Theirs 2')]);
  list = await (await app.request(`/api/spaces/${s.id}/drift-events`, json('GET', undefined, admin))).json();
  assert.deepEqual(list.data.map((e: { action: string }) => e.action), ['adopted', 'enforced']);
  const space = await (await app.request(`/api/spaces/${s.id}`, json('GET', undefined, admin))).json();
  assert.equal(space.drift_unacknowledged, 2);
  // Not for non-admins.
  assert.equal((await app.request(`/api/spaces/${s.id}/drift/acknowledge`, json('POST', {}, await userToken()))).status, 403);
  const ack = await (await app.request(`/api/spaces/${s.id}/drift/acknowledge`, json('POST', {}, admin))).json();
  assert.equal(ack.acknowledged, 2);
  const after = await (await app.request(`/api/spaces/${s.id}`, json('GET', undefined, admin))).json();
  assert.equal(after.drift_unacknowledged, 0);
  // anon reads nothing of it.
  const c = await db.pool.connect();
  try {
    await c.query('begin; set local role anon');
    await assert.rejects(c.query('select * from space_drift_events'), /permission denied/);
  } finally {
    await c.query('rollback');
    c.release();
  }
});

test('choosing adopt for a pending drift records it as adopted', async () => {
  const { rows: [s] } = await db.pool.query(`insert into spaces (name) values ('Ours') returning id`);
  await db.pool.query(`update spaces set drift = $2, sync_status = 'drift' where id = $1`, [s.id, drift('enforce', 'Theirs')]);
  const res = await app.request(`/api/spaces/${s.id}/drift`, json('POST', { action: 'adopt' }, admin));
  assert.equal(res.status, 202);
  const list = await (await app.request(`/api/spaces/${s.id}/drift-events`, json('GET', undefined, admin))).json();
  assert.equal(list.data[0].action, 'adopted');
  assert.ok(list.data[0].acknowledged_at);
  const { rows: [row] } = await db.pool.query('select name from spaces where id = $1', [s.id]);
  assert.equal(row.name, 'Theirs');
});
