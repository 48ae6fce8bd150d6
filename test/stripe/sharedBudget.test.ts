// The Stripe budget shared through a real Postgres: limiters on separate pools (as separate
// processes would be) hold one rate together, and a holder that vanishes blocks nobody for long.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPool } from '../../src/db/pool.ts';
import { createStripeBudget } from '../../src/sync/stripeBudget.ts';
import { createTestDatabase } from '../helpers/db.ts';

const db = await createTestDatabase();

function maxInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

test('the database lease moves the budget on by the slots it gives, as leaseSlots computes', async () => {
  const first = await db.pool.query(`select * from spacesync_lease_stripe_slots('lease-math', 10, 5, 1)`);
  assert.equal(first.rows[0].slots, 5);
  assert.equal(first.rows[0].interval_ms, 100);
  assert.equal(first.rows[0].first_ms, first.rows[0].now_ms, 'an idle budget starts now');
  const second = await db.pool.query(`select * from spacesync_lease_stripe_slots('lease-math', 10, 1, 1)`);
  // Five slots of 100 ms were leased just before: the next one is about 500 ms away.
  const delay = second.rows[0].first_ms - second.rows[0].now_ms;
  assert.ok(delay > 400 && delay <= 500, `next slot in ${delay} ms`);
  assert.equal(second.rows[0].first_ms, first.rows[0].first_ms + 500, 'right after the five before');
  const { rows } = await db.pool.query(`select leases, slots from stripe_rate_budgets where name = 'lease-math'`);
  assert.deepEqual(rows[0], { leases: 2, slots: 6 });
  await assert.rejects(db.pool.query(`select * from spacesync_lease_stripe_slots('lease-math', 0, 1, 1)`), /rate must be > 0/);
});

test('a lease commits without waiting for the disk, that transaction only: the connection commits durably after it', async () => {
  const c = await db.pool.connect();
  try {
    await c.query('begin');
    await c.query(`select * from spacesync_lease_stripe_slots('async-commit', 10, 1, 1)`);
    assert.equal((await c.query(`select current_setting('synchronous_commit') as s`)).rows[0].s, 'off');
    await c.query('commit');
    assert.equal((await c.query(`select current_setting('synchronous_commit') as s`)).rows[0].s, 'on');
    await c.query(`select * from spacesync_lease_stripe_slots('async-commit', 10, 1, 1)`);
    assert.equal((await c.query(`select current_setting('synchronous_commit') as s`)).rows[0].s, 'on');
  } finally {
    c.release();
  }
});

test('three limiters on three pools share one rate: never more than the rate in any second', async () => {
  const rate = 40;
  const pools = [0, 1, 2].map(() => createPool(db.url, { max: 2 }));
  const limiters = pools.map((pool) => createStripeBudget(pool, { ratePerSecond: rate, budget: 'three-pools' }));
  const times: number[] = [];
  const started = performance.now();
  try {
    // 40 requests each, 120 in all, all asked for at once: alone, each limiter would need 1 s.
    await Promise.all(limiters.flatMap((l) => Array.from({ length: 40 }, () => l.acquire().then(() => times.push(performance.now())))));
  } finally {
    await Promise.all(limiters.map((l) => l.close()));
    await Promise.all(pools.map((p) => p.end()));
  }
  const elapsed = performance.now() - started;
  assert.equal(times.length, 120);
  // Slots are 1/rate apart across all three; a request starts at most one interval after its slot.
  assert.ok(maxInAnyWindow(times, 1000) <= rate + 3, `at most ${rate} + 3 in any second, got ${maxInAnyWindow(times, 1000)}`);
  assert.ok(elapsed >= 2900, `120 requests at ${rate}/s take about 3 s together (took ${Math.round(elapsed)} ms)`);
  assert.ok(elapsed < 6000, `and not much more (took ${Math.round(elapsed)} ms)`);
});

test('slots leased by a process that then dies hold the others back for that lease only', async () => {
  const rate = 20; // 50 ms a slot
  // A process leases 4 slots (200 ms of the budget) and is killed before using them.
  await db.pool.query(`select * from spacesync_lease_stripe_slots('dead-holder', $1, 4, 1)`, [rate]);
  const pool = createPool(db.url, { max: 2 });
  const limiter = createStripeBudget(pool, { ratePerSecond: rate, budget: 'dead-holder' });
  try {
    const t0 = performance.now();
    await limiter.acquire();
    const waited = performance.now() - t0;
    assert.ok(waited >= 150 && waited < 400, `the survivor's first request waits for the dead lease to pass, no more (${Math.round(waited)} ms)`);
  } finally {
    await limiter.close();
    await pool.end();
  }
});

test('a quiet limiter told a request is coming has its slot before the request asks', async () => {
  const pool = createPool(db.url, { max: 2 });
  const limiter = createStripeBudget(pool, { ratePerSecond: 10, budget: 'reserve' });
  try {
    limiter.reserve();
    // The lease's round trip happens meanwhile (a sync locks and reads its space).
    while (limiter.stats.slots === 0) await new Promise((r) => setTimeout(r, 2));
    const t0 = performance.now();
    await limiter.acquire();
    assert.ok(performance.now() - t0 < 5, 'served from the slot leased ahead');
    assert.equal(limiter.stats.leases, 1, 'one lease for both');
  } finally {
    await limiter.close();
    await pool.end();
  }
});

test('a closed limiter refuses requests, and a budget it cannot reach is an error naming it', async () => {
  const pool = createPool(db.url, { max: 1 });
  const limiter = createStripeBudget(pool, { ratePerSecond: 10, budget: 'closed' });
  await limiter.close();
  await assert.rejects(limiter.acquire(), /closed/);
  await pool.end();

  const broken = createPool(db.url.replace(/\/[^/]*$/, '/no_such_database_here'), { max: 1 });
  const unreachable = createStripeBudget(broken, { ratePerSecond: 10, budget: 'x' });
  await assert.rejects(unreachable.acquire(), /could not lease Stripe request slots from the shared budget/);
  await unreachable.close();
  await broken.end();
});
