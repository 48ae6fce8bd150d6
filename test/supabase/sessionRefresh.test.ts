// The admin UI stays signed in with Supabase Auth, in Chromium, as a Supabase deployment has it: the
// built UI on a static host, the `spacesync-api` function under Deno 2.1.4 behind the gateway
// stand-in, whose Supabase Auth issues short-lived access tokens (a few seconds here, an hour in a
// project) and rotating refresh tokens (supabaseAuthStandIn.ts). The UI renews them through the
// function's POST /api/auth/refresh before they expire, on a 401, in one tab of several at a time;
// the live stream (each answer ended after 1.5 s, as the Edge runtime's wall clock makes it) goes on
// with the new tokens; a revoked session ends on the login page, saying why.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startEmulator } from '../../src/emulator/index.ts';
import { assertAccessible, eventually, launchBrowser, noChromium, spaceRow, VIEWPORT } from '../ui/browser.ts';
import { createFunctionSandbox, type RunningFunction } from './denoFunction.ts';
import { startStaticSite, type StaticSite } from './staticSite.ts';
import type { IssuedSession } from './supabaseAuthStandIn.ts';
import { startSupabaseGatewayStandIn, type SupabaseGatewayStandIn } from './supabaseGatewayStandIn.ts';
import { startSupabaseProjectDatabase, type SupabaseProjectDatabase } from './supabaseProject.ts';

const root = join(import.meta.dirname, '../..');
const ADMIN = { id: '00000000-0000-4000-8000-00000000ad11', email: 'stays@example.com', admin: true };
/** The access tokens' lifetime: renewed 1.5 s before they expire. */
const LIFETIME_S = 6;

