// Applying a reviewed catalog plan applies what was reviewed: an entry whose change is the same at
// apply time is applied; one changed since the plan (in the database or in the Stripe dashboard) is
// `stale` and left alone; a change that appeared since the plan is not applied by the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syncCatalog } from '../../src/sync/syncCatalog.ts';
import { syncSpace } from '../../src/sync/syncSpace.ts';
import { assertInSync, dashboard, emulatorState, insertSpace, loadRows, THREE_PRICES } from './helpers.ts';
import { syncEnv } from './helpers.ts';

const env = await syncEnv();
const { pool, gateway, emulatorUrl } = env;

async function planRun(): Promise<string> {
  const id: string = (await pool.query(`insert into catalog_runs (dry_run) values (true) returning id`)).rows[0].id;
  await syncCatalog({ pool, gateway }, { runId: id, dryRun: true });
  return id;
}

async function applyRun(planId: string): Promise<string> {
  return (await pool.query(`insert into catalog_runs (dry_run, applies_plan) values (false, $1) returning id`, [planId])).rows[0].id;
}

async function synced(name: string): Promise<string> {
  const { spaceId } = await insertSpace(pool, { name }, THREE_PRICES);
  await syncSpace({ pool, gateway }, { spaceId });
  return spaceId;
}

const productOf = async (spaceId: string) => (await loadRows(pool, spaceId)).space.stripe_product_id!;

test('entries changed since the plan are stale and not applied; the others are applied', async () => {
  const [renamed, editedAgain, dashboardEdited, appearing] = [await synced('Renamed'), await synced('Edited again'), await synced('Dashboard edited'), await synced('Appearing')];
  await pool.query(`update spaces set name = 'Renamed bis' where id = $1`, [renamed]);
  await pool.query(`update spaces set name = 'Edited once' where id = $1`, [editedAgain]);
  await pool.query(`update space_prices set unit_amount = 3000 where space_id = $1 and is_default`, [dashboardEdited]);
  const { spaceId: created } = await insertSpace(pool, { name: 'Brand new' }, [{ pricing_type: 'hourly', unit_amount: 4000 }]);
  const hourlyBefore = (await loadRows(pool, dashboardEdited)).prices.find((p) => p.is_default)!.stripe_price_id;

  const plan = await planRun();
  const reviewed = (await pool.query(`select plan from catalog_runs where id = $1`, [plan])).rows[0].plan;
  assert.deepEqual(
    new Map(reviewed.entries.map((e: { spaceId: string; kind: string }) => [e.spaceId, e.kind])),
    new Map([[renamed, 'update'], [editedAgain, 'update'], [dashboardEdited, 'reprice'], [created, 'create']]),
  );

  // Between review and apply: the space edited again in the database, the product edited in the
  // dashboard, and a change the plan never showed.
  await pool.query(`update spaces set name = 'Edited twice' where id = $1`, [editedAgain]);
  await dashboard(emulatorUrl, `products/${await productOf(dashboardEdited)}`, { name: 'Named in the dashboard' });
  await pool.query(`update spaces set name = 'Appeared later' where id = $1`, [appearing]);

  const run = await applyRun(plan);
  const result = await syncCatalog({ pool, gateway }, { runId: run, dryRun: false });
  assert.equal(result.progress.failed, 0, JSON.stringify(result.failures));
  assert.deepEqual({ done: result.progress.done, stale: result.progress.stale, total: result.progress.total }, { done: 2, stale: 2, total: 4 });
  assert.deepEqual(new Set(result.stale.map((s) => s.spaceId)), new Set([editedAgain, dashboardEdited]));
  assert.deepEqual(result.appeared.map((e) => e.spaceId), [appearing]);

  const row = (await pool.query(`select status, total, done, failed, stale, plan from catalog_runs where id = $1`, [run])).rows[0];
  assert.deepEqual({ status: row.status, total: row.total, done: row.done, failed: row.failed, stale: row.stale }, { status: 'done', total: 4, done: 2, failed: 0, stale: 2 });
  // The run shows the plan reviewed, and what appeared since.
  assert.deepEqual(row.plan.entries.map((e: { spaceId: string }) => e.spaceId).sort(), reviewed.entries.map((e: { spaceId: string }) => e.spaceId).sort());
  assert.deepEqual(row.plan.appeared.map((e: { spaceId: string; name: string }) => [e.spaceId, e.name]), [[appearing, 'Appeared later']]);
  const outcomes = new Map(
    (await pool.query(`select entry_key, status, error from catalog_run_outcomes where run_id = $1`, [run])).rows.map((o) => [o.entry_key, [o.status, o.error]]),
  );
  assert.deepEqual(outcomes.get(renamed), ['done', null]);
  assert.deepEqual(outcomes.get(created), ['done', null]);
  assert.deepEqual(outcomes.get(editedAgain), ['stale', 'changed since the plan: compute a new plan']);
  assert.deepEqual(outcomes.get(dashboardEdited), ['stale', 'changed since the plan: compute a new plan']);
  assert.equal(outcomes.has(appearing), false, 'a change that appeared since the plan has no outcome');
  const finished = (await pool.query(`select message from application_logs where event = 'catalog.finished' and context ->> 'run_id' = $1`, [run])).rows[0];
  assert.match(finished.message, /2 applied, 0 failed, 2 stale .*1 change\(s\) appeared since the plan/);

  // Stripe holds the applied changes, and nothing of the stale or new ones.
  const state = await emulatorState(emulatorUrl);
  const product = (spaceId: string) => state.products.find((p) => p.metadata.space_id === spaceId && p.active)!;
  assert.equal(product(renamed).name, 'Renamed bis');
  await assertInSync(env, renamed, state);
  await assertInSync(env, created, state);
  assert.equal(product(editedAgain).name, 'Edited again', 'neither the reviewed name nor the newer one');
  assert.equal(product(dashboardEdited).name, 'Named in the dashboard');
  const hourly = state.prices.find((p) => p.id === hourlyBefore)!;
  assert.deepEqual([hourly.active, hourly.unit_amount], [true, 2500], 'the reprice reviewed was not applied');
  assert.equal(state.prices.some((p) => p.unit_amount === 3000), false);
  assert.equal(product(appearing).name, 'Appearing');

  // A new plan shows the stale and new changes again.
  const next = (await pool.query(`select plan from catalog_runs where id = $1`, [await planRun()])).rows[0].plan;
  assert.deepEqual(new Set(next.entries.map((e: { spaceId: string }) => e.spaceId)), new Set([editedAgain, dashboardEdited, appearing]));
});

