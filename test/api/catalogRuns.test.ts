// Catalog runs through the API: a plan is applied once (the second apply is a 409 saying so), only a
// computed plan can be applied, runs share the catalog queue (one at a time), and a run reads back
// with the plan it applies and the run that applied it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../helpers/db.ts';
import { adminToken, json, testApp } from './helpers.ts';
import { writeCatalogProgress, type EntryOutcome } from '../../src/sync/writeCatalogProgress.ts';

const db = await createTestDatabase();
const app = testApp(db.pool);
const admin = await adminToken();

type Started = { run_id: string; job_id: number };
type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };

async function start(body: unknown): Promise<Response> {
  return app.request('/api/catalog/runs', json('POST', body, admin));
}

async function plannedRun(): Promise<string> {
  const res = await start({ dry_run: true });
  assert.equal(res.status, 202);
  const { run_id } = (await res.json()) as Started;
  // What the worker writes once the plan is computed.
  await db.pool.query(`update catalog_runs set status = 'planned', plan = '{"totals": {}, "calls": 0, "entries": []}' where id = $1`, [run_id]);
  return run_id;
}

test('a computed plan is applied once; a second apply is refused with a 409 that says so', async () => {
  const plan = await plannedRun();
  const first = await start({ dry_run: false, plan_id: plan });
  assert.equal(first.status, 202);
  const { run_id, job_id } = (await first.json()) as Started;
  const { rows: [job] } = await db.pool.query(`select j.payload, q.queue_name from graphile_worker._private_jobs j left join graphile_worker._private_job_queues q on q.id = j.job_queue_id where j.id = $1`, [job_id]);
  assert.deepEqual(job.payload, { run_id, dry_run: false, plan_id: plan });
  assert.equal(job.queue_name, 'spacesync_catalog', 'catalog runs take turns in one queue');

  const again = await start({ dry_run: false, plan_id: plan });
  assert.equal(again.status, 409);
  const body = (await again.json()) as ErrorBody;
  assert.equal(body.error.code, 'conflict');
  assert.match(body.error.message, new RegExp(`the plan ${plan} was already applied \\(run ${run_id}\\)`));
  assert.match(body.error.fields?.plan_id ?? '', /Compute a new plan/);
  assert.equal((await db.pool.query(`select count(*)::int as n from catalog_runs where applies_plan = $1`, [plan])).rows[0].n, 1);

  const planRead = (await (await app.request(`/api/catalog/runs/${plan}`, json('GET', undefined, admin))).json()) as { applied_by: string | null };
  assert.equal(planRead.applied_by, run_id);
  const applyRead = (await (await app.request(`/api/catalog/runs/${run_id}`, json('GET', undefined, admin))).json()) as Record<string, unknown>;
  assert.equal(applyRead.applies_plan, plan);
  assert.deepEqual(applyRead.outcomes, {});
  assert.equal(applyRead.status, 'queued');
});

test('two applies of one plan at once: one starts, the other is refused', async () => {
  const plan = await plannedRun();
  const answers = await Promise.all([start({ dry_run: false, plan_id: plan }), start({ dry_run: false, plan_id: plan })]);
  assert.deepEqual(answers.map((r) => r.status).sort(), [202, 409]);
});

test('only a computed plan can be applied: not one still planning, not an apply run, not an unknown id', async () => {
  const queued = await start({ dry_run: true });
  const { run_id } = (await queued.json()) as Started;
  const early = await start({ dry_run: false, plan_id: run_id });
  assert.equal(early.status, 409);
  assert.match(((await early.json()) as ErrorBody).error.message, /is queued, not planned/);

  const plan = await plannedRun();
  const { run_id: applyId } = (await (await start({ dry_run: false, plan_id: plan })).json()) as Started;
  const applyOfApply = await start({ dry_run: false, plan_id: applyId });
  assert.equal(applyOfApply.status, 409);
  assert.match(((await applyOfApply.json()) as ErrorBody).error.message, /applies a plan; it is not a plan/);

  assert.equal((await start({ dry_run: false, plan_id: '00000000-0000-4000-8000-000000000099' })).status, 404);
});

test('plan_id is checked: a uuid, and only with dry_run false', async () => {
  const bad = await start({ dry_run: false, plan_id: 'latest' });
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as ErrorBody).error.fields?.plan_id ?? '', /uuid/);
  const dry = await start({ dry_run: true, plan_id: '00000000-0000-4000-8000-000000000099' });
  assert.equal(dry.status, 400);
  assert.match(((await dry.json()) as ErrorBody).error.fields?.plan_id ?? '', /only for an apply/);
});

