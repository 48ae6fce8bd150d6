// Live means live, at 1440×900 and 390×844: a space created, renamed or deleted by plain SQL shows in
// an open list (within a second for a new one) without a reload, keeping the scroll position and an
// open dialog; a drift made in the Stripe dashboard shows as a toast, a badge on the row until
// acknowledged, and in the space's "Stripe edits"; the connection indicator tells the truth.
// axe-core runs on each state and must find nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startStack } from '../helpers/stack.ts';
import { adminPage, assertAccessible, assertFitsWidth, emulator, eventually, launchBrowser, noChromium, productOfSpace, screenshot, VIEWPORTS, waitForStatus } from './browser.ts';

/** The id of the row drawn at the top of the list's view (rows are absolutely placed, virtualised). */
const TOP_ROW = rowAt(30);
/** The id of a row well inside the view: one an admin can tap as it is, without scrolling to it. */
const MIDDLE_ROW = rowAt(250);

function rowAt(offset: number): string {
  return `(() => {
  const top = document.querySelector('[data-spaces-scroll]').getBoundingClientRect().top + ${offset};
  const row = [...document.querySelectorAll('[data-spaces-scroll] [data-space-id]')].find((r) => { const b = r.getBoundingClientRect(); return b.top <= top && top < b.bottom; });
  return row ? row.getAttribute('data-space-id') : null;
})()`;
}

