// drain-queue's engine: due jobs run one at a time until the queue is empty or the budget is spent;
// at the deadline the job in hand completes and the rest stay queued, unlocked, for the next call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../src/log.ts';
import { runDueJobs } from '../../src/edge/runDueJobs.ts';
import { createTestDatabase } from '../helpers/db.ts';

const db = await createTestDatabase();

async function addJobs(task: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await db.pool.query(`select graphile_worker.add_job($1, json_build_object('i', $2::int))`, [task, i]);
}

test('runs every due job and stops when the queue is empty', async () => {
  await addJobs('quick', 3);
  const seen: number[] = [];
  const result = await runDueJobs({ pool: db.pool, log: silentLogger, budgetMs: 10_000, taskList: { quick: async (p) => void seen.push((p as { i: number }).i) } });
  assert.deepEqual(seen.sort(), [0, 1, 2]);
  assert.equal(result.completed, 3);
  assert.equal(result.stoppedEarly, false);
  const left = await db.pool.query(`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'quick'`);
  assert.equal(left.rows[0].n, 0);
});

test('at the deadline the running job completes and the others stay queued and unlocked', async () => {
  await addJobs('slow', 3);
  const result = await runDueJobs({ pool: db.pool, log: silentLogger, budgetMs: 100, taskList: { slow: () => new Promise((r) => setTimeout(r, 400)) } });
  assert.equal(result.stoppedEarly, true);
  assert.equal(result.completed, 1);
  const left = await db.pool.query(`select count(*)::int as n, count(locked_at)::int as locked from graphile_worker.jobs where task_identifier = 'slow'`);
  assert.deepEqual(left.rows[0], { n: 2, locked: 0 });
});

test('a failing job is counted and left to graphile-worker’s retry', async () => {
  await addJobs('broken', 1);
  const result = await runDueJobs({ pool: db.pool, log: silentLogger, budgetMs: 5_000, taskList: { broken: async () => { throw new Error('boom'); } } });
  assert.deepEqual(result.tasks.broken, { completed: 0, failed: 1 });
  const { rows } = await db.pool.query(`select attempts, last_error from graphile_worker.jobs where task_identifier = 'broken'`);
  assert.equal(rows[0].attempts, 1);
  assert.match(rows[0].last_error, /boom/);
});
