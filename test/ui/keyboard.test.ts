// Accessibility of the space dialog, in Chromium on the whole stack: a space created with the keyboard
// only (Tab, Shift+Tab, Enter, Space, arrow keys and typing; no clicks), focus moving into the dialog
// when it opens and never leaving it on Tab / Shift+Tab, Escape closing it with focus back on the
// button that opened it, an accessible name on every form control, and toasts in an aria-live region.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startStack } from '../helpers/stack.ts';
import { adminPage, eventually, launchBrowser, noChromium } from './browser.ts';

interface Focused {
  tag: string;
  /** Its label (aria-label, <label>, or a button's text). */
  name: string;
  inDialog: boolean;
}

/** What has focus now (null: nothing, i.e. <body>). */
function focused(page: Page): Promise<Focused | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const labels = 'labels' in el ? (el as HTMLInputElement).labels : null;
    const name = el.getAttribute('aria-label') ?? (labels && labels.length > 0 ? labels[0].textContent : el.textContent) ?? '';
    return { tag: el.tagName.toLowerCase(), name: name.trim(), inDialog: el.closest('[role="dialog"]') !== null };
  });
}

/** Presses `key` until the focused element is named `name` (at most `max` presses). */
async function pressUntil(page: Page, key: 'Tab' | 'Shift+Tab', name: string, max = 40): Promise<Focused> {
  const trail: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    if (f?.name === name) return f;
    trail.push(f ? `${f.tag} "${f.name.slice(0, 30)}"` : 'body');
  }
  throw new Error(`"${name}" never got focus after ${max} × ${key}: ${trail.join(' → ')}`);
}

const CONTROL_ROLES = new Set(['textbox', 'searchbox', 'combobox', 'listbox', 'spinbutton', 'checkbox', 'radio', 'switch', 'slider', 'button', 'link']);

interface AriaNode {
  role?: string;
  name?: string;
  children?: (AriaNode | string)[];
}

/** The form controls of an aria snapshot that have no accessible name, as "role" strings. */
function unnamedControls(nodes: (AriaNode | string)[]): string[] {
  const out: string[] = [];
  for (const node of nodes) {
    if (typeof node === 'string') continue;
    if (node.role && CONTROL_ROLES.has(node.role) && !node.name?.trim()) out.push(node.role);
    out.push(...unnamedControls(node.children ?? []));
  }
  return out;
}