test('an apply without a plan id still starts (plan and apply in one run)', async () => {
  const res = await start({ dry_run: false });
  assert.equal(res.status, 202);
  const { job_id } = (await res.json()) as Started;
  const { rows: [job] } = await db.pool.query(`select q.queue_name from graphile_worker._private_jobs j left join graphile_worker._private_job_queues q on q.id = j.job_queue_id where j.id = $1`, [job_id]);
  assert.equal(job.queue_name, 'spacesync_catalog');
});

test('an apply run’s outcomes: each entry one row, read whole with the run or followed from a seq', async () => {
  const plan = await plannedRun();
  const { run_id } = (await (await start({ dry_run: false, plan_id: plan })).json()) as Started;
  const [a, b, c] = ['00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000b2', 'prod_orphan'];
  await writeCatalogProgress(db.pool, run_id, { done: 1, failed: 1, calls: 5 }, new Map<string, EntryOutcome>([[a, { status: 'done' }], [b, { status: 'failed', error: 'No such price' }]]));

  const get = async (path: string) => app.request(`/api/catalog/runs/${run_id}${path}`, json('GET', undefined, admin));
  const read = (await (await get('')).json()) as { done: number; failed: number; calls: number; outcomes: Record<string, unknown> };
  assert.deepEqual({ done: read.done, failed: read.failed, calls: read.calls }, { done: 1, failed: 1, calls: 5 });
  assert.deepEqual(read.outcomes, { [a]: { status: 'done' }, [b]: { status: 'failed', error: 'No such price' } });
  assert.equal('outcomes' in ((await (await get('?outcomes=false')).json()) as object), false, 'left out on request');

  type Page = { data: Array<{ entry_key: string; status: string; error: string | null; seq: number }>; last_seq: number; more: boolean };
  const first = (await (await get('/outcomes')).json()) as Page;
  assert.deepEqual(first.data.map((o) => [o.entry_key, o.status, o.error]), [[a, 'done', null], [b, 'failed', 'No such price']]);
  assert.equal(first.more, false);
  assert.equal((await (await get(`/outcomes?after=${first.last_seq}`)).json() as Page).data.length, 0, 'nothing new yet');

  await writeCatalogProgress(db.pool, run_id, { done: 2, failed: 1, calls: 7 }, new Map<string, EntryOutcome>([[c, { status: 'done' }]]));
  const next = (await (await get(`/outcomes?after=${first.last_seq}`)).json()) as Page;
  assert.deepEqual(next.data.map((o) => o.entry_key), [c], 'only what was written since');
  assert.ok(next.last_seq > first.last_seq);
  const paged = (await (await get('/outcomes?limit=2')).json()) as Page;
  assert.deepEqual([paged.data.length, paged.more], [2, true]);
  // An entry written again (a resumed run) replaces its outcome and comes after what was read.
  await writeCatalogProgress(db.pool, run_id, { done: 1, failed: 2, calls: 9 }, new Map<string, EntryOutcome>([[c, { status: 'failed', error: 'Rate limited' }]]));
  const rewritten = (await (await get(`/outcomes?after=${next.last_seq}`)).json()) as Page;
  assert.deepEqual(rewritten.data.map((o) => [o.entry_key, o.status, o.error]), [[c, 'failed', 'Rate limited']]);

  // An entry changed since the plan: stale, counted beside done and failed, read like the others.
  const d = '00000000-0000-4000-8000-0000000000d4';
  await writeCatalogProgress(db.pool, run_id, { done: 1, failed: 2, stale: 1, calls: 9 }, new Map<string, EntryOutcome>([[d, { status: 'stale', error: 'changed since the plan: compute a new plan' }]]));
  const withStale = (await (await get('')).json()) as { done: number; failed: number; stale: number; outcomes: Record<string, unknown> };
  assert.deepEqual([withStale.done, withStale.failed, withStale.stale], [1, 2, 1]);
  assert.deepEqual(withStale.outcomes[d], { status: 'stale', error: 'changed since the plan: compute a new plan' });
  const staleRead = (await (await get(`/outcomes?after=${rewritten.last_seq}`)).json()) as Page;
  assert.deepEqual(staleRead.data.map((o) => [o.entry_key, o.status, o.error]), [[d, 'stale', 'changed since the plan: compute a new plan']]);
  // A progress write without the stale count leaves it as it is.
  await writeCatalogProgress(db.pool, run_id, { done: 1, failed: 2, calls: 10 }, new Map());
  assert.equal(((await (await get('?outcomes=false')).json()) as { stale: number }).stale, 1);

  const { rows: [row] } = await db.pool.query(`select to_jsonb(r) as r from catalog_runs r where id = $1`, [run_id]);
  assert.equal('outcomes' in row.r, false, 'the run row holds counters only');
  assert.equal((await get('/outcomes?after=-1')).status, 400);
  const unknown = await app.request('/api/catalog/runs/00000000-0000-4000-8000-000000000099/outcomes', json('GET', undefined, admin));
  assert.equal(unknown.status, 404);
});
