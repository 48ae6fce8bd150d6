// An attached space in the admin UI, in Chromium on the whole stack: an app's `rooms` table attached
// (the triggers of `spacesync attach`), its row synced to the emulator; the list and the cards say
// "from rooms"; the edit dialog says edits go to the app's table and shows the location (an SQL
// expression) disabled with why; an admin changes the name and the price: the app's row changes and
// Stripe follows (new price, old one archived). At 1440×900 and 390×844, axe at 0 violations, in
// English and French.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { mappingSchema } from '../../src/attach/mapping.ts';
import { renderAttachSql } from '../../src/attach/renderAttachSql.ts';
import { startStack } from '../helpers/stack.ts';
import { adminPage, assertAccessible, assertFitsWidth, emulator, eventually, launchBrowser, noChromium, productOfSpace, screenshot, spaceRow, VIEWPORTS, waitForStatus } from './browser.ts';

describe('admin UI: attached spaces', { skip: noChromium }, () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  let spaceId = '';

  before(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    await stack.pool.query(`
      create table public.rooms (
        id uuid primary key default gen_random_uuid(), title text not null, city text, district text, seats integer,
        hourly_rate numeric(10,2), is_published boolean not null default true, deleted_at timestamptz);
      alter table public.rooms enable row level security;
      insert into public.rooms (title, city, district, seats, hourly_rate) values ('Salle des Canuts', 'Lyon', 'Croix-Rousse', 8, 25.50);`);
    const mapping = mappingSchema.parse({
      name: 'rooms', table: 'rooms', key: 'id',
      fields: { name: 'title', capacity: 'seats', location: { sql: "city || ', ' || district" }, active: 'is_published' },
      delete: { softDeleteColumn: 'deleted_at' },
      prices: { columns: [{ column: 'hourly_rate', pricingType: 'hourly', units: 'major' }] },
    });
    await stack.pool.query(renderAttachSql(mapping, { backfill: true }));
    spaceId = (await stack.pool.query<{ id: string }>(`select id from spaces where source = 'rooms'`)).rows[0].id;
    await eventually('the attached room synced', async () =>
      (await stack.pool.query(`select 1 from spaces where id = $1 and sync_status = 'synced'`, [spaceId])).rowCount);
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function openDialog(page: Page, name: string, phone: boolean) {
    const target = phone ? page.locator(`[data-spaces-cards] [data-space-id="${spaceId}"]`) : spaceRow(page, spaceId);
    await target.getByRole('button', { name, exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('[data-source-note]').waitFor();
    return dialog;
  }

  it('desktop: the badge, the dialog with its read-only field, an edit of name and price that reaches the app and Stripe', async () => {
    const page = await adminPage(browser, stack, { viewport: VIEWPORTS.desktop });
    await page.goto(stack.apiUrl);
    await waitForStatus(page, spaceId, 'synced');
    const badge = spaceRow(page, spaceId).locator('[data-source-badge]');
    assert.equal(await badge.textContent(), 'from rooms');
    await assertAccessible(page, 'spaces with an attached space (desktop)');

    const before = await productOfSpace(stack.emulatorUrl, spaceId);
    const oldPrice = before.product?.default_price;
    assert.ok(oldPrice);
    const dialog = await openDialog(page, 'Salle des Canuts', false);
    assert.match((await dialog.locator('[data-source-note]').textContent()) ?? '', /comes from your app’s table public\.rooms/);
    const location = dialog.getByLabel('Location');
    assert.equal(await location.isDisabled(), true);
    assert.equal(await location.inputValue(), 'Lyon, Croix-Rousse');
    await dialog.getByText("Read-only: your app computes it with city || ', ' || district.").waitFor();
    assert.equal(await dialog.getByLabel('Name').isDisabled(), false);
    assert.equal(await dialog.getByLabel('Description').isDisabled(), true, 'not mapped: read-only');
    await assertAccessible(page, 'edit dialog of an attached space (desktop)');
    await screenshot(page, 'attached-space-dialog');

    await dialog.getByLabel('Name').fill('Salle des Canuts (rénovée)');
    await dialog.locator('[data-price-row="0"]').getByLabel('Amount').fill('32');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });

    const { rows: [row] } = await stack.pool.query(`select title, hourly_rate::text from rooms`);
    assert.deepEqual(row, { title: 'Salle des Canuts (rénovée)', hourly_rate: '32.00' }, 'the edit went to the app’s row');
    // The plan creates the new price, makes it the default, then archives the old one.
    await eventually('Stripe follows the edit: renamed, the new price the default, the old one archived', async () => {
      const state = await productOfSpace(stack.emulatorUrl, spaceId);
      const fresh = state.prices.find((p) => p.unit_amount === 3200 && p.active);
      const old = state.prices.find((p) => p.id === oldPrice);
      return state.product?.name === 'Salle des Canuts (rénovée)' && fresh && state.product.default_price === fresh.id && old?.active === false;
    });
    await waitForStatus(page, spaceId, 'synced');
    await page.context().close();
  });

  it('phone, in French: the badge on the card, the dialog fits and passes axe', async () => {
    const page = await adminPage(browser, stack, { viewport: VIEWPORTS.phone, locale: 'fr' });
    await page.goto(stack.apiUrl);
    const card = page.locator(`[data-spaces-cards] [data-space-id="${spaceId}"]`);
    await card.waitFor();
    assert.equal(await card.locator('[data-source-badge]').textContent(), 'de rooms');
    await assertAccessible(page, 'cards with an attached space (phone, fr)');
    await assertFitsWidth(page, 'cards with an attached space (phone, fr)');
    const dialog = await openDialog(page, 'Salle des Canuts (rénovée)', true);
    assert.match((await dialog.locator('[data-source-note]').textContent()) ?? '', /vient de la table public\.rooms/);
    await dialog.getByText("Lecture seule : votre application le calcule avec city || ', ' || district.").waitFor();
    await assertAccessible(page, 'edit dialog of an attached space (phone, fr)');
    await assertFitsWidth(page, 'edit dialog of an attached space (phone, fr)');
    await page.context().close();
  });

  it('desktop: deleting sets the app row’s soft-delete column and Stripe archives the product', async () => {
    const page = await adminPage(browser, stack, { viewport: VIEWPORTS.desktop });
    await page.goto(stack.apiUrl);
    await waitForStatus(page, spaceId, 'synced');
    await spaceRow(page, spaceId).locator('[data-row-actions]').click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const dialog = page.getByRole('alertdialog');
    assert.match((await dialog.locator('[data-source-note]').textContent()) ?? '', /comes from your app’s table rooms/);
    await assertAccessible(page, 'delete dialog of an attached space (desktop)');
    await dialog.getByRole('button', { name: 'Delete and archive in Stripe' }).click();
    await dialog.waitFor({ state: 'detached' });
    const { rows: [row] } = await stack.pool.query(`select deleted_at is not null as deleted, title from rooms`);
    assert.deepEqual(row, { deleted: true, title: 'Salle des Canuts (rénovée)' }, 'the app row stays, marked deleted');
    await eventually('the product archived in Stripe', async () => (await emulator.state(stack.emulatorUrl)).products.some((p) => p.metadata.space_id === spaceId && !p.active));
    await page.context().close();
  });
});
