// Catalog runs against a Stripe changed behind our back: the plan shows exactly those changes, the
// apply fixes them, orphans are archived, pre-existing products adopted; a second run is a no-op.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPlan } from '../../src/catalog/index.ts';
import { syncCatalog } from '../../src/sync/syncCatalog.ts';
import { syncSpace } from '../../src/sync/syncSpace.ts';
import {
  assertInSync,
  dashboard,
  emulatorState,
  endpoints,
  insertSpace,
  loadRows,
  nextRequestIndex,
  requestsSince,
  syncEnv,
  THREE_PRICES,
} from './helpers.ts';

// Search lags: adoption must come from the (consistent) listing.
const env = await syncEnv({ emulator: { searchDelayMs: 60_000 } });
const { pool, gateway, emulatorUrl, stripe } = env;

async function newRun(dryRun: boolean): Promise<string> {
  return (await pool.query(`insert into catalog_runs (dry_run) values ($1) returning id`, [dryRun])).rows[0].id;
}

test('plan shows exactly what changed behind our back; apply fixes it; the next plan is empty', async () => {
  // Five spaces synced normally.
  const spaces: string[] = [];
  for (let i = 0; i < 5; i++) {
    const { spaceId } = await insertSpace(pool, { name: `Room ${i}` }, THREE_PRICES);
    await syncSpace({ pool, gateway }, { spaceId });
    spaces.push(spaceId);
  }
  const [renamed, repriced, untouched, deletedSpace, archivedPrice] = spaces;
  // Behind our back, in the dashboard: a rename, a changed price, an archived price.
  await dashboard(emulatorUrl, `products/${(await loadRows(pool, renamed)).space.stripe_product_id}`, { name: 'Renamed in the dashboard' });
  const rp = (await loadRows(pool, repriced)).space;
  const hourly = (await loadRows(pool, repriced)).prices.find((p) => p.is_default)!;
  const other = await dashboard(emulatorUrl, 'prices', { product: rp.stripe_product_id, currency: 'eur', unit_amount: 1, metadata: { managed_by: 'spacesync', space_id: repriced } });
  await dashboard(emulatorUrl, `products/${rp.stripe_product_id}`, { default_price: other.id });
  await dashboard(emulatorUrl, `prices/${hourly.stripe_price_id}`, { active: false });
  const ap = (await loadRows(pool, archivedPrice)).prices.find((p) => !p.is_default)!;
  await dashboard(emulatorUrl, `prices/${ap.stripe_price_id}`, { active: false });
  // In the database: a space deleted without its sync having run (its product is still live).
  await pool.query(`alter table spaces disable trigger _900_enqueue_sync`);
  await pool.query(`delete from spaces where id = $1`, [deletedSpace]);
  await pool.query(`alter table spaces enable trigger _900_enqueue_sync`);
  // A managed product whose space no longer exists at all (an orphan).
  const orphan = await stripe.products.create({ name: 'Gone space', metadata: { managed_by: 'spacesync', space_id: '00000000-0000-4000-8000-000000000000' } });
  // A space that already has its product in Stripe, created a moment ago (search would not see it).
  const { spaceId: preexisting } = await insertSpace(pool, { name: 'Imported room' }, [{ pricing_type: 'daily', unit_amount: 12000 }]);
  await stripe.products.create({ name: 'Imported room', metadata: { managed_by: 'spacesync', space_id: preexisting } });
  // A brand-new space.
  const { spaceId: fresh } = await insertSpace(pool, { name: 'Brand new' }, [{ pricing_type: 'hourly', unit_amount: 4000 }]);

  const planRun = await newRun(true);
  const since = await nextRequestIndex(emulatorUrl);
  const dry = await syncCatalog({ pool, gateway }, { runId: planRun, dryRun: true });
  const listed = endpoints(await requestsSince(emulatorUrl, since));
  assert.ok(listed.every((e) => e === 'GET /v1/products' || e === 'GET /v1/prices'), `a plan only lists (${listed})`);
  assert.deepEqual(dry.plan.totals, { create: 1, recreate: 0, update: 3, reprice: 0, archive_orphan: 2, adopt: 1, unchanged: 1 });
  const kindOf = (id: string) => dry.plan.entries.find((e) => e.spaceId === id)?.kind;
  assert.equal(kindOf(renamed), 'update');
  assert.equal(kindOf(repriced), 'update'); // the default moved back, the stray price archived, ours unarchived
  assert.equal(kindOf(archivedPrice), 'update');
  assert.equal(kindOf(untouched), 'unchanged');
  assert.equal(kindOf(deletedSpace), 'archive_orphan');
  assert.equal(kindOf(preexisting), 'adopt');
  assert.equal(kindOf(fresh), 'create');
  assert.ok(dry.plan.entries.some((e) => e.productId === orphan.id && e.kind === 'archive_orphan'));
  const text = formatPlan(dry.plan);
  assert.match(text, /~ update "Room 0".*\n.*name: "Renamed in the dashboard" → "Room 0"/);
  assert.match(text, /= adopt "Imported room"/);
  assert.match(text, /\+ create "Brand new"/);
  const stored = (await pool.query(`select status, plan, total from catalog_runs where id = $1`, [planRun])).rows[0];
  assert.equal(stored.status, 'planned');
  assert.deepEqual(stored.plan.totals, dry.plan.totals);
  assert.equal(stored.plan.entries.length, 7);
  assert.equal((await emulatorState(emulatorUrl)).products.find((p) => p.id === orphan.id)!.active, true, 'a plan changes nothing');

  const applyRun = await newRun(false);
  const applied = await syncCatalog({ pool, gateway }, { runId: applyRun, dryRun: false, concurrency: 3 });
  assert.equal(applied.progress.failed, 0, JSON.stringify(applied.failures));
  assert.equal(applied.progress.done, 7);
  const run = (await pool.query(`select status, total, done, failed, calls from catalog_runs where id = $1`, [applyRun])).rows[0];
  assert.deepEqual({ ...run, calls: run.calls > 0 }, { status: 'done', total: 7, done: 7, failed: 0, calls: true });
  // Each entry's outcome is a row of its own, keyed by space (an orphan by its product).
  const outcomes = (await pool.query(`select entry_key, status, error from catalog_run_outcomes where run_id = $1 order by seq`, [applyRun])).rows;
  assert.equal(outcomes.length, 7);
  assert.ok(outcomes.every((o) => o.status === 'done' && o.error === null), JSON.stringify(outcomes));
  assert.deepEqual(new Set(outcomes.map((o) => o.entry_key)), new Set(dry.plan.entries.filter((e) => e.kind !== 'unchanged').map((e) => e.spaceId ?? e.productId)));

  const state = await emulatorState(emulatorUrl);
  for (const id of [renamed, repriced, untouched, deletedSpace, archivedPrice, preexisting, fresh]) await assertInSync(env, id, state);
  assert.equal(state.products.filter((p) => p.metadata.space_id === preexisting).length, 1, 'adopted, not duplicated');
  assert.equal(state.products.find((p) => p.id === orphan.id)!.active, false, 'the orphan is archived');
  assert.equal(state.products.find((p) => p.metadata.space_id === deletedSpace)!.active, false);

  const again = await syncCatalog({ pool, gateway }, { runId: await newRun(true), dryRun: true });
  assert.equal(again.plan.totals.unchanged, again.plan.entries.length, formatPlan(again.plan));
  assert.equal(again.plan.calls, 0);
});

test('an interrupted apply is resumed by running it again: what was done is skipped', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) ids.push((await insertSpace(pool, { name: `Resumable ${i}` }, THREE_PRICES)).spaceId);
  // "Interrupted": half of them were applied before the process died.
  for (const id of ids.slice(0, 3)) await syncSpace({ pool, gateway }, { spaceId: id });
  const resumed = await syncCatalog({ pool, gateway }, { runId: await newRun(false), dryRun: false });
  const kinds = ids.map((id) => resumed.plan.entries.find((e) => e.spaceId === id)!.kind);
  assert.deepEqual(kinds, ['unchanged', 'unchanged', 'unchanged', 'create', 'create', 'create']);
  const state = await emulatorState(emulatorUrl);
  for (const id of ids) await assertInSync(env, id, state);
});
