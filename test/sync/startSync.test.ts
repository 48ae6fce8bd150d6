// The start of a sync in one round trip (spacesync_start_sync): the lock the recovery sweep looks for,
// the row marked `syncing` and read with its prices and pending create, the catalog's fingerprint,
// and the connection left as it was found (lock_timeout, synchronous_commit) whatever happens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../helpers/db.ts';
import { SYNC_FINGERPRINT_SQL } from '../../src/sync/loadSpace.ts';
import { SpaceLockTimeoutError } from '../../src/sync/spaceLock.ts';
import { startSync } from '../../src/sync/startSync.ts';

const db = await createTestDatabase();
const { pool } = db;

async function newSpace(): Promise<string> {
  const { rows } = await pool.query(`insert into spaces (name) values ('Room') returning id`);
  const id = rows[0].id as string;
  await pool.query(
    `insert into space_prices (space_id, pricing_type, unit_amount, currency) values ($1, 'hourly', 1000, 'eur'), ($1, 'daily', 5000, 'eur')`,
    [id],
  );
  await pool.query(`update spaces set stripe_product_id = 'prod_' || md5(id::text), stripe_snapshot = jsonb_build_object('productId', 'prod_' || md5(id::text)) where id = $1`, [id]);
  return id;
}

const lockHeld = async (id: string) => (await pool.query(`select public.spacesync_lock_held(21331, $1) as held`, [id])).rows[0].held as boolean;

test('takes the lock the recovery sweep looks for, marks the space syncing and reads it with its prices', async () => {
  const id = await newSpace();
  await pool.query(
    `insert into space_sync_intents (space_id, operation, idempotency_key, op, call, version) values ($1, 'create_price', 'k1', '{}', '{}', 3)`,
    [id],
  );
  const { lock, loaded } = await startSync(pool, id, 4);
  try {
    assert.equal(await lockHeld(id), true);
    assert.ok(loaded);
    assert.equal(loaded.space.id, id);
    assert.equal(loaded.space.sync_status, 'syncing');
    assert.equal((loaded.space as unknown as { sync_attempt: number }).sync_attempt, 4);
    assert.deepEqual(loaded.prices.map((p) => p.pricing_type).sort(), ['daily', 'hourly']);
    assert.equal(loaded.intent?.idempotency_key, 'k1');
    assert.ok(typeof loaded.intent?.age_s === 'number' && loaded.intent.age_s >= 0);
    const { rows } = await pool.query(`select ${SYNC_FINGERPRINT_SQL} as f from spaces s where s.id = $1`, [id]);
    assert.equal(loaded.fingerprint, rows[0].f, 'the fingerprint a catalog run compares with');
    const status = await pool.query(`select sync_status, sync_attempt from spaces where id = $1`, [id]);
    assert.deepEqual(status.rows[0], { sync_status: 'syncing', sync_attempt: 4 });
  } finally {
    await lock.release();
  }
  assert.equal(await lockHeld(id), false);
});

test('an uppercase id locks the same key as the lowercase one', async () => {
  const id = await newSpace();
  const { lock } = await startSync(pool, id.toUpperCase(), 1);
  try {
    assert.equal(await lockHeld(id), true);
  } finally {
    await lock.release();
  }
  assert.equal(await lockHeld(id), false);
});

test('a space that is gone: no row, the lock held until released', async () => {
  const id = '00000000-0000-4000-8000-0000000000ff';
  const { lock, loaded } = await startSync(pool, id, 1);
  assert.equal(loaded, null);
  assert.equal(await lockHeld(id), true);
  await lock.release();
  assert.equal(await lockHeld(id), false);
});

test('a sync already running: waits at most the timeout, then a SpaceLockTimeoutError; the connection is left as it was', async () => {
  const id = await newSpace();
  const first = await startSync(pool, id, 1);
  try {
    const started = performance.now();
    await assert.rejects(startSync(pool, id, 2, { timeoutMs: 100 }), (error: unknown) => {
      assert.ok(error instanceof SpaceLockTimeoutError);
      assert.match(error.message, /being synced by another worker for more than 100 ms/);
      return true;
    });
    assert.ok(performance.now() - started >= 90, 'it waited for the lock');
    const { rows } = await pool.query(`select sync_attempt from spaces where id = $1`, [id]);
    assert.equal(rows[0].sync_attempt, 1, 'the second start wrote nothing');
  } finally {
    await first.lock.release();
  }
  // Every connection of the pool still has the server's defaults.
  const clients = await Promise.all(Array.from({ length: 3 }, () => pool.connect()));
  try {
    for (const c of clients) {
      const { rows } = await c.query(`select current_setting('lock_timeout') as lt, current_setting('synchronous_commit') as sc`);
      assert.deepEqual(rows[0], { lt: '0', sc: 'on' });
    }
  } finally {
    for (const c of clients) c.release();
  }
});

test('after a start, the connection commits durably again and waits for row locks without a timeout', async () => {
  const id = await newSpace();
  const { lock } = await startSync(pool, id, 1, { timeoutMs: 50 });
  try {
    const { rows } = await lock.client.query(`select current_setting('lock_timeout') as lt, current_setting('synchronous_commit') as sc`);
    assert.deepEqual(rows[0], { lt: '0', sc: 'on' });
  } finally {
    await lock.release();
  }
});

test('bad input is refused naming what is wrong', async () => {
  await assert.rejects(startSync(pool, 'not-a-uuid', 1), /"not-a-uuid" is not a space id \(a uuid\)/);
  await assert.rejects(startSync(pool, '00000000-0000-4000-8000-0000000000ff', -1), /attempt must be a whole number \(got -1\)/);
  await assert.rejects(startSync(pool, '00000000-0000-4000-8000-0000000000ff', 1, { timeoutMs: 1.5 }), /sync lock timeout must be a whole number of ms \(got 1.5\)/);
  await assert.rejects(pool.query(`select * from public.spacesync_start_sync(null, 1, 10)`), /target must be a space id/);
});