describe('admin UI: keyboard and screen readers', { skip: noChromium }, () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  let page: Page;

  before(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    page = await adminPage(browser, stack);
    await page.goto(`${stack.apiUrl}/spaces`);
    await page.getByRole('heading', { name: 'Spaces' }).waitFor();
    await page.locator('[data-stream-state="open"]').waitFor();
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('keeps focus in the space dialog, and gives it back to "New space" on Escape', async () => {
    // From the top of the page to the button, then open the dialog with Enter.
    await pressUntil(page, 'Tab', 'New space');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const first = await eventually('focus in the dialog', async () => {
      const f = await focused(page);
      return f?.inDialog ? f : null;
    }, 5_000);
    assert.equal(first.name, 'Name', 'the dialog starts on its first field');

    // Tab all the way round (the loop comes back to the first field) and back with Shift+Tab: focus
    // never reaches the page behind.
    const seen: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      assert.ok(f?.inDialog, `Tab ${i + 1} left the dialog: ${JSON.stringify(f)} after ${seen.join(' → ')}`);
      seen.push(f.name);
    }
    assert.ok(seen.includes('Create space') && seen.includes('Close'), `every part of the dialog is reached: ${seen.join(' → ')}`);
    assert.ok(seen.filter((n) => n === 'Name').length >= 2, `Tab cycles through the dialog: ${seen.join(' → ')}`);
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Shift+Tab');
      const f = await focused(page);
      assert.ok(f?.inDialog, `Shift+Tab ${i + 1} left the dialog: ${JSON.stringify(f)}`);
    }

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    const back = await eventually('focus back on the opener', async () => {
      const f = await focused(page);
      return f && !f.inDialog ? f : null;
    }, 5_000);
    assert.deepEqual(back, { tag: 'button', name: 'New space', inDialog: false }, 'focus returns to the button that opened the dialog');
  });

  it('creates a space with the keyboard only; every control is named; the toast is in a live region', async () => {
    // The toasts' live region is in the page before any toast, so screen readers announce them.
    const region = page.locator('section[aria-live]');
    assert.equal(await region.count(), 1, 'one aria-live region for toasts');
    assert.equal(await region.getAttribute('aria-live'), 'polite');

    // Focus is still on "New space" (previous test).
    assert.equal((await focused(page))?.name, 'New space');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await eventually('focus on Name', async () => (await focused(page))?.name === 'Name', 5_000);
    await page.keyboard.type('Keyboard room');

    await page.keyboard.press('Tab');
    assert.equal((await focused(page))?.name, 'Kind');
    await page.keyboard.press('ArrowDown'); // meeting_room → desk
    assert.equal(await dialog.getByLabel('Kind').inputValue(), 'desk');

    await pressUntil(page, 'Tab', 'Location');
    await page.keyboard.type('Nantes, ground floor');
    await pressUntil(page, 'Tab', 'Capacity');
    await page.keyboard.type('6');
    await pressUntil(page, 'Tab', 'Description');
    await page.keyboard.type('Quiet desk by the window.');
    await pressUntil(page, 'Tab', 'Active');
    await page.keyboard.press('Space');
    assert.equal(await dialog.getByLabel('Active').isChecked(), false, 'Space unticks the checkbox');
    await page.keyboard.press('Space');
    assert.equal(await dialog.getByLabel('Active').isChecked(), true, 'and ticks it again');

    // "Add image" with Enter puts focus in the new field.
    await pressUntil(page, 'Tab', 'Add image');
    await page.keyboard.press('Enter');
    await eventually('focus on the new image field', async () => (await focused(page))?.name === 'Image URL 1', 5_000);
    await page.keyboard.type('https://example.com/desk.jpg');

    await pressUntil(page, 'Tab', 'Amount');
    await page.keyboard.type('18');

    // A second price with Space on "Add price": focus goes to its amount.
    await pressUntil(page, 'Tab', 'Add price');
    await page.keyboard.press('Space');
    await dialog.locator('[data-price-row="1"]').waitFor();
    await eventually('focus on the new amount', async () => (await focused(page))?.name === 'Amount', 5_000);
    assert.ok(await dialog.locator('[data-price-row="1"]').getByLabel('Amount').evaluate((el) => el === document.activeElement));
    await page.keyboard.type('250');
    // The new row takes a pricing type no other row uses (half_day, after the first row's hourly).
    // Back to it with Shift+Tab, then the arrow keys: half_day → daily → weekly.
    await pressUntil(page, 'Shift+Tab', 'Pricing');
    assert.equal(await dialog.locator('[data-price-row="1"]').getByLabel('Pricing').inputValue(), 'half_day');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await dialog.locator('[data-price-row="1"]').getByLabel('Pricing').inputValue(), 'weekly');

    // Every control of the form has an accessible name (as the accessibility tree exposes it)...
    const tree = (await dialog.ariaSnapshotJSON()) as unknown as AriaNode | (AriaNode | string)[];
    const unnamed = unnamedControls(Array.isArray(tree) ? tree : [tree]);
    assert.deepEqual(unnamed, [], 'controls without an accessible name');
    // ...and each field is found by its label, exactly once.
    for (const label of ['Name', 'Kind', 'Location', 'Capacity', 'Main currency', 'Description', 'Active', 'Image URL 1']) {
      assert.equal(await dialog.getByLabel(label, { exact: true }).count(), 1, `one field labelled "${label}"`);
    }
    for (const name of ['Close', 'Remove image 1', 'Add image', 'Add price', 'Cancel', 'Create space']) {
      assert.equal(await dialog.getByRole('button', { name, exact: true }).count(), 1, `one button named "${name}"`);
    }
    for (const row of [0, 1]) {
      const r = dialog.locator(`[data-price-row="${row}"]`);
      for (const label of ['Pricing', 'Amount', 'Currency', 'Billing', 'Count', 'Tax', 'Default price']) {
        assert.equal(await r.getByLabel(label, { exact: true }).count(), 1, `price ${row + 1}: one control labelled "${label}"`);
      }
      assert.equal(await r.getByRole('button', { name: `Remove price ${row + 1}`, exact: true }).count(), 1);
    }
    // The DOM agrees: no input, select, textarea or button without a label.
    const unlabelled = await dialog.evaluate((root) =>
      [...root.querySelectorAll<HTMLElement>('input, select, textarea, button')]
        .filter((el) => {
          const labels = 'labels' in el ? (el as HTMLInputElement).labels : null;
          return !(el.getAttribute('aria-label')?.trim() || el.getAttribute('aria-labelledby') || (labels && labels.length > 0 && labels[0].textContent?.trim()) || (el.tagName === 'BUTTON' && el.textContent?.trim()));
        })
        .map((el) => el.outerHTML.slice(0, 120)),
    );
    assert.deepEqual(unlabelled, []);

    // Save with Enter in the amount field (the form's implicit submission).
    await pressUntil(page, 'Tab', 'Amount');
    assert.ok(await dialog.locator('[data-price-row="1"]').getByLabel('Amount').evaluate((el) => el === document.activeElement));
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    const back = await eventually('focus back on "New space"', async () => {
      const f = await focused(page);
      return f && !f.inDialog ? f : null;
    }, 5_000);
    assert.equal(back.name, 'New space', 'focus returns to the opener after saving');

    // The toast is announced: it is inside the aria-live region.
    const toast = page.locator('[data-sonner-toast]').filter({ hasText: 'Keyboard room' }).first();
    await toast.waitFor();
    assert.equal(await toast.evaluate((el) => el.closest('[aria-live]')?.getAttribute('aria-live') ?? null), 'polite');
    await page.getByText('“Keyboard room” is in sync with Stripe.').waitFor({ timeout: 30_000 });

    const { rows } = await stack.pool.query<{ id: string; kind: string; capacity: number; location: string; description: string; active: boolean; images: string[] }>(
      `select id, kind, capacity, location, description, active, images from spaces where name = 'Keyboard room' and deleted_at is null`,
    );
    assert.equal(rows.length, 1);
    const space = rows[0];
    assert.deepEqual(
      { kind: space.kind, capacity: space.capacity, location: space.location, description: space.description, active: space.active },
      { kind: 'desk', capacity: 6, location: 'Nantes, ground floor', description: 'Quiet desk by the window.', active: true },
    );
    assert.deepEqual(space.images, ['https://example.com/desk.jpg']);
    const prices = await stack.pool.query<{ pricing_type: string; unit_amount: number }>('select pricing_type, unit_amount from space_prices where space_id = $1 order by unit_amount', [space.id]);
    assert.deepEqual(
      prices.rows.map((p) => [p.pricing_type, Number(p.unit_amount)]),
      [
        ['hourly', 1800],
        ['weekly', 25000],
      ],
    );
  });
});
