// The transactional outbox: content changes enqueue exactly one sync job per space, in the same
// transaction; the worker's own writes of sync state enqueue nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../helpers/db.ts';
import { withTransaction } from '../../src/db/pool.ts';

const db = await createTestDatabase();

async function jobs(spaceId?: string) {
  const { rows } = await db.pool.query(
    `select j.id, j.payload, j.key from graphile_worker._private_jobs j
       join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'sync_space' and ($1::text is null or j.payload->>'space_id' = $1)`,
    [spaceId ?? null],
  );
  return rows;
}

async function clearJobs() {
  await db.pool.query(`delete from graphile_worker._private_jobs`);
}

async function newSpace(name = 'Room'): Promise<string> {
  const { rows } = await db.pool.query(`insert into spaces (name) values ($1) returning id`, [name]);
  return rows[0].id;
}

test('inserting a space with just a name enqueues its sync with the space job key', async () => {
  await clearJobs();
  const id = await newSpace('Just a name');
  const rows = await jobs(id);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].key, `sync_space:${id}`);
  const { rows: s } = await db.pool.query('select version, sync_status, kind, currency, active from spaces where id = $1', [id]);
  assert.deepEqual(s[0], { version: 1, sync_status: 'pending', kind: 'meeting_room', currency: 'eur', active: true });
});

test('one transaction with 100 edits to one space leaves one pending job and bumps version 100 times', async () => {
  const id = await newSpace();
  await clearJobs();
  await withTransaction(db.pool, async (c) => {
    for (let i = 0; i < 100; i++) await c.query('update spaces set name = $2 where id = $1', [id, `Room ${i}`]);
  });
  assert.equal((await jobs(id)).length, 1);
  const { rows } = await db.pool.query('select version from spaces where id = $1', [id]);
  assert.equal(rows[0].version, 101);
});

test('edits to two spaces enqueue two jobs', async () => {
  const a = await newSpace('A');
  const b = await newSpace('B');
  await clearJobs();
  await withTransaction(db.pool, async (c) => {
    await c.query(`update spaces set capacity = 4 where id = $1`, [a]);
    await c.query(`update spaces set capacity = 6 where id = $1`, [b]);
  });
  assert.equal((await jobs()).length, 2);
});

test('a worker-style write of sync state enqueues nothing and keeps the version', async () => {
  const id = await newSpace();
  await clearJobs();
  await db.pool.query(
    `update spaces set sync_status = 'synced', synced_version = version, last_synced_at = now(), stripe_product_id = 'prod_x',
       stripe_snapshot = '{"a":1}', last_error = null, sync_attempt = 1 where id = $1`,
    [id],
  );
  await db.pool.query(`update space_prices set stripe_price_id = 'price_x' where space_id = $1`, [id]);
  assert.equal((await jobs(id)).length, 0);
  const { rows } = await db.pool.query('select version, sync_status from spaces where id = $1', [id]);
  assert.deepEqual(rows[0], { version: 1, sync_status: 'synced' });
});

test('an edit that sets the same values enqueues nothing', async () => {
  const id = await newSpace('Same');
  await clearJobs();
  await db.pool.query(`update spaces set name = 'Same' where id = $1`, [id]);
  assert.equal((await jobs(id)).length, 0);
});

test('price inserts, edits and deletes bump the space and enqueue its sync', async () => {
  const id = await newSpace();
  await clearJobs();
  const { rows } = await db.pool.query(
    `insert into space_prices (space_id, pricing_type, unit_amount, currency) values ($1, 'hourly', 2500, 'eur') returning id, lookup_key, recurring_interval`,
    [id],
  );
  assert.match(rows[0].lookup_key, /^spacesync_[0-9a-f]{32}_hourly_eur_[0-9a-f]{8}$/);
  assert.equal(rows[0].recurring_interval, null);
  assert.equal((await jobs(id)).length, 1);
  await clearJobs();
  await db.pool.query(`update space_prices set unit_amount = 3000 where id = $1`, [rows[0].id]);
  assert.equal((await jobs(id)).length, 1);
  await clearJobs();
  await db.pool.query(`delete from space_prices where id = $1`, [rows[0].id]);
  assert.equal((await jobs(id)).length, 1);
  const { rows: after } = await db.pool.query(`select deleted_at is not null as deleted, stripe_price_id from space_prices where id = $1`, [rows[0].id]);
  assert.equal(after[0].deleted, true, 'a deleted price row is kept (soft delete) so its Stripe price can be archived');
  const { rows: s } = await db.pool.query('select version from spaces where id = $1', [id]);
  assert.equal(s[0].version, 4);
});

test('deleting a space keeps the row with its Stripe id and enqueues its archive sync', async () => {
  const id = await newSpace();
  await db.pool.query(`update spaces set stripe_product_id = 'prod_keep' where id = $1`, [id]);
  await clearJobs();
  const res = await db.pool.query(`delete from spaces where id = $1`, [id]);
  assert.equal(res.rowCount, 0, 'the delete is turned into a soft delete');
  const { rows } = await db.pool.query(`select deleted_at is not null as deleted, stripe_product_id, sync_status from spaces where id = $1`, [id]);
  assert.deepEqual(rows[0], { deleted: true, stripe_product_id: 'prod_keep', sync_status: 'pending' });
  assert.equal((await jobs(id)).length, 1);
});

test('setting active or deleted_at from SQL is synced like any edit', async () => {
  const id = await newSpace();
  await clearJobs();
  await db.pool.query(`update spaces set active = false where id = $1`, [id]);
  assert.equal((await jobs(id)).length, 1);
});

test('a rolled-back edit leaves no job', async () => {
  const id = await newSpace();
  await clearJobs();
  await assert.rejects(
    withTransaction(db.pool, async (c) => {
      await c.query(`update spaces set name = 'Changed' where id = $1`, [id]);
      throw new Error('abort');
    }),
  );
  assert.equal((await jobs(id)).length, 0);
});

test('an edit made while the job is running (locked) is enqueued again, not lost', async () => {
  const id = await newSpace();
  await clearJobs();
  await db.pool.query(`update spaces set name = 'First' where id = $1`, [id]);
  // Lock the job as a worker would while it runs.
  await db.pool.query(`update graphile_worker._private_jobs set locked_at = now(), locked_by = 'test' where key = $1`, [`sync_space:${id}`]);
  await db.pool.query(`update spaces set name = 'Second' where id = $1`, [id]);
  const rows = await jobs(id);
  assert.equal(rows.length, 2, 'the running job keeps going and a new one is queued');
  await db.pool.query(`update graphile_worker._private_jobs set locked_at = null, locked_by = null`);
});
