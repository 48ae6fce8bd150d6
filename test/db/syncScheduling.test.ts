// When a space's sync is queued, and which guarantees no client setting can switch off: the
// "already queued in this transaction" marker lives in the queued job (owner-only), a hard delete is
// for the table's owner only, and edits that follow a sync wait for its settle window to close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../helpers/db.ts';
import { withTransaction } from '../../src/db/pool.ts';
import { withClaims } from '../../src/db/withClaims.ts';

const db = await createTestDatabase();
const admin = { sub: '00000000-0000-4000-8000-00000000a001', role: 'authenticated', app_metadata: { role: 'admin' } };
const WINDOW_MS = 500;

async function job(spaceId: string) {
  const { rows } = await db.pool.query(
    `select id, payload, run_at, locked_at, extract(epoch from run_at) * 1000 as run_at_ms from graphile_worker._private_jobs where key = $1`,
    [`sync_space:${spaceId}`],
  );
  return rows[0] as { id: number; payload: Record<string, unknown>; run_at: Date; locked_at: Date | null; run_at_ms: number } | undefined;
}

async function jobCount(spaceId: string): Promise<number> {
  const { rows } = await db.pool.query(`select count(*)::int as n from graphile_worker._private_jobs where payload->>'space_id' = $1`, [spaceId]);
  return rows[0].n;
}

async function newSpace(name = 'Room'): Promise<string> {
  const { rows } = await db.pool.query(`insert into spaces (name) values ($1) returning id`, [name]);
  const id = rows[0].id as string;
  await db.pool.query(`insert into space_prices (space_id, pricing_type, unit_amount, currency) values ($1, 'hourly', 1000, 'eur')`, [id]);
  await db.pool.query(`delete from graphile_worker._private_jobs`);
  return id;
}

const flagOf = (id: string) => `spacesync.enqueued_${id.replace(/-/g, '')}`;

test('an admin edit with the old "already enqueued" setting forged still gets its sync job', async () => {
  const id = await newSpace();
  await withClaims(db.pool, admin, async (c) => {
    await c.query(`select set_config($1, 'on', true)`, [flagOf(id)]);
    const { rowCount } = await c.query(`update spaces set name = 'Forged' where id = $1`, [id]);
    assert.equal(rowCount, 1);
  });
  const j = await job(id);
  assert.ok(j, 'the edit has its job');
  assert.equal(j.payload.space_id, id);
});

test('a price edit as authenticated with the setting forged session-wide still gets its job', async () => {
  const id = await newSpace();
  const client = await db.pool.connect();
  try {
    await client.query(`select set_config($1, 'on', false)`, [flagOf(id)]);
    await client.query('begin');
    await client.query('set local role authenticated');
    await client.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(admin)]);
    await client.query(`update space_prices set unit_amount = 1234 where space_id = $1`, [id]);
    await client.query('commit');
  } finally {
    await client.query(`select set_config($1, '', false)`, [flagOf(id)]);
    client.release();
  }
  assert.ok(await job(id), 'the price edit has its job');
});

test('many edits in one transaction still make one job, marked with that transaction', async () => {
  const id = await newSpace();
  const tx = await withTransaction(db.pool, async (c) => {
    for (let i = 0; i < 20; i++) await c.query(`update spaces set name = $2 where id = $1`, [id, `Room ${i}`]);
    await c.query(`update space_prices set unit_amount = 999 where space_id = $1`, [id]);
    return (await c.query(`select txid_current()::text as tx`)).rows[0].tx as string;
  });
  assert.equal(await jobCount(id), 1);
  assert.equal((await job(id))?.payload.tx, tx);
});

test('a delete as an admin with spacesync.hard_delete forged is a soft delete, and queues the archive', async () => {
  const id = await newSpace();
  await withClaims(db.pool, admin, async (c) => {
    await c.query(`select set_config('spacesync.hard_delete', 'on', true)`);
    await c.query(`delete from space_prices where space_id = $1`, [id]);
    await c.query(`delete from spaces where id = $1`, [id]);
  });
  const { rows } = await db.pool.query(`select deleted_at from spaces where id = $1`, [id]);
  assert.equal(rows.length, 1, 'the row is kept');
  assert.ok(rows[0].deleted_at, 'and marked deleted');
  const prices = await db.pool.query(`select count(*)::int as n from space_prices where space_id = $1 and deleted_at is not null`, [id]);
  assert.equal(prices.rows[0].n, 1, 'its price is kept, marked deleted');
  assert.ok(await job(id), 'the archive in Stripe is queued');
});

test('anon or a non-admin with both settings forged can neither delete nor suppress anything', async () => {
  const id = await newSpace();
  const forge = `select set_config('spacesync.hard_delete', 'on', true), set_config($1, 'on', true)`;
  await assert.rejects(
    withClaims(db.pool, null, async (c) => {
      await c.query(forge, [flagOf(id)]);
      await c.query(`delete from spaces where id = $1`, [id]);
    }),
    (e: { code?: string }) => e.code === '42501',
  );
  await withClaims(db.pool, { sub: '00000000-0000-4000-8000-00000000b001', role: 'authenticated' }, async (c) => {
    await c.query(forge, [flagOf(id)]);
    assert.equal((await c.query(`delete from spaces where id = $1`, [id])).rowCount, 0);
  });
  const { rows } = await db.pool.query(`select deleted_at from spaces where id = $1`, [id]);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].deleted_at, null);
});

