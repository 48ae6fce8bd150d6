// Dates in the UI's language, not the browser's: in a browser set to US English (whose native date
// inputs show mm/dd/yyyy), an admin who chose French reads and types the logs' "Depuis" filter as
// jj/mm/aaaa hh:mm. A date the calendar does not have is refused with a message naming the format;
// the keyboard applies (Enter), steps (↑/↓) and reverts (Escape). At 1440×900 and 390×844, axe-core
// finding nothing, the error shown included.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startStack } from '../helpers/stack.ts';
import { adminPage, assertAccessible, assertFitsWidth, launchBrowser, noChromium, screenshot, VIEWPORTS } from './browser.ts';

describe('date fields follow the UI language', { skip: noChromium }, () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;

  before(async () => {
    stack = await startStack();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const since = (page: Page) => new URL(page.url()).searchParams.get('since');
  const localIso = (page: Page, y: number, m: number, d: number, h: number, min: number) =>
    page.evaluate(([y, m, d, h, min]) => new Date(y, m - 1, d, h, min).toISOString(), [y, m, d, h, min] as const);

  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    it(`French in a US English browser, at ${viewport.width}×${viewport.height}`, async () => {
      const page = await adminPage(browser, stack, { locale: 'fr', browserLocale: 'en-US', viewport });
      try {
        await page.goto(`${stack.apiUrl}/logs`);
        assert.equal(await page.evaluate(() => navigator.language), 'en-US', 'the browser itself is in US English');
        const field = page.getByLabel('Depuis', { exact: true });
        await field.waitFor();
        assert.equal(await field.getAttribute('type'), 'text');
        const format = page.locator('[data-date-format]');
        assert.match((await format.textContent()) ?? '', /jj\/mm\/aaaa hh:mm/);
        assert.equal(await field.getAttribute('aria-describedby'), await format.getAttribute('id'), 'the format is the field’s description');

        // Typed day first, applied with Enter: the filter is that local time.
        await field.fill('03/12/2026 14:30');
        await field.press('Enter');
        const dec3 = await localIso(page, 2026, 12, 3, 14, 30);
        await page.waitForURL((url) => url.searchParams.get('since') === dec3);
        await page.reload();
        await field.waitFor();
        assert.equal(await field.inputValue(), '03/12/2026 14:30', 'read back day first');

        // ↑ steps a day, Shift+↓ an hour back.
        await field.focus();
        await field.press('ArrowUp');
        const dec4 = await localIso(page, 2026, 12, 4, 14, 30);
        await page.waitForURL((url) => url.searchParams.get('since') === dec4);
        assert.equal(await field.inputValue(), '04/12/2026 14:30');
        await field.press('Shift+ArrowDown');
        const dec4Earlier = await localIso(page, 2026, 12, 4, 13, 30);
        await page.waitForURL((url) => url.searchParams.get('since') === dec4Earlier);

        // A date the calendar does not have: refused, said so, the filter unchanged.
        await field.fill('31/02/2026 10:00');
        await field.press('Tab');
        const error = page.locator('[data-field-error]');
        await error.filter({ hasText: 'n’existe pas' }).waitFor();
        assert.equal(
          await error.textContent(),
          'La date ou l’heure « 31/02/2026 10:00 » n’existe pas : saisissez-la au format jj/mm/aaaa hh:mm, par exemple 03/12/2026 14:30.',
        );
        assert.equal(await field.getAttribute('aria-invalid'), 'true');
        assert.match((await field.getAttribute('aria-describedby')) ?? '', new RegExp(`\\b${await error.getAttribute('id')}\\b`), 'the error describes the field');
        assert.equal(since(page), dec4Earlier, 'nothing applied');
        await assertFitsWidth(page, `date field error in French (${size})`);
        await assertAccessible(page, `date field error in French (${size})`);
        if (size === 'desktop') await screenshot(page, 'logs-since-error-fr');

        // Month first (the browser's habit) is not French either; Escape brings the applied date back.
        await field.fill('12/31/2026 10:00');
        await field.press('Enter');
        await error.filter({ hasText: '12/31/2026 10:00' }).waitFor();
        await field.press('Escape');
        assert.equal(await field.inputValue(), '04/12/2026 13:30');
        assert.equal(await field.getAttribute('aria-invalid'), null);
        assert.equal(await error.textContent(), '');

        // Emptied: no filter.
        await field.fill('');
        await field.press('Enter');
        await page.waitForURL((url) => !url.searchParams.has('since'));
        await assertAccessible(page, `date field in French (${size})`);
      } finally {
        await page.context().close();
      }
    });
  }

  it('English in a French browser: the English format, and what is typed read in it', async () => {
    const page = await adminPage(browser, stack, { locale: 'en', browserLocale: 'fr-FR' });
    try {
      await page.goto(`${stack.apiUrl}/logs`);
      const field = page.getByLabel('Since', { exact: true });
      await field.waitFor();
      assert.match((await page.locator('[data-date-format]').textContent()) ?? '', /dd\/mm\/yyyy, hh:mm/);
      await field.fill('5/1/2027 9:05');
      await field.press('Enter');
      const jan5 = await localIso(page, 2027, 1, 5, 9, 5);
      await page.waitForURL((url) => url.searchParams.get('since') === jan5);
      assert.equal(await field.inputValue(), '05/01/2027, 09:05');
      await field.fill('yesterday');
      await field.press('Enter');
      await page.locator('[data-field-error]').filter({ hasText: '“yesterday” is not a date: type it as dd/mm/yyyy, hh:mm, e.g. 03/12/2026, 14:30.' }).waitFor();
      await assertAccessible(page, 'date field error in English');
    } finally {
      await page.context().close();
    }
  });
});
