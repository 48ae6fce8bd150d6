// Catalog sync in the browser, at 1440×900 and 390×844: a dry-run plan grouped by kind, its changes
// with readable field names, money only on amount fields (an address stays as typed), before → after
// in columns that line up; applying it once (queued behind another run first, then each entry
// pending → done or failed with Stripe's message, the time left; an entry edited after the plan was
// computed is not applied and reads as changed since the plan), the server refusing a second apply;
// a new plan counting the unchanged without an empty group; then a dashboard edit shown as drift and
// fixed with Enforce. axe-core runs on each state and must find nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { SPACE_LOCK_CLASS } from '../../src/sync/spaceLock.ts';
import { startStack } from '../helpers/stack.ts';
import { adminPage, assertAccessible, assertFitsWidth, emulator, eventually, launchBrowser, noChromium, PHONE, productOfSpace, screenshot, spaceRow, waitForStatus } from './browser.ts';
import { withTransaction } from '../../src/db/pool.ts';

const SEEDED = 24;
const ADDRESS = '78 rue Oberkampf, Bastille';

/** The left edges of every cell of a column in the plan: one value when the column lines up. */
async function columnLefts(page: Page, selector: string): Promise<number[]> {
  const lefts = await page.locator(selector).evaluateAll((cells) => cells.map((c) => Math.round(c.getBoundingClientRect().left)));
  return [...new Set(lefts)];
}

async function assertAligned(page: Page, state: string): Promise<void> {
  for (const column of ['[data-change-from]', '[data-change-to]']) {
    const lefts = await columnLefts(page, `[data-plan] ${column}`);
    assert.equal(lefts.length, 1, `${column} cells line up in "${state}" (left edges ${lefts.join(', ')})`);
  }
}