test('service_role with the setting forged gets a soft delete too; the table owner may really delete', async () => {
  const id = await newSpace();
  await withClaims(db.pool, { role: 'service_role' }, async (c) => {
    await c.query(`select set_config('spacesync.hard_delete', 'on', true)`);
    await c.query(`delete from spaces where id = $1`, [id]);
  });
  assert.equal((await db.pool.query(`select count(*)::int as n from spaces where id = $1`, [id])).rows[0].n, 1);
  await withTransaction(db.pool, async (c) => {
    await c.query(`select set_config('spacesync.hard_delete', 'on', true)`);
    await c.query(`delete from spaces where id = $1`, [id]);
  });
  assert.equal((await db.pool.query(`select count(*)::int as n from spaces where id = $1`, [id])).rows[0].n, 0, 'the owner purged it');
});

test('API roles cannot call the enqueue helper nor touch the Stripe budget', async () => {
  const id = await newSpace();
  for (const claims of [null, admin]) {
    await assert.rejects(
      withClaims(db.pool, claims, (c) => c.query(`select public.spacesync_enqueue_sync($1)`, [id])),
      (e: { code?: string }) => e.code === '42501',
    );
    await assert.rejects(
      withClaims(db.pool, claims, (c) => c.query(`select * from public.spacesync_lease_stripe_slots('stripe', 100, 1000, 1)`)),
      (e: { code?: string }) => e.code === '42501',
    );
    await assert.rejects(
      withClaims(db.pool, claims, (c) => c.query(`update public.stripe_rate_budgets set tat_ms = 0`)),
      (e: { code?: string }) => e.code === '42501',
    );
  }
});

test('the first edit of a quiet space is queued to run at once', async () => {
  const id = await newSpace();
  const before = Date.now();
  await db.pool.query(`update spaces set name = 'Quiet' where id = $1`, [id]);
  const j = await job(id);
  assert.ok(j);
  assert.ok(j.run_at_ms <= Date.now() + 5 && j.run_at_ms >= before - 1000, 'due now');
});

test('an edit during a running sync is queued for the end of the settle window, and later edits join it', async () => {
  const id = await newSpace();
  await db.pool.query(`update spaces set name = 'First' where id = $1`, [id]);
  // A worker takes the job: it is locked while the sync runs.
  const { rows } = await db.pool.query(
    `update graphile_worker._private_jobs set locked_at = now(), locked_by = 'test' where key = $1 returning extract(epoch from locked_at) * 1000 as locked_ms`,
    [`sync_space:${id}`],
  );
  const lockedMs = rows[0].locked_ms as number;
  await db.pool.query(`update spaces set name = 'Second' where id = $1`, [id]);
  const next = await job(id);
  assert.ok(next && next.locked_at === null, 'a new job waits');
  assert.ok(Math.abs(next.run_at_ms - (lockedMs + WINDOW_MS)) < 2, `at the window's end (${next.run_at_ms - lockedMs} ms after the sync started)`);
  for (let i = 0; i < 5; i++) await db.pool.query(`update space_prices set unit_amount = $2 where space_id = $1`, [id, 2000 + i]);
  const joined = await job(id);
  assert.equal(joined?.id, next.id, 'the same job');
  assert.equal(joined?.run_at_ms, next.run_at_ms, 'its time kept');
  assert.equal(await jobCount(id), 2, 'the running one and the waiting one');
});

test('an edit just after a sync finished waits for the window; one long after runs at once', async () => {
  const id = await newSpace();
  const synced = await db.pool.query(
    `update spaces set last_synced_at = clock_timestamp() - interval '100 milliseconds' where id = $1 returning extract(epoch from last_synced_at) * 1000 as ms`,
    [id],
  );
  await db.pool.query(`update spaces set name = 'Soon after' where id = $1`, [id]);
  const soon = await job(id);
  assert.ok(soon);
  assert.ok(Math.abs(soon.run_at_ms - (synced.rows[0].ms + WINDOW_MS)) < 2, 'at the window end');

  const quiet = await newSpace();
  await db.pool.query(`update spaces set last_synced_at = clock_timestamp() - interval '2 seconds' where id = $1`, [quiet]);
  const before = Date.now();
  await db.pool.query(`update spaces set name = 'Long after' where id = $1`, [quiet]);
  const now = await job(quiet);
  assert.ok(now && now.run_at_ms <= Date.now() + 5 && now.run_at_ms >= before - 1000, 'due now');
});

test('a forced sync asked for while a job waits keeps its force when an edit joins it', async () => {
  const id = await newSpace();
  await db.pool.query(`update spaces set name = 'Edited' where id = $1`, [id]);
  await db.pool.query(
    `select graphile_worker.add_job('sync_space', json_build_object('space_id', $1::uuid, 'force', true), job_key => 'sync_space:' || $1, max_attempts => 25)`,
    [id],
  );
  await db.pool.query(`update spaces set name = 'Edited again' where id = $1`, [id]);
  const j = await job(id);
  assert.equal(j?.payload.force, true);
  assert.equal(await jobCount(id), 1);
});
