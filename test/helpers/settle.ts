// Waits until the whole stack is quiet: the emulator's webhook deliveries done, no job queued, every
// stored event handled, the space neither pending nor syncing — twice in a row.
import assert from 'node:assert/strict';
import type { Pool } from '../../src/db/pool.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function settle(stack: { pool: Pool; emulatorUrl: string }, spaceId: string, timeoutMs = 60_000): Promise<void> {
  const { pool, emulatorUrl } = stack;
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  for (;;) {
    const res = await fetch(`${emulatorUrl}/_emulator/webhooks?wait=1&timeoutMs=5000`);
    assert.equal(res.status, 200);
    const { rows: [r] } = await pool.query(
      `select (select count(*)::int from graphile_worker.jobs) as jobs,
              (select count(*)::int from stripe_events where status not in ('processed', 'ignored')) as open,
              (select sync_status from spaces where id = $1) as status`,
      [spaceId],
    );
    if (r.jobs === 0 && r.open === 0 && r.status !== 'pending' && r.status !== 'syncing') {
      if (++quiet >= 2) return;
    } else quiet = 0;
    if (Date.now() > deadline) {
      const jobs = await pool.query(`select task_identifier, payload, attempts, last_error, run_at from graphile_worker.jobs limit 10`);
      const open = await pool.query(`select id, type, status, error from stripe_events where status not in ('processed', 'ignored') limit 10`);
      throw new Error(`not settled after ${timeoutMs} ms: ${JSON.stringify(r)} jobs ${JSON.stringify(jobs.rows)} events ${JSON.stringify(open.rows)}`);
    }
    await sleep(100);
  }
}