describe('Supabase Auth session kept alive by the admin UI, in Chromium', { skip: noChromium }, () => {
  let project: SupabaseProjectDatabase;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let gateway: SupabaseGatewayStandIn;
  const sandbox = createFunctionSandbox();
  let fn: RunningFunction;
  let browser: Browser;
  let site: StaticSite;

  before(async () => {
    [project, emulator, gateway, browser] = await Promise.all([startSupabaseProjectDatabase(), startEmulator({ port: 0 }), startSupabaseGatewayStandIn(), launchBrowser()]);
    // What Supabase gives the function: SUPABASE_DB_URL, SUPABASE_URL and SUPABASE_ANON_KEY.
    fn = await sandbox.start('spacesync-api', { SUPABASE_DB_URL: project.url, SUPABASE_URL: gateway.url, SUPABASE_ANON_KEY: gateway.anonKey, STRIPE_API_URL: emulator.url, STREAM_MAX_MS: '1500' });
    gateway.route('spacesync-api', fn.port);
    const apiUrl = `${gateway.url}/functions/v1/spacesync-api`;
    site = await startStaticSite({ dir: join(root, 'web/dist'), rewriteIndex: (html) => html.replace('<head>', `<head>\n    <meta name="spacesync-api-url" content="${apiUrl}">`) });
  });

  after(async () => {
    await browser?.close();
    await site?.stop();
    await fn?.stop();
    sandbox.remove();
    await gateway?.stop();
    await emulator?.stop();
    await project?.stop();
  });

  async function newContext(): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB', timezoneId: 'Europe/Paris' });
    await context.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((f) => f);' });
    return context;
  }

  async function newPage(context: BrowserContext): Promise<{ page: Page; refused: string[] }> {
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`[browser] ${error.message}`));
    // Every answer of the API the admin would notice: a 401.
    const refused: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 401) refused.push(`${response.request().method()} ${new URL(response.url()).pathname}`);
    });
    return { page, refused };
  }

  /** Where a Supabase magic link lands (implicit flow), the session in the fragment; `expiresIn` as the link says it. */
  function linkTo(session: IssuedSession, expiresIn = session.expires_in): string {
    return `${site.url}/#access_token=${session.access_token}&expires_at=${session.expires_at}&expires_in=${expiresIn}&refresh_token=${session.refresh_token}&token_type=bearer&type=magiclink`;
  }

  const successfulRefreshes = (since: number) => gateway.auth.refreshes.filter((r) => r.at >= since && r.status === 200);
  const streamTokens = (since: number) =>
    new Set(gateway.requests.filter((r) => r.path === '/functions/v1/spacesync-api/api/stream' && r.method === 'GET').slice(since).map((r) => (r.authorization ?? '').replace(/^Bearer /, '')));

  it('a short-lived session is renewed before it expires, unnoticed: no 401, the stream goes on with the new tokens, sign-out forgets the refresh token', async () => {
    const context = await newContext();
    try {
      const { page, refused } = await newPage(context);
      const start = Date.now();
      const signedIn = await gateway.auth.signIn(ADMIN, { expiresIn: LIFETIME_S });
      await page.goto(linkTo(signedIn));
      await page.locator('[data-stream-state="open"]').waitFor({ timeout: 30_000 });
      const streamRequestsBefore = gateway.requests.filter((r) => r.path === '/functions/v1/spacesync-api/api/stream' && r.method === 'GET').length;
      const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('spacesync.session') ?? 'null') as { access_token: string; refresh_token: string } | null);
      assert.equal(stored?.refresh_token, signedIn.refresh_token, 'the refresh token is kept beside the access token');

      // Three lifetimes: three renewals at least, each spending its refresh token once.
      await eventually('three renewals', async () => successfulRefreshes(start).length >= 3, 30_000);
      assert.ok(successfulRefreshes(start).every((r) => r.outcome === 'ok'), JSON.stringify(gateway.auth.refreshes));
      const sent = gateway.requests.filter((r) => r.path === '/auth/v1/token' && r.method === 'POST');
      assert.ok(sent.every((r) => r.apikey === gateway.anonKey && r.origin === null), 'Supabase Auth was called by the function, with the anon key, not by the page');

      // A space added now (plain SQL) still appears live: the stream reconnected with renewed tokens.
      const { rows } = await project.pool.query<{ id: string }>(`insert into spaces (name) values ('Salle renouvelée') returning id`);
      await spaceRow(page, rows[0].id).waitFor({ timeout: 15_000 });
      const renewed = [...streamTokens(streamRequestsBefore)].filter((t) => t !== signedIn.access_token);
      assert.ok(renewed.length >= 2, `the stream reconnected with ${renewed.length} renewed token(s)`);
      assert.deepEqual(refused, [], 'no request was refused');
      assert.equal(new URL(page.url()).pathname, '/spaces');
      // (Open again after each of the function's 1.5 s answers.)
      await page.locator('[data-stream-state="open"]').waitFor({ timeout: 5_000 });
      const now = await page.evaluate(() => ({ token: localStorage.getItem('spacesync.token'), session: JSON.parse(localStorage.getItem('spacesync.session') ?? 'null') as { access_token: string; refresh_token: string } | null }));
      assert.equal(now.session?.access_token, now.token);
      assert.notEqual(now.session?.refresh_token, signedIn.refresh_token);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      assert.deepEqual(await page.evaluate(() => ['spacesync.token', 'spacesync.session', 'spacesync.user'].map((k) => localStorage.getItem(k))), [null, null, null]);
      assert.equal(await page.getByRole('alert').count(), 0, 'a sign-out asked for says nothing');
      const refreshesAtSignOut = gateway.auth.refreshes.length;
      await page.waitForTimeout(LIFETIME_S * 1000);
      assert.equal(gateway.auth.refreshes.length, refreshesAtSignOut, 'nothing is renewed once signed out');
    } finally {
      await context.close();
    }
  });

  it('two tabs share one session: each refresh token is spent once, by one tab, and both follow', async () => {
    const context = await newContext();
    try {
      const a = await newPage(context);
      const start = Date.now();
      const signedIn = await gateway.auth.signIn(ADMIN, { expiresIn: LIFETIME_S });
      await a.page.goto(linkTo(signedIn));
      await a.page.locator('[data-stream-state="open"]').waitFor({ timeout: 30_000 });
      const b = await newPage(context);
      await b.page.goto(`${site.url}/spaces`);
      await b.page.locator('[data-stream-state="open"]').waitFor({ timeout: 30_000 });

      await eventually('four renewals', async () => successfulRefreshes(start).length >= 4, 30_000);
      const mine = gateway.auth.refreshes.filter((r) => r.at >= start);
      assert.ok(mine.every((r) => r.status === 200 && r.outcome === 'ok'), `no refresh token was spent twice: ${JSON.stringify(mine)}`);
      assert.equal(new Set(mine.map((r) => r.refreshToken)).size, mine.length);
      // Both tabs hold the newest session and are still at work.
      const held = await Promise.all([a.page, b.page].map((p) => p.evaluate(() => localStorage.getItem('spacesync.token'))));
      assert.equal(held[0], held[1]);
      for (const { page, refused } of [a, b]) {
        await page.locator('[data-stream-state="open"]').waitFor({ timeout: 5_000 });
        assert.deepEqual(refused, []);
      }
    } finally {
      await context.close();
    }
  });

  it('an access token refused by the API (401) is renewed once and the request goes through', async () => {
    const context = await newContext();
    try {
      const { page, refused } = await newPage(context);
      // The link says an hour but the token expires in 2 s (a clock far ahead, say): the API refuses it first.
      const signedIn = await gateway.auth.signIn(ADMIN, { expiresIn: 2 });
      await page.goto(linkTo(signedIn, 3600));
      await page.locator('[data-stream-state="open"]').waitFor({ timeout: 30_000 });
      const start = Date.now();
      await page.waitForTimeout(2500);
      await page.getByRole('link', { name: 'Logs' }).first().click();
      await page.getByRole('heading', { name: 'Logs' }).waitFor();
      await eventually('a renewal after the 401', async () => successfulRefreshes(start).length >= 1, 15_000);
      assert.ok(refused.length >= 1, 'the API refused the expired token');
      assert.equal(new URL(page.url()).pathname, '/logs', 'still signed in');
      await page.locator('[data-stream-state="open"]').waitFor({ timeout: 15_000 });
      const mine = gateway.auth.refreshes.filter((r) => r.at >= start);
      assert.ok(mine.every((r) => r.status === 200 && r.outcome === 'ok'), `the page’s requests and the stream shared each renewal: ${JSON.stringify(mine)}`);
    } finally {
      await context.close();
    }
  });

  it('a revoked session ends on the login page with Supabase Auth’s reason, the refresh token forgotten; axe finds nothing', async () => {
    const context = await newContext();
    try {
      const { page } = await newPage(context);
      const signedIn = await gateway.auth.signIn(ADMIN, { expiresIn: LIFETIME_S });
      await page.goto(linkTo(signedIn));
      await page.locator('[data-stream-state="open"]').waitFor({ timeout: 30_000 });
      gateway.auth.revokeSessions(ADMIN.id);
      await page.getByRole('alert').getByText('Your session has ended (Invalid Refresh Token: Refresh Token Not Found). Sign in again with a new sign-in link.').waitFor({ timeout: 15_000 });
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      assert.deepEqual(await page.evaluate(() => ['spacesync.token', 'spacesync.session', 'spacesync.user'].map((k) => localStorage.getItem(k))), [null, null, null]);
      await assertAccessible(page, 'login page after a revoked session');
    } finally {
      await context.close();
    }
  });
});
