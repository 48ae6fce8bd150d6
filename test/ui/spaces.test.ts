// The admin UI end to end, in Chromium, on the whole stack (API serving the built UI, worker, emulator,
// a database of this file's own): sign in, create a space with two prices and watch it sync, change a
// price, validation before sending, a Stripe outage and its recovery, the logs of all that, and the
// screenshots of the main screens (test-results/screenshots, or docs/screenshots with
// SPACESYNC_UPDATE_SCREENSHOTS=1).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startStack } from '../helpers/stack.ts';
import {
  adminPage,
  countApiRequests,
  emulator,
  eventually,
  launchBrowser,
  noChromium,
  productOfSpace,
  screenshot,
  spaceRow,
  waitForStatus,
} from './browser.ts';

describe('admin UI: spaces', { skip: noChromium }, () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  let page: Page;
  let roomId = '';
  const roomName = 'Salle Lumière';

  before(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    page = await adminPage(browser, stack, { signedIn: false });
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function spaceIdByName(name: string): Promise<string> {
    return eventually(`the space "${name}" in the database`, async () => {
      const { rows } = await stack.pool.query<{ id: string }>('select id from spaces where name = $1 and deleted_at is null', [name]);
      return rows[0]?.id;
    });
  }

  it('signs in with email and password', async () => {
    await page.goto(stack.apiUrl);
    await page.getByLabel('Email').fill(stack.adminEmail);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Email or password is incorrect' }).waitFor();
    await page.getByLabel('Password').fill(stack.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Spaces' }).waitFor();
    await page.locator('[data-stream-state="open"]').waitFor();
  });

  it('creates a space with two prices and shows it synced; the product and both prices are in Stripe', async () => {
    await page.getByRole('button', { name: 'New space' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill(roomName);
    await dialog.getByLabel('Location').fill('Paris 11e, 2nd floor');
    await dialog.getByLabel('Capacity').fill('12');
    await dialog.getByLabel('Description').fill('Bright meeting room with a view on the courtyard.');
    const first = dialog.locator('[data-price-row="0"]');
    await first.getByLabel('Amount').fill('25.50');
    await dialog.getByRole('button', { name: 'Add price' }).click();
    const second = dialog.locator('[data-price-row="1"]');
    await second.getByLabel('Pricing').selectOption('monthly');
    await second.getByLabel('Amount').fill('900');
    assert.equal(await second.getByLabel('Billing').inputValue(), 'month', 'a monthly price defaults to a monthly subscription');
    await screenshot(page, 'space-dialog');
    await dialog.getByRole('button', { name: 'Create space' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The toast says it is saved and syncing, then the stream turns it into a success.
    await page.getByText(`“${roomName}” saved: syncing with Stripe…`).or(page.getByText(`“${roomName}” is in sync with Stripe.`)).first().waitFor();
    roomId = await spaceIdByName(roomName);
    await waitForStatus(page, roomId, 'synced');
    await page.getByText(`“${roomName}” is in sync with Stripe.`).waitFor();

    const { product, prices } = await productOfSpace(stack.emulatorUrl, roomId);
    assert.ok(product, 'the product exists in the emulator');
    assert.equal(product.name, roomName);
    const live = prices.filter((p) => p.active);
    assert.deepEqual(live.map((p) => p.unit_amount).sort((a, b) => (a ?? 0) - (b ?? 0)), [2550, 90000]);
    const monthly = live.find((p) => p.unit_amount === 90000);
    assert.equal(monthly?.recurring?.interval, 'month');
    assert.equal(product.default_price, live.find((p) => p.unit_amount === 2550)?.id, 'the first price is the default');
    // The product id links to the Stripe dashboard.
    const link = spaceRow(page, roomId).locator('[data-product-link]');
    assert.equal(await link.textContent(), product.id);
    assert.match((await link.getAttribute('href')) ?? '', new RegExp(`/products/${product.id}$`));
  });

  it('changes a price: the new one is active and default in Stripe, the old one archived', async () => {
    const before = await productOfSpace(stack.emulatorUrl, roomId);
    const oldDefault = before.product?.default_price;
    const { rows } = await stack.pool.query<{ version: string }>('select version from spaces where id = $1', [roomId]);
    const version = Number(rows[0].version);
    await spaceRow(page, roomId).getByRole('button', { name: roomName, exact: true }).click();
    const dialog = page.getByRole('dialog');
    const first = dialog.locator('[data-price-row="0"]');
    assert.equal(await first.getByLabel('Amount').inputValue(), '25.50', 'amounts are shown in major units');
    await first.getByLabel('Amount').fill('30');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await eventually('the new version synced', async () => {
      const r = await stack.pool.query<{ synced_version: string | null; sync_status: string }>('select synced_version, sync_status from spaces where id = $1', [roomId]);
      return r.rows[0].sync_status === 'synced' && Number(r.rows[0].synced_version) > version;
    });
    await waitForStatus(page, roomId, 'synced');
    await page.getByText(`“${roomName}” is in sync with Stripe.`).first().waitFor();

    const afterState = await productOfSpace(stack.emulatorUrl, roomId);
    const newPrice = afterState.prices.find((p) => p.unit_amount === 3000);
    assert.ok(newPrice?.active, 'the new price is active');
    assert.equal(afterState.product?.default_price, newPrice.id, 'the new price is the default');
    const old = afterState.prices.find((p) => p.id === oldDefault);
    assert.equal(old?.active, false, 'the old price is archived');
  });

  it('shows field errors on invalid input and sends nothing', async () => {
    await page.getByRole('button', { name: 'New space' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Capacity').fill('0');
    await dialog.locator('[data-price-row="0"]').getByLabel('Amount').fill('12.345');
    await dialog.getByRole('button', { name: 'Add image' }).click();
    await dialog.getByLabel('Image URL 1').fill('ftp://example.com/room.jpg');
    const sent = countApiRequests(page);
    await dialog.getByRole('button', { name: 'Create space' }).click();
    await dialog.getByText('Give the space a name.').waitFor();
    await dialog.getByText(/capacity must be a whole number from 1 to 100000/).waitFor();
    await dialog.getByText(/at most 2 decimals for EUR/).waitFor();
    await dialog.getByText(/images must be http\(s\) URLs/).waitFor();
    assert.equal(await dialog.getByLabel('Name').getAttribute('aria-invalid'), 'true');
    await page.waitForTimeout(500);
    assert.deepEqual(sent.requests, [], 'nothing was sent to the API');
    // The form holds unsaved input: closing it asks first.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('shows the error toast and badge while Stripe fails, and "Sync now" succeeds once it is back', async () => {
    await emulator.faults(stack.emulatorUrl, { rules: [{ route: 'POST /v1/products', errorRate: 1 }] });
    const name = 'Desk 42';
    try {
      await page.getByRole('button', { name: 'New space' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Name').fill(name);
      await dialog.getByLabel('Kind').selectOption('desk');
      await dialog.locator('[data-price-row="0"]').getByLabel('Amount').fill('15');
      await dialog.getByRole('button', { name: 'Create space' }).click();
      await dialog.waitFor({ state: 'detached' });
      const id = await spaceIdByName(name);
      await waitForStatus(page, id, 'error', 60_000);
      await page.getByText(`Sync of “${name}” failed`).waitFor();
      const inline = spaceRow(page, id).locator('[data-last-error]');
      assert.ok(((await inline.textContent()) ?? '').length > 0, "Stripe's message is shown on the row");
      await screenshot(page, 'spaces-sync-error');
    } finally {
      await emulator.faults(stack.emulatorUrl, { clear: true });
    }
    const id = await spaceIdByName(name);
    await spaceRow(page, id).getByRole('button', { name: 'Sync now' }).click();
    await waitForStatus(page, id, 'synced', 60_000);
    await page.getByText(`“${name}” is in sync with Stripe.`).waitFor();
    const { product } = await productOfSpace(stack.emulatorUrl, id);
    assert.equal(product?.name, name);
    await screenshot(page, 'spaces');
  });

  it('shows the logs of these syncs, filtered by space', async () => {
    await spaceRow(page, roomId).getByRole('button', { name: `Actions for ${roomName}` }).click();
    await page.getByRole('menuitem', { name: 'Logs' }).click();
    await page.getByRole('heading', { name: 'Logs' }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('space'), roomName, 'the logs of the space, by its name');
    const rows = page.locator('[data-logs-table] tbody tr[data-log-id]');
    await rows.first().waitFor();
    const { rows: dbRows } = await stack.pool.query<{ id: string }>('select id from application_logs where space_id = $1', [roomId]);
    assert.ok(dbRows.length > 0);
    assert.equal(await rows.count(), Math.min(dbRows.length, 100), 'every log entry of the space is listed');
    await screenshot(page, 'logs');
    // The failed attempts of "Desk 42" were logged as warnings or errors.
    await page.getByLabel('Minimum level').selectOption('warn');
    await page.getByLabel('Space (name or id)').fill('');
    await page.getByLabel('Space (name or id)').blur();
    await page.locator('[data-logs-table] tbody tr[data-log-id]').first().waitFor();
    const levels = await page.locator('[data-logs-table] tbody tr[data-log-id] [data-log-level]').evaluateAll((els) => els.map((e) => e.getAttribute('data-log-level') ?? ''));
    assert.ok(levels.length > 0 && levels.every((l) => ['warn', 'error', 'fatal'].includes(l)), `only warnings and errors: ${levels.join(', ')}`);
  });

  it('speaks French', async () => {
    const fr = await adminPage(browser, stack, { locale: 'fr' });
    try {
      await fr.goto(`${stack.apiUrl}/spaces`);
      await fr.getByRole('heading', { name: 'Espaces' }).waitFor();
      await waitForStatus(fr, roomId, 'synced');
      await fr.getByRole('button', { name: 'Synchroniser maintenant' }).first().waitFor();
      await fr.getByText('Synchronisé').first().waitFor();
      await screenshot(fr, 'spaces-fr');
      await fr.getByRole('button', { name: 'Nouvel espace' }).click();
      const dialog = fr.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Créer l’espace' }).click();
      await dialog.getByText('Donnez un nom à l’espace.').waitFor();
      await dialog.getByText('Saisissez un montant, par exemple 12,50.').waitFor();
      await dialog.getByRole('button', { name: 'Annuler' }).click();
      await dialog.waitFor({ state: 'detached' });
      // Log levels are translated too (in the filter and in the table).
      await fr.goto(`${stack.apiUrl}/logs?space_id=${roomId}`);
      await fr.getByRole('heading', { name: 'Journaux' }).waitFor();
      const levels = await fr.getByLabel('Niveau minimum').locator('option').allTextContents();
      assert.deepEqual(levels.slice(1), ['débogage', 'info', 'avertissement', 'erreur']);
      await fr.locator('[data-log-level]').first().waitFor();
      const badges = await fr.locator('[data-log-level]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-log-level'), e.textContent?.trim()]));
      const french: Record<string, string> = { debug: 'débogage', info: 'info', warn: 'avertissement', error: 'erreur', fatal: 'critique' };
      for (const [level, text] of badges) assert.equal(text, french[level ?? ''], `the level ${level} in French`);
    } finally {
      await fr.context().close();
    }
  });
});