test('a catalog unchanged since the plan is applied entry by entry', async () => {
  const kept = await synced('Kept');
  const spaces = [await synced('One'), await synced('Two')];
  await pool.query(`update spaces set name = name || ' bis' where id = any($1::uuid[])`, [spaces]);
  await pool.query(`update space_prices set unit_amount = unit_amount + 100 where space_id = $1 and pricing_type = 'daily'`, [spaces[0]]);
  const { spaceId: created } = await insertSpace(pool, { name: 'Created' }, THREE_PRICES);
  const orphan = await env.stripe.products.create({ name: 'Orphan', metadata: { managed_by: 'spacesync', space_id: '00000000-0000-4000-8000-00000000beef' } });

  const plan = await planRun();
  // Every entry the plan holds (those the test before left too, unchanged since).
  const entries: Array<{ spaceId: string | null; productId: string }> = (await pool.query(`select plan from catalog_runs where id = $1`, [plan])).rows[0].plan.entries;
  // Outcomes are keyed by space, an orphan by the space its metadata names, else its product.
  const keys = entries.map((e) => e.spaceId ?? e.productId);
  for (const key of [...spaces, created]) assert.ok(keys.includes(key), `${key} is planned`);
  assert.ok(entries.some((e) => e.productId === orphan.id), 'the orphan is planned');
  const run = await applyRun(plan);
  const result = await syncCatalog({ pool, gateway }, { runId: run, dryRun: false, concurrency: 2 });
  assert.deepEqual({ ...result.progress, calls: 0, elapsedMs: 0 }, { total: keys.length, done: keys.length, failed: 0, stale: 0, calls: 0, elapsedMs: 0 });
  assert.deepEqual(result.appeared, []);
  const outcomes = (await pool.query(`select entry_key, status from catalog_run_outcomes where run_id = $1`, [run])).rows;
  assert.deepEqual(new Set(outcomes.map((o) => `${o.entry_key}:${o.status}`)), new Set(keys.map((k) => `${k}:done`)));
  const state = await emulatorState(emulatorUrl);
  for (const id of [kept, ...spaces, created]) await assertInSync(env, id, state);
  assert.equal(state.products.find((p) => p.id === orphan.id)!.active, false);
});

test('a space edited after the apply planned it is not synced at the newer version', async () => {
  const spaceId = await synced('Versioned');
  await pool.query(`update spaces set name = 'Versioned bis' where id = $1`, [spaceId]);
  const { space } = await loadRows(pool, spaceId);
  const calls = gateway.stats.calls;
  const outcome = await syncSpace({ pool, gateway }, { spaceId, onlyVersion: Number(space.version) - 1 });
  assert.deepEqual(outcome, { status: 'changed', version: Number(space.version) });
  assert.equal(gateway.stats.calls, calls, 'no Stripe call');
  assert.equal((await loadRows(pool, spaceId)).space.sync_status, 'pending', 'left for its own sync');
  const state = await emulatorState(emulatorUrl);
  assert.equal(state.products.find((p) => p.id === space.stripe_product_id)!.name, 'Versioned');
});

test('the apply of a plan, resumed after a crash, keeps what it applied and applies the rest', async () => {
  // Everything left by the tests before applied first: this plan holds the two new spaces only.
  await syncCatalog({ pool, gateway }, { runId: await applyRun(await planRun()), dryRun: false });
  const first = (await insertSpace(pool, { name: 'Applied before the crash' }, THREE_PRICES)).spaceId;
  const second = (await insertSpace(pool, { name: 'Applied after the restart' }, THREE_PRICES)).spaceId;
  const plan = await planRun();
  const run = await applyRun(plan);
  // The first attempt applied one entry, wrote its outcome, and died.
  await syncSpace({ pool, gateway }, { spaceId: first });
  await pool.query(`insert into catalog_run_outcomes (run_id, entry_key, status) values ($1, $2, 'done')`, [run, first]);
  const result = await syncCatalog({ pool, gateway }, { runId: run, dryRun: false });
  assert.deepEqual({ total: result.progress.total, done: result.progress.done, stale: result.progress.stale, failed: result.progress.failed }, { total: 2, done: 2, stale: 0, failed: 0 });
  const outcomes = (await pool.query(`select entry_key, status from catalog_run_outcomes where run_id = $1 order by entry_key`, [run])).rows;
  assert.deepEqual(outcomes, [first, second].sort().map((entry_key) => ({ entry_key, status: 'done' })));
  const state = await emulatorState(emulatorUrl);
  for (const id of [first, second]) await assertInSync(env, id, state);
});
