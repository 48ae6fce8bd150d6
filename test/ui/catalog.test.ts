// Catalog sync and drift in the browser: a dry-run plan grouped by kind with readable diffs, applying
// it with live progress, then a product edited in the (emulated) Stripe dashboard shown as drift and
// fixed with Enforce.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { SPACE_LOCK_CLASS } from '../../src/sync/spaceLock.ts';
import { startStack } from '../helpers/stack.ts';
import { adminPage, emulator, eventually, launchBrowser, noChromium, productOfSpace, screenshot, spaceRow, waitForStatus } from './browser.ts';
import { withTransaction } from '../../src/db/pool.ts';

const SEEDED = 24;

describe('admin UI: catalog sync and drift', { skip: noChromium }, () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  let page: Page;

  before(async () => {
    stack = await startStack();
    // Spaces imported while nothing synced them (enqueue trigger off, as during a bulk import with the
    // worker down): the catalog sync has to create their products.
    await withTransaction(stack.pool, async (client) => {
      await client.query('alter table public.spaces disable trigger _900_enqueue_sync');
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
    browser = await launchBrowser();
    page = await adminPage(browser, stack);
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('computes a plan (dry run) and shows it grouped, with from → to changes', async () => {
    await page.goto(`${stack.apiUrl}/catalog`);
    await page.getByRole('button', { name: 'Compute plan (dry run)' }).click();
    const group = page.locator('[data-plan-group="create"]');
    await group.waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('[data-plan-total="create"] .tabular-nums').textContent(), String(SEEDED));
    const entry = group.locator('[data-plan-entry="create"]').filter({ hasText: 'Imported room 01' });
    await entry.getByText('€10.00').first().waitFor();
    const state = await emulator.state(stack.emulatorUrl);
    assert.equal(state.products.length, 0, 'a dry run changes nothing in Stripe');
    await screenshot(page, 'catalog-plan');
  });

  it('applies the plan with a live progress bar and shows the result', async () => {
    // Slow Stripe down a little so the progress is visible between start and end.
    await emulator.faults(stack.emulatorUrl, { rules: [{ route: '* /v1/*', latencyMs: 40 }] });
    try {
      await page.evaluate(() => {
        const seen: number[] = [];
        (window as unknown as { progressSeen: number[] }).progressSeen = seen;
        new MutationObserver(() => {
          const bar = document.querySelector('[role="progressbar"]');
          const v = Number(bar?.getAttribute('aria-valuenow'));
          if (bar && seen.at(-1) !== v) seen.push(v);
        }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
      });
      await page.getByRole('button', { name: 'Apply plan' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Apply plan' }).click();
      await page.locator('[data-run-progress]').waitFor();
      await page.locator('[data-run-progress][data-run-status="done"]').waitFor({ timeout: 90_000 });
      await page.locator('[data-run-result]').getByText(`Applied: ${SEEDED} of ${SEEDED} done, 0 failed`).waitFor();
      const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
      assert.ok(seen.some((v) => v > 0 && v < SEEDED), `intermediate progress was shown (saw ${seen.join(', ')})`);
      await screenshot(page, 'catalog-applied');
    } finally {
      await emulator.faults(stack.emulatorUrl, { clear: true });
    }
    const state = await emulator.state(stack.emulatorUrl);
    assert.equal(state.products.filter((p) => p.active && p.metadata.managed_by === 'spacesync').length, SEEDED);
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