describe('admin UI: live list, drift history, connection state', { skip: noChromium }, () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;

  before(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    // Enough rows to scroll.
    await stack.pool.query(`insert into spaces (name, location) select 'Filler ' || lpad(i::text, 3, '0'), 'Floor ' || (i % 5) from generate_series(1, 40) i`);
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    describe(`at ${viewport.width}×${viewport.height} (${name})`, () => {
      let page: Page;
      before(async () => {
        page = await adminPage(browser, stack, { viewport });
        await page.goto(`${stack.apiUrl}/spaces`);
        await page.locator('[data-stream-state="open"]').waitFor();
        await page.locator('[data-space-id]').first().waitFor();
      });
      after(async () => page?.context().close());

      it('shows a space inserted by plain SQL within a second, then its rename, then its removal', async () => {
        await assertFitsWidth(page, `spaces list (${name})`);
        await assertAccessible(page, `spaces list (${name})`);
        const label = `Réunion SQL ${name}`;
        const { rows: [s] } = await stack.pool.query<{ id: string }>(`insert into spaces (name) values ($1) returning id`, [label]);
        await page.locator(`[data-space-id="${s.id}"]`).getByText(label).waitFor({ timeout: 1000 });
        await stack.pool.query(`update spaces set name = $2 where id = $1`, [s.id, `${label} renamed`]);
        await page.locator(`[data-space-id="${s.id}"]`).getByText(`${label} renamed`).waitFor({ timeout: 5000 });
        await stack.pool.query(`delete from spaces where id = $1`, [s.id]);
        await page.locator(`[data-space-id="${s.id}"]`).waitFor({ state: 'detached', timeout: 5000 });
      });

      it('keeps the scroll position and an open dialog while spaces arrive', async () => {
        const scroller = page.locator('[data-spaces-scroll]');
        await scroller.evaluate((el) => (el.scrollTop = 600));
        try {
        const topRow = await page.evaluate(TOP_ROW);
        assert.ok(topRow, 'a row is at the top of the view');
        const tapped = await page.evaluate(MIDDLE_ROW);
        assert.ok(tapped && tapped !== topRow, 'a row in the middle of the view');
        await page.locator(`[data-space-id="${tapped}"]`).getByRole('button').first().click();
        const dialog = page.getByRole('dialog');
        await dialog.waitFor();
        await dialog.getByLabel('Location').fill('typed while things change');
        await stack.pool.query(`insert into spaces (name) select 'Arrival ' || i from generate_series(1, 3) i`);
        await page.locator('[data-space-id]').filter({ hasText: 'Arrival 3' }).first().waitFor({ state: 'attached', timeout: 5000 }).catch(() => {});
        await page.waitForTimeout(500);
        assert.equal(await dialog.getByLabel('Location').inputValue(), 'typed while things change', 'the open form is untouched');
        const topAfter = await page.evaluate(TOP_ROW);
        assert.equal(topAfter, topRow, `the same row is still at the top of the view (scrollTop ${await scroller.evaluate((el) => el.scrollTop)})`);
        await page.keyboard.press('Escape');
        await page.locator('[data-confirm-discard]').waitFor();
        await assertAccessible(page, `discard confirmation (${name})`);
        await page.getByRole('button', { name: 'Discard changes' }).click();
        await dialog.waitFor({ state: 'detached' });
        } finally {
          await scroller.evaluate((el) => (el.scrollTop = 0));
        }
      });

      it('a drift made in the Stripe dashboard: toast, badge until seen, Stripe edits in the dialog', async () => {
        const roomName = `Drift room ${name}`;
        const { rows: [s] } = await stack.pool.query<{ id: string }>(`insert into spaces (name) values ($1) returning id`, [roomName]);
        await waitForStatus(page, s.id, 'synced');
        const product = await eventually('the product in Stripe', async () => (await productOfSpace(stack.emulatorUrl, s.id)).product);
        await emulator.dashboardUpdateProduct(stack.emulatorUrl, product.id, { name: `${roomName} (edited in Stripe)` });
        const toast = page.locator('[data-sonner-toast]').filter({ hasText: `“${roomName}” was edited in Stripe` });
        await toast.waitFor({ timeout: 20_000 });
        assert.match((await toast.textContent()) ?? '', /Name/, 'the toast names the field in words');
        const badge = page.locator(`[data-space-id="${s.id}"] [data-stripe-edits]`);
        await badge.waitFor({ timeout: 10_000 });
        // Under the default policy (enforce) the catalog wins again: the sync settles it.
        await waitForStatus(page, s.id, 'synced');
        await assertAccessible(page, `drift toast and badge (${name})`);
        // From the row's badge on a desktop; from the toast's button on a phone (the toast covers the list's foot).
        if (name === 'desktop') await badge.click();
        else await toast.getByRole('button', { name: 'Review' }).click();
        const section = page.locator('[data-stripe-edits-section]');
        await section.waitFor();
        await eventually('the drift marked as enforced', async () => (await section.locator('[data-drift-event="enforced"]').count()) > 0, 15_000);
        assert.match((await section.textContent()) ?? '', /Name: “Drift room .* \(edited in Stripe\)” in Stripe/);
        await assertAccessible(page, `space dialog with Stripe edits (${name})`);
        await screenshot(page, name === 'desktop' ? 'stripe-edits' : 'stripe-edits-phone');
        await section.getByRole('button', { name: 'Mark as seen' }).click();
        await badge.waitFor({ state: 'detached', timeout: 5000 });
        await page.keyboard.press('Escape');
        await page.getByRole('dialog').waitFor({ state: 'detached' });
        const state = await productOfSpace(stack.emulatorUrl, s.id);
        assert.equal(state.product?.name, roomName, 'Stripe has the catalog name back');
      });

      it('the indicator says offline when the server cannot be reached, and connected when it is back', async () => {
        const context = page.context();
        await context.setOffline(true);
        await page.locator('[data-stream-state="offline"]').waitFor({ timeout: 20_000 });
        await assertAccessible(page, `offline indicator (${name})`);
        // Meanwhile a space is created: it is there once the stream resumes.
        const { rows: [s] } = await stack.pool.query<{ id: string }>(`insert into spaces (name) values ('Created while offline ${name}') returning id`);
        await context.setOffline(false);
        await page.locator('[data-stream-state="open"]').waitFor({ timeout: 20_000 });
        await page.locator(`[data-space-id="${s.id}"]`).waitFor({ timeout: 5000 });
      });
    });
  }
});
