// Every page and dialog state at 1440×900 and 390×844, checked by axe-core (no violation allowed), the
// phone layout (nothing wider than the screen, dialogs as full-screen sheets), the table's search,
// sorting, selection and bulk actions, the price editor, the catalog page and the logs by space name.
// README screenshots (desktop and phone) are written only with SPACESYNC_UPDATE_SCREENSHOTS=1.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startStack } from '../helpers/stack.ts';
import { adminPage, assertAccessible, assertFitsWidth, launchBrowser, noChromium, screenshot, VIEWPORTS, waitForStatus } from './browser.ts';

describe('admin UI: every page, accessible, on a desktop and on a phone', { skip: noChromium }, () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;

  before(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    await stack.pool.query(`
      with s as (
        insert into spaces (name, location, capacity, kind) values
          ('Salle de réunion Étoile', '78 rue Oberkampf, Bastille', 12, 'meeting_room'),
          ('Bureau Œillet', 'Nantes', 2, 'office'),
          ('Atelier Lumière', 'Lyon', 30, 'venue')
        returning id, name)
      insert into space_prices (space_id, pricing_type, unit_amount, currency, recurring_interval)
      select id, 'hourly', 2500, 'eur', null from s union all
      select id, 'monthly', 90000, 'eur', 'month' from s where name like 'Salle%'`);
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('the sign-in page, in English and French', async () => {
    for (const [name, viewport] of Object.entries(VIEWPORTS)) {
      for (const locale of ['en', 'fr'] as const) {
        const page = await adminPage(browser, stack, { viewport, locale, signedIn: false });
        await page.goto(stack.apiUrl);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await assertFitsWidth(page, `sign-in ${locale} (${name})`);
        await assertAccessible(page, `sign-in ${locale} (${name})`);
        await page.context().close();
      }
    }
  });

  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    describe(`at ${viewport.width}×${viewport.height} (${name})`, () => {
      let page: Page;
      before(async () => {
        page = await adminPage(browser, stack, { viewport });
        await page.goto(`${stack.apiUrl}/spaces`);
        await page.locator('[data-stream-state="open"]').waitFor();
      });
      after(async () => page?.context().close());
      /** Closes what a failed step may have left open, so the next steps start from the page. */
      const closeOverlays = async () => {
        for (let i = 0; i < 3 && (await page.getByRole('dialog').or(page.getByRole('alertdialog')).or(page.getByRole('menu')).count()) > 0; i++) {
          const discard = page.getByRole('button', { name: 'Discard changes' });
          if (await discard.count()) await discard.click();
          else await page.keyboard.press('Escape');
          await page.waitForTimeout(200);
        }
      };

      it('spaces: accent- and case-insensitive search, sorting, selection and bulk sync', async () => {
        const ids = (await stack.pool.query<{ id: string; name: string }>('select id, name from spaces')).rows;
        for (const s of ids) await waitForStatus(page, s.id, 'synced');
        await assertFitsWidth(page, `spaces (${name})`);
        await assertAccessible(page, `spaces (${name})`);
        if (name === 'phone') await screenshot(page, 'spaces-phone');
        await page.getByLabel('Search').fill('REUNION');
        await page.locator('[data-space-id]').filter({ hasText: 'Salle de réunion Étoile' }).waitFor();
        await page.waitForFunction(() => document.querySelectorAll('[data-space-id]').length === 1);
        await page.getByLabel('Search').fill('oeillet');
        await page.locator('[data-space-id]').filter({ hasText: 'Bureau Œillet' }).waitFor();
        await page.getByLabel('Search').fill('');
        await page.waitForFunction(() => document.querySelectorAll('[data-space-id]').length === 3);
        if (name === 'desktop') {
          await page.locator('[data-sort="name"]').click();
          await page.waitForFunction(() => [...document.querySelectorAll('[data-space-id] button')].length > 0 && new URL(location.href).searchParams.get('sort') === 'name');
          const names = async () => page.locator('[data-space-id]').evaluateAll((rows) => rows.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top).map((r) => r.querySelector('button')?.textContent));
          await page.waitForFunction(() => document.querySelector('[aria-sort="ascending"] [data-sort="name"]'));
          assert.deepEqual(await names(), ['Atelier Lumière', 'Bureau Œillet', 'Salle de réunion Étoile']);
          await page.locator('[data-sort="name"]').click();
          await page.waitForFunction(() => document.querySelector('[aria-sort="descending"] [data-sort="name"]'));
          await page.waitForTimeout(300);
          assert.deepEqual(await names(), ['Salle de réunion Étoile', 'Bureau Œillet', 'Atelier Lumière']);
        }
        // Select two rows, sync them now.
        const before = (await stack.pool.query<{ n: number }>(`select count(*)::int as n from application_logs where event = 'sync_requested' or event like '%request%'`)).rows[0].n;
        await page.getByLabel('Select Bureau Œillet').check();
        await page.getByLabel('Select Atelier Lumière').check();
        await page.getByText('2 spaces selected').waitFor();
        await assertAccessible(page, `spaces with a selection (${name})`);
        const jobs = page.waitForResponse((r) => r.url().endsWith('/api/spaces/sync') && r.request().method() === 'POST');
        await page.getByRole('button', { name: 'Sync selected now' }).click();
        const res = await jobs;
        assert.equal(res.status(), 202);
        assert.equal(((await res.json()) as { data: unknown[] }).data.length, 2);
        await page.getByText('Sync started for 2 spaces.').waitFor();
        void before;
        // Retry failed: nothing is in error.
        await page.getByRole('button', { name: 'Retry failed' }).click();
        await page.getByText('No space is in error.').waitFor();
      });

      it('the row menu and the delete dialog', async () => {
        const row = page.locator('[data-space-id]').filter({ hasText: 'Atelier Lumière' });
        await row.locator('[data-row-actions]').click();
        await page.getByRole('menuitem', { name: 'Delete' }).waitFor();
        await assertAccessible(page, `row menu open (${name})`);
        await page.getByRole('menuitem', { name: 'Delete' }).click();
        const dialog = page.getByRole('alertdialog').or(page.getByRole('dialog'));
        await dialog.first().waitFor();
        await assertAccessible(page, `delete dialog (${name})`);
        await page.keyboard.press('Escape');
        await dialog.first().waitFor({ state: 'detached' });
      });

      it('the price editor: prices in words, non-colliding new rows, errors for people that clear when fixed, a new-price note, discard confirmation', async () => {
        await page.getByRole('button', { name: 'New space' }).click();
        const dialog = page.getByRole('dialog');
        await dialog.waitFor();
        const box = await dialog.boundingBox();
        assert.ok(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width + 0.5 && box.y + box.height <= viewport.height + 0.5, `the dialog is inside the screen: ${JSON.stringify(box)}`);
        if (name === 'phone') assert.ok(box!.width >= viewport.width - 1, 'a full-screen sheet on a phone');
        await assertAccessible(page, `new space dialog (${name})`);
        await dialog.getByRole('button', { name: 'Create space' }).click();
        await dialog.getByText('Give the space a name.').waitFor();
        await dialog.getByLabel('Name').fill('Salle Rivoli');
        await dialog.getByText('Give the space a name.').waitFor({ state: 'detached' });
        const first = dialog.locator('[data-price-row="0"]');
        await first.getByLabel('Amount').fill('25');
        await first.locator('[data-price-summary]').getByText('€25.00 per hour').waitFor();
        await dialog.getByRole('button', { name: 'Add price' }).click();
        const second = dialog.locator('[data-price-row="1"]');
        assert.equal(await second.getByLabel('Pricing').inputValue(), 'half_day', 'a new row takes a pricing type no other row uses');
        await second.getByLabel('Amount').fill('99999999');
        await dialog.getByRole('button', { name: 'Create space' }).click();
        await second.getByText('This amount is above what Stripe accepts: at most €999,999.99.').waitFor();
        await second.getByLabel('Amount').fill('120');
        await second.getByText(/above what Stripe accepts/).waitFor({ state: 'detached' });
        await second.getByLabel('Pricing').selectOption('hourly');
        await dialog.getByText('Another price is already hourly, in EUR, one-time. Change one of them.').first().waitFor();
        await assertAccessible(page, `price editor with an error (${name})`);
        await second.getByLabel('Pricing').selectOption('monthly');
        await dialog.getByText(/Another price is already/).first().waitFor({ state: 'detached' });
        await second.locator('[data-price-summary]').getByText('€120.00 per month').waitFor();
        await screenshot(page, name === 'desktop' ? 'price-editor' : 'space-dialog-phone');
        await page.keyboard.press('Escape');
        await page.locator('[data-confirm-discard]').getByText('Discard your changes?').waitFor();
        await page.getByRole('button', { name: 'Keep editing' }).click();
        assert.equal(await dialog.getByLabel('Name').inputValue(), 'Salle Rivoli');
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        await page.getByRole('button', { name: 'Discard changes' }).click();
        await dialog.waitFor({ state: 'detached' });
        // An existing price: changing its amount says a new Stripe price will replace it.
        await page.locator('[data-space-id]').filter({ hasText: 'Salle de réunion Étoile' }).getByRole('button', { name: 'Salle de réunion Étoile', exact: true }).click();
        await dialog.waitFor();
        const existing = dialog.locator('[data-price-row="0"]');
        await existing.getByLabel('Amount').waitFor();
        assert.equal(await existing.locator('[data-new-price-note]').count(), 0);
        await existing.getByLabel('Amount').fill('30');
        await existing.locator('[data-new-price-note]').getByText(/creates a new Stripe price and archives the old one/).waitFor();
        await assertAccessible(page, `edit dialog with the new-price note (${name})`);
        await page.keyboard.press('Escape');
        await page.getByRole('button', { name: 'Discard changes' }).click();
        await dialog.waitFor({ state: 'detached' });
      });

      it('the catalog page: a plan with values shown as what they are', async () => {
        await closeOverlays();
        await page.getByRole('link', { name: 'Catalog sync' }).click();
        await page.getByRole('button', { name: 'Compute plan (dry run)' }).click();
        await page.locator('[data-plan]').first().waitFor({ timeout: 60_000 });
        await assertFitsWidth(page, `catalog (${name})`);
        await assertAccessible(page, `catalog plan (${name})`);
        assert.ok(!(await page.content()).includes('RUE 0.78'), 'an address is not money');
        if (name === 'phone') await screenshot(page, 'catalog-plan-phone');
      });

      it('the logs, filtered by a space name without accents', async () => {
        await closeOverlays();
        await page.getByRole('link', { name: 'Logs' }).click();
        await page.locator('[data-logs-table]').waitFor();
        await page.getByLabel('Space').fill('etoile');
        await page.getByLabel('Space').press('Enter');
        await page.waitForFunction(() => new URL(location.href).searchParams.get('space') === 'etoile');
        await page.locator('[data-logs-table] tbody tr').first().waitFor();
        const spaces = await page.locator('[data-logs-table] tbody tr td:nth-child(5)').allTextContents();
        assert.ok(spaces.length > 0 && spaces.every((t) => t === '' || t.includes('Salle de réunion Étoile')), JSON.stringify(spaces));
        await assertFitsWidth(page, `logs (${name})`);
        await assertAccessible(page, `logs (${name})`);
        if (name === 'desktop') await screenshot(page, 'logs-by-space');
        await page.getByRole('link', { name: 'Spaces', exact: true }).click();
      });

      it('in French', async () => {
        await closeOverlays();
        await page.getByRole('button', { name: 'FR Français' }).click();
        await page.getByRole('heading', { name: 'Espaces' }).waitFor();
        await page.getByText(/3 espaces affichés sur 3/).waitFor();
        await assertFitsWidth(page, `spaces in French (${name})`);
        await assertAccessible(page, `spaces in French (${name})`);
        await page.getByRole('button', { name: 'EN English' }).click();
        await page.getByRole('heading', { name: 'Spaces' }).waitFor();
      });
    });
  }
});
