// The count of a search in the spaces list, in Chromium on the whole stack: a search that stopped
// counting says so ("3,000+") (and the table's row count is unknown to assistive technology), scrolling
// still loads past the first page; a search with fewer matches says its exact count.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startStack } from '../helpers/stack.ts';
import { adminPage, eventually, launchBrowser, noChromium } from './browser.ts';

describe('admin UI: the count of a search', { skip: noChromium }, () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  let page: Page;

  before(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    page = await adminPage(browser, stack);
    // 6,000 spaces already in step with Stripe: written with the triggers off, so nothing is synced.
    const client = await stack.pool.connect();
    try {
      await client.query('begin');
      await client.query('set local session_replication_role = replica');
      await client.query(`insert into spaces (name, sync_status, synced_version) select 'Box ' || i, 'synced', 1 from generate_series(1, 6000) i`);
      await client.query('commit');
    } finally {
      client.release();
    }
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const countText = () => page.locator('[data-spaces-count]').textContent();

  it('a search past the count limit says "N,000+", and more rows load as the table scrolls', async () => {
    await page.goto(`${stack.apiUrl}/spaces?q=box`);
    let seen = '';
    const shown = () => Number((/^([\d,]+) of/.exec(seen)?.[1] ?? '0').replace(/,/g, ''));
    // The first page, or more when the table asked for the next one before it was laid out.
    await eventually('the capped count', async () => {
      seen = (await countText()) ?? '';
      return /^[\d,]+ of [\d,]+\+ spaces/.test(seen) && (await page.getByRole('table').getAttribute('aria-rowcount')) === '-1';
    }).catch((error) => assert.fail(`${(error as Error).message}: the count says "${seen}"`));
    const first = shown();
    assert.ok(first >= 100 && first < 6_000, `some pages loaded (${seen})`);
    const scroller = page.locator('[data-spaces-scroll]');
    await eventually('the next page loaded', async () => {
      await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
      seen = (await countText()) ?? '';
      return shown() > first;
    }).catch((error) => assert.fail(`${(error as Error).message}: the count says "${seen}"`));
  });

  it('a search with fewer matches says its exact count', async () => {
    // "Box 1", "Box 10"–"Box 19", "Box 100"–"Box 199", "Box 1000"–"Box 1999": 1,111 spaces.
    await page.goto(`${stack.apiUrl}/spaces?q=${encodeURIComponent('box 1')}`);
    let seen = '';
    await eventually('the exact count', async () => /^[\d,]+ of 1,111 spaces/.test((seen = (await countText()) ?? '')))
      .catch((error) => assert.fail(`${(error as Error).message}: the count says "${seen}"`));
    assert.equal(await page.getByRole('table').getAttribute('aria-rowcount'), '1112');
  });
});