describe('admin UI: catalog sync and drift', { skip: noChromium }, () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  let page: Page;
  let failing: { id: string; productId: string };
  let planUrl = '';

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${stack.apiUrl}/api${path}`, { ...init, headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' } });

  before(async () => {
    stack = await startStack();
    // Two spaces synced as usual, then renamed while nothing synced them: the plan updates them.
    const { rows: synced } = await stack.pool.query<{ id: string }>(`insert into spaces (name) values ('Synced room A'), ('Synced room B') returning id`);
    for (const { id } of synced) {
      await eventually('the space synced', async () => (await stack.pool.query(`select 1 from spaces where id = $1 and sync_status = 'synced'`, [id])).rowCount);
    }
    // Spaces imported while nothing synced them (enqueue trigger off, as during a bulk import with the
    // worker down): the catalog sync has to create their products.
    await withTransaction(stack.pool, async (client) => {
      await client.query('alter table public.spaces disable trigger _900_enqueue_sync');
      await client.query(`update public.spaces set name = name || ' (renamed)' where id = any($1::uuid[])`, [synced.map((s) => s.id)]);
      await client.query(`update public.spaces set location = $2, kind = 'office' where id = $1`, [synced[1].id, ADDRESS]);
      const { rows } = await client.query<{ id: string }>(
        `insert into public.spaces (name, kind, capacity, location)
         select 'Imported room ' || lpad(i::text, 2, '0'), 'meeting_room', 4 + i, 'Lyon' from generate_series(1, $1) i returning id`,
        [SEEDED],
      );
      for (const [i, { id }] of rows.entries()) {
        await client.query(`insert into public.space_prices (space_id, pricing_type, unit_amount, currency) values ($1, 'hourly', $2, 'eur')`, [id, 1000 + i * 100]);
      }
      await client.query('alter table public.spaces enable trigger _900_enqueue_sync');
    });
    const { product } = await productOfSpace(stack.emulatorUrl, synced[0].id);
    assert.ok(product);
    failing = { id: synced[0].id, productId: product.id };
    browser = await launchBrowser();
    page = await adminPage(browser, stack);
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('computes a plan (dry run): grouped, fields in words, money only for amounts, columns aligned', async () => {
    await page.goto(`${stack.apiUrl}/catalog`);
    await page.getByRole('button', { name: 'Compute plan (dry run)' }).click();
    const group = page.locator('[data-plan-group="create"]');
    await group.waitFor({ timeout: 30_000 });
    planUrl = page.url();
    assert.equal(await page.locator('[data-plan-total="create"] .tabular-nums').textContent(), String(SEEDED));
    assert.equal(await page.locator('[data-plan-total="update"] .tabular-nums').textContent(), '2');
    const entry = group.locator('[data-plan-entry="create"]').filter({ hasText: 'Imported room 01' });
    // The amount is money; the address (a metadata value) is exactly as typed, not read as "78 RUE".
    await entry.locator('[data-change-field="price hourly"] [data-change-to]').getByText('€10.00 (default)').waitFor();
    assert.equal(await entry.locator('[data-change-field="price hourly"] [data-change-label]').textContent(), 'Price · Hourly');
    assert.equal(await entry.locator('[data-change-field="product"] [data-change-label]').textContent(), 'Product');
    const renamed = page.locator('[data-plan-entry="update"]').filter({ hasText: 'Synced room A' });
    assert.equal(await renamed.locator('[data-change-field="name"] [data-change-label]').textContent(), 'Name');
    assert.equal(await renamed.locator('[data-change-field="name"] [data-change-from]').textContent(), 'Synced room A');
    // The address (a metadata value) is exactly as typed, not read as an amount of "78 RUE".
    const moved = page.locator('[data-plan-entry="update"]').filter({ hasText: 'Synced room B' });
    assert.equal(await moved.locator('[data-change-field="metadata.location"] [data-change-to]').textContent(), ADDRESS);
    assert.equal(await moved.locator('[data-change-field="metadata.location"] [data-change-label]').textContent(), 'Location (metadata)');
    assert.equal(await moved.locator('[data-change-field="metadata.kind"] [data-change-to]').textContent(), 'Office');
    // No field is shown by its raw key.
    const labels = await page.locator('[data-change-label]').allTextContents();
    assert.ok(labels.length > SEEDED, 'changes are listed');
    for (const label of labels) assert.doesNotMatch(label, /^[a-z_]+(\.[a-z_]+)*$|default_price|lookup_key|metadata\./, `"${label}" is a readable name`);
    assert.equal(await page.getByText('€0.78').count(), 0, 'no address read as money');
    await assertAligned(page, 'plan (desktop)');
    assert.equal(await page.locator('[data-plan-group="unchanged"]').count(), 0);
    const state = await emulator.state(stack.emulatorUrl);
    assert.equal(state.products.length, 2, 'a dry run changes nothing in Stripe');
    await assertAccessible(page, 'catalog plan (desktop)');
    await assertFitsWidth(page, 'catalog plan (desktop)');
    await screenshot(page, 'catalog-plan');
  });

  it('applies the plan once: queued behind another run, then each entry pending → done or failed, the time left; an entry edited since the plan stale', async () => {
    // Edited after the plan was computed: the apply leaves it (its own sync takes the edit).
    const edited = (await stack.pool.query<{ id: string }>(`select id from spaces where name = 'Imported room 05'`)).rows[0].id;
    await stack.pool.query(`update space_prices set unit_amount = 9900 where space_id = $1`, [edited]);
    // Listing Stripe is slow and Stripe refuses every update of one product.
    await emulator.faults(stack.emulatorUrl, {
      rules: [
        { route: `POST /v1/products/${failing.productId}`, errorRate: 1 },
        { route: 'GET /v1/*', latencyMs: 1500 },
        { route: '* /v1/*', latencyMs: 100 },
      ],
    });
    try {
      await page.evaluate(() => {
        const seen = { progress: [] as number[], mixed: false, timeLeft: false };
        (window as unknown as { seen: typeof seen }).seen = seen;
        new MutationObserver(() => {
          const bar = document.querySelector('[role="progressbar"]');
          const v = Number(bar?.getAttribute('aria-valuenow'));
          if (bar && seen.progress.at(-1) !== v) seen.progress.push(v);
          if (document.querySelector('[data-entry-status="pending"]') && document.querySelector('[data-entry-status="done"]')) seen.mixed = true;
          if (document.querySelector('[data-time-left]')) seen.timeLeft = true;
        }).observe(document.body, { subtree: true, childList: true, attributes: true });
      });
      // Another run is planning (slowly): the apply waits for it in the catalog queue.
      const other = await api('/catalog/runs', { method: 'POST', body: JSON.stringify({ dry_run: true }) });
      assert.equal(other.status, 202);
      await page.getByRole('button', { name: 'Apply plan' }).click();
      await page.getByRole('alertdialog').locator('[data-apply-only-reviewed]').getByText('Only the changes shown here are applied.').waitFor();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Apply plan' }).click();
      const queued = page.locator('[data-run-queued]');
      await queued.waitFor({ timeout: 10_000 });
      assert.match((await queued.textContent()) ?? '', /Queued: other syncs are running first/);
      await assertAccessible(page, 'apply queued (desktop)');
      await queued.waitFor({ state: 'detached', timeout: 30_000 });
      await page.locator('[data-run-progress][data-run-status="done"]').waitFor({ timeout: 90_000 });
      await page.locator('[data-run-result]').getByText(`Applied: ${SEEDED} of ${SEEDED + 2} done, 1 failed`).waitFor();
      await page.locator('[data-run-stale]').getByText('1 entry changed since the plan and was not applied. Compute a new plan to review it again.').waitFor();
      assert.equal(await page.locator('[data-run-stale-count]').textContent(), '1 changed since the plan');
      const seen = await page.evaluate(() => (window as unknown as { seen: { progress: number[]; mixed: boolean; timeLeft: boolean } }).seen);
      assert.ok(seen.progress.some((v) => v > 0 && v < SEEDED), `intermediate progress was shown (saw ${seen.progress.join(', ')})`);
      assert.ok(seen.mixed, 'entries were shown pending and done at once while applying');
      assert.ok(seen.timeLeft, 'the time left was shown while applying');
    } finally {
      await emulator.faults(stack.emulatorUrl, { clear: true });
    }
    // Each entry's status, the failed one with Stripe's own message.
    const applyId = new URL(page.url()).searchParams.get('apply')!;
    const run = (await (await api(`/catalog/runs/${applyId}`)).json()) as { outcomes: Record<string, { status: string; error?: string }> };
    const failedEntry = page.locator(`[data-plan-entry][data-space-id="${failing.id}"]`);
    await failedEntry.locator('[data-entry-outcome]').getByText('Failed').waitFor();
    assert.equal(run.outcomes[failing.id].status, 'failed');
    assert.equal(await failedEntry.locator('[data-entry-error]').textContent(), `Stripe said: ${run.outcomes[failing.id].error}`);
    const staleEntry = page.locator(`[data-plan-entry][data-space-id="${edited}"]`);
    assert.equal(await staleEntry.getAttribute('data-entry-status'), 'stale');
    assert.equal(await staleEntry.locator('[data-entry-outcome]').textContent(), 'Changed since the plan');
    assert.equal(await staleEntry.locator('[data-entry-stale]').textContent(), 'Not applied: this entry changed since the plan. Compute a new plan.');
    assert.equal(run.outcomes[edited].status, 'stale');
    assert.equal(await page.locator('[data-entry-status="done"]').count(), SEEDED);
    assert.equal(await page.locator('[data-entry-status="pending"]').count(), 0);
    // Applied once: the button stays disabled, and the server refuses another apply of this plan.
    assert.equal(await page.locator('[data-apply-button]').isDisabled(), true);
    const planId = new URL(page.url()).searchParams.get('plan')!;
    const again = await api('/catalog/runs', { method: 'POST', body: JSON.stringify({ dry_run: false, plan_id: planId }) });
    assert.equal(again.status, 409);
    assert.match(((await again.json()) as { error: { message: string } }).error.message, /already applied/);
    await assertAccessible(page, 'catalog applied (desktop)');
    await screenshot(page, 'catalog-applied');
    // The edited space is synced by its own job, at its new price; the catalog run sent nothing for it.
    await eventually('the edited space synced by its own job', async () => {
      const { product } = await productOfSpace(stack.emulatorUrl, edited);
      return product && (await emulator.state(stack.emulatorUrl)).prices.some((p) => p.active && p.unit_amount === 9900 && p.product === product.id);
    });
    const state = await emulator.state(stack.emulatorUrl);
    assert.equal(state.products.filter((p) => p.active && p.metadata.managed_by === 'spacesync').length, SEEDED + 2);
  });

  it('on a phone: the applied plan aligned and fitting, then a new plan counting the unchanged without an empty group', async () => {
    const phone = await adminPage(browser, stack, { viewport: PHONE });
    try {
      await phone.goto(page.url());
      await phone.locator('[data-run-progress][data-run-status="done"]').waitFor({ timeout: 30_000 });
      await phone.locator('[data-entry-status="failed"]').waitFor();
      await phone.locator('[data-entry-status="stale"] [data-entry-stale]').waitFor();
      await assertAligned(phone, 'applied plan (phone)');
      await assertFitsWidth(phone, 'applied plan (phone)');
      await assertAccessible(phone, 'applied plan (phone)');
      assert.equal(await phone.locator('[data-apply-button]').isDisabled(), true, 'still applied once');
      await phone.goto(planUrl);
      await phone.locator('[data-plan-applied]').waitFor();
      assert.equal(await phone.locator('[data-apply-button]').isDisabled(), true, 'the plan reads as applied after a reload');
      await phone.getByRole('button', { name: 'Recompute plan' }).click();
      await eventually('a new plan', async () => new URL(phone.url()).searchParams.get('plan') !== new URL(planUrl).searchParams.get('plan'));
      const update = phone.locator('[data-plan-group="update"]');
      await update.waitFor({ timeout: 30_000 });
      // What is left: the entry Stripe refused. The rest are counted, not listed under an empty group.
      assert.equal(await update.locator('[data-plan-entry]').count(), 1);
      assert.equal(await phone.locator('[data-plan-total="unchanged"] .tabular-nums').textContent(), String(SEEDED + 1));
      assert.equal(await phone.locator('[data-plan-group="unchanged"]').count(), 0);
      assert.equal(await phone.locator('[data-plan-unlisted]').textContent(), `${SEEDED + 1} already in step with Stripe (not listed).`);
      assert.equal(await phone.locator('[data-apply-button]').isDisabled(), false, 'a new plan can be applied');
      await assertAligned(phone, 'new plan (phone)');
      await assertFitsWidth(phone, 'new plan (phone)');
      await assertAccessible(phone, 'new plan (phone)');
      await screenshot(phone, 'catalog-plan-phone');
    } finally {
      await phone.context().close();
    }
  });

  it('shows a dashboard edit as drift and fixes it with Enforce', async () => {
    const { rows } = await stack.pool.query<{ id: string; name: string }>(`select id, name from spaces where name = 'Imported room 03'`);
    const space = rows[0];
    const { product } = await productOfSpace(stack.emulatorUrl, space.id);
    assert.ok(product);
    await page.goto(`${stack.apiUrl}/spaces?q=Imported%20room%2003`);
    await waitForStatus(page, space.id, 'synced');
    // The drift policy re-syncs at once; hold the space's sync lock (as a worker busy with it would)
    // so the drift stays on screen until an admin acts.
    const lock = await stack.pool.connect();
    try {
      await lock.query('select pg_advisory_lock($1::int, hashtext($2::text))', [SPACE_LOCK_CLASS, space.id]);
      await emulator.dashboardUpdateProduct(stack.emulatorUrl, product.id, { name: 'Renamed in the dashboard' });
      await waitForStatus(page, space.id, 'drift', 30_000);
      await spaceRow(page, space.id).getByRole('button', { name: 'Review', exact: true }).click();
      const dialog = page.getByRole('dialog');
      const fields = dialog.locator('[data-drift-fields]');
      await fields.getByText('Renamed in the dashboard').waitFor();
      await fields.getByText(space.name).waitFor();
      // The policy is named in words, not by its configuration value.
      await dialog.getByText('Automatic policy: enforce the catalog').waitFor();
      await screenshot(page, 'drift');
      await dialog.getByRole('button', { name: 'Enforce catalog' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByText(`Resolving drift on “${space.name}”…`).waitFor();
    } finally {
      await lock.query('select pg_advisory_unlock($1::int, hashtext($2::text))', [SPACE_LOCK_CLASS, space.id]).catch(() => {});
      lock.release();
    }
    await waitForStatus(page, space.id, 'synced', 30_000);
    await page.getByText(`“${space.name}” is in sync with Stripe.`).waitFor();
    await eventually('the catalog name back in Stripe', async () => (await productOfSpace(stack.emulatorUrl, space.id)).product?.name === space.name);
  });
});
