// The sign-in lockout in the browser, at 1440×900 and 390×844, in English and French: after too many
// wrong passwords the page says how long the server locks the email for — its Retry-After (15
// minutes), not a fixed text — with the language's plural. axe-core must find nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOGIN_MAX_ATTEMPTS, LOGIN_WINDOW_MS } from '../../src/auth/loginThrottle.ts';
import { assertAccessible, assertFitsWidth, browserStack, noChromium, VIEWPORTS, withAdminPage } from './browser.ts';

const MINUTES = LOGIN_WINDOW_MS / 60_000;
const expected = {
  en: `Too many wrong passwords for this email. Try again in ${MINUTES} minutes.`,
  fr: `Trop de mots de passe erronés pour cette adresse. Réessayez dans ${MINUTES} minutes.`,
} as const;
const labels = { en: { email: 'Email', password: 'Password', submit: 'Sign in' }, fr: { email: 'Adresse e-mail', password: 'Mot de passe', submit: 'Se connecter' } } as const;

describe('admin UI: sign-in lockout', { skip: noChromium }, () => {
  const ui = browserStack();

  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    for (const locale of ['en', 'fr'] as const) {
      it(`says the server's lock duration (${locale}, ${size})`, async () => {
        const email = `guessed-${locale}-${size}@example.com`;
        for (let i = 0; i < LOGIN_MAX_ATTEMPTS; i++) {
          const res = await fetch(`${ui.stack.apiUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'wrong' }) });
          assert.equal(res.status, 401);
        }
        await withAdminPage(ui.browser, ui.stack, { locale, viewport, signedIn: false }, async (page) => {
          await page.goto(`${ui.stack.apiUrl}/`);
          await page.getByLabel(labels[locale].email).fill(email);
          await page.getByLabel(labels[locale].password).fill('still wrong');
          const answer = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
          await page.getByRole('button', { name: labels[locale].submit }).click();
          const res = await answer;
          assert.equal(res.status(), 429);
          assert.equal(Math.ceil(Number(res.headers()['retry-after']) / 60), MINUTES, 'the server locks for its window');
          const alert = page.getByRole('alert');
          await alert.waitFor();
          assert.equal(await alert.textContent(), expected[locale]);
          await assertFitsWidth(page, `lockout (${locale}, ${size})`);
          await assertAccessible(page, `lockout (${locale}, ${size})`);
        });
      });
    }
  }
});
