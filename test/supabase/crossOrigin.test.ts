// The admin UI and supabase-js against the Edge Functions, in Chromium, from another origin, as a
// Supabase deployment has them: the functions under Deno 2.1.4 behind a stand-in for the project's
// URL (/functions/v1/<name>, Supabase Auth's JWKS and ES256 tokens), on a database shaped like a
// Supabase project into which the real CLI pushed the migrations, the Stripe emulator and a worker.
// The pages come from a static host on another port (another origin): the browser enforces CORS.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import { startEmulator } from '../../src/emulator/index.ts';
import { silentLogger } from '../../src/log.ts';
import { startServices, type Services } from '../../src/node/startServices.ts';
import { assertAccessible, launchBrowser, noChromium, productOfSpace, VIEWPORT, waitForStatus } from '../ui/browser.ts';
import { createFunctionSandbox, type RunningFunction } from './denoFunction.ts';
import { startStaticSite, type StaticSite } from './staticSite.ts';
import { startSupabaseGatewayStandIn, type SupabaseGatewayStandIn } from './supabaseGatewayStandIn.ts';
import { startSupabaseProjectDatabase, type SupabaseProjectDatabase } from './supabaseProject.ts';

const root = join(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const ADMIN = { id: '00000000-0000-4000-8000-00000000ad01', email: 'owner@example.com', admin: true };
const MEMBER = { id: '00000000-0000-4000-8000-00000000ee02', email: 'member@example.com', admin: false };

describe('Supabase deployment, cross-origin, in Chromium', { skip: noChromium }, () => {
  let project: SupabaseProjectDatabase;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let gateway: SupabaseGatewayStandIn;
  const sandbox = createFunctionSandbox();
  const functions: RunningFunction[] = [];
  let worker: Services;
  let dataDir: string;
  let browser: Browser;
  let site: StaticSite;

  before(async () => {
    [project, emulator, gateway, browser] = await Promise.all([startSupabaseProjectDatabase(), startEmulator({ port: 0 }), startSupabaseGatewayStandIn(), launchBrowser()]);
    // What Supabase gives every function (SUPABASE_DB_URL, SUPABASE_URL), and the Stripe secrets.
    const env = { SUPABASE_DB_URL: project.url, SUPABASE_URL: gateway.url, STRIPE_API_URL: emulator.url, STRIPE_WEBHOOK_SECRET: 'whsec_cross_origin_test' };
    for (const name of ['spacesync-api', 'sync-space-stripe']) {
      const fn = await sandbox.start(name, env);
      functions.push(fn);
      gateway.route(name, fn.port);
    }
    dataDir = mkdtempSync(join(tmpdir(), 'spacesync-worker-'));
    worker = await startServices(loadConfig({ DATABASE_URL: project.url, STRIPE_API_URL: emulator.url, DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), silentLogger, { api: false, worker: true, emulator: false });
    // The built admin UI on a static host, pointed at the function as docs/INSTALL.md says.
    const apiUrl = `${gateway.url}/functions/v1/spacesync-api`;
    site = await startStaticSite({
      dir: join(root, 'web/dist'),
      rewriteIndex: (html) => html.replace('<head>', `<head>\n    <meta name="spacesync-api-url" content="${apiUrl}">`),
      files: {
        '/supabase.js': readFileSync(join(require.resolve('@supabase/supabase-js/package.json'), '..', 'dist/umd/supabase.js'), 'utf8'),
        '/invoke.html': '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>invoke</title><script src="/supabase.js"></script></head><body></body></html>',
      },
    });
  });

  after(async () => {
    await browser?.close();
    await site?.stop();
    await worker?.stop();
    for (const fn of functions) await fn.stop();
    sandbox.remove();
    await gateway?.stop();
    await emulator?.stop();
    await project?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB', timezoneId: 'Europe/Paris' });
    await context.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((f) => f);' });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`[browser] ${error.message}`));
    return page;
  }

  it('the admin UI on a static host: signed in by a Supabase Auth link, creates a space and sees it synced; axe finds nothing', async () => {
    const page = await newPage();
    try {
      const token = await gateway.accessToken(ADMIN);
      // Where a Supabase magic link lands (implicit flow): the session in the fragment.
      await page.goto(`${site.url}/#access_token=${token}&expires_at=${Math.floor(Date.now() / 1000) + 3600}&expires_in=3600&refresh_token=r3fr3sh&token_type=bearer&type=magiclink`);
      await page.locator('[data-stream-state="open"]').waitFor({ timeout: 30_000 });
      assert.equal(new URL(page.url()).hash, '', 'the token left the address bar');
      assert.equal(new URL(page.url()).pathname, '/spaces');
      assert.equal(await page.evaluate(() => localStorage.getItem('spacesync.token')), token, 'the session is kept for a reload');

      await page.getByRole('button', { name: 'New space' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Name').fill('Salle Supabase');
      await dialog.locator('[data-price-row="0"]').getByLabel('Amount').fill('42');
      await dialog.getByRole('button', { name: 'Create space' }).click();
      await dialog.waitFor({ state: 'detached' });
      const { rows } = await project.pool.query<{ id: string }>(`select id from spaces where name = 'Salle Supabase'`);
      assert.equal(rows.length, 1, 'created through the function');
      await waitForStatus(page, rows[0].id, 'synced', 60_000);
      await page.locator(`[data-space-status="${rows[0].id}"]`).getByText('Synced').waitFor();
      const { product, prices } = await productOfSpace(emulator.url, rows[0].id);
      assert.equal(product?.name, 'Salle Supabase', 'the worker synced it into Stripe');
      assert.deepEqual(prices.map((p) => p.unit_amount), [4200]);
      await assertAccessible(page, 'spaces, against the Edge Function from another origin');

      // The browser asked first (preflight) and the function allowed the page's origin.
      const toApi = gateway.requests.filter((r) => r.path.startsWith('/functions/v1/spacesync-api/'));
      assert.ok(toApi.some((r) => r.method === 'OPTIONS' && r.accessControlRequestMethod === 'POST' && r.origin === site.url), 'a preflight for the POST');
      assert.ok(toApi.some((r) => r.method === 'POST' && r.path === '/functions/v1/spacesync-api/api/spaces' && r.authorization === `Bearer ${token}`));
      assert.ok(toApi.some((r) => r.method === 'GET' && r.path === '/functions/v1/spacesync-api/api/stream'), 'the live stream through the function');
    } finally {
      await page.context().close();
    }
  });

  it('an expired sign-in link says so on the login page', async () => {
    const page = await newPage();
    try {
      await page.goto(`${site.url}/#error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid+or+has+expired`);
      await page.getByRole('alert').getByText('The sign-in link did not work (Email link is invalid or has expired). Ask for a new one.').waitFor();
      await page.getByText('Signing in with Supabase Auth? Open this page from your sign-in link').waitFor();
      assert.equal(new URL(page.url()).hash, '');
      await assertAccessible(page, 'login page after an expired link');
    } finally {
      await page.context().close();
    }
  });

  it('supabase-js functions.invoke from another origin: a member reads a 403 FunctionsHttpError, an admin syncs', async () => {
    const page = await newPage();
    try {
      await page.goto(`${site.url}/invoke.html`);
      const { rows } = await project.pool.query<{ id: string }>(`insert into spaces (name) values ('Desk invoked') returning id`);
      await project.pool.query(`insert into space_prices (space_id, pricing_type, unit_amount, currency) values ($1, 'daily', 1500, 'eur')`, [rows[0].id]);
      const invoke = (token: string) =>
        page.evaluate(
          async ([url, anonKey, accessToken, spaceId]) => {
            const w = window as unknown as { supabase: typeof import('@supabase/supabase-js') };
            const client = w.supabase.createClient(url, anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
            const signedIn = await client.auth.setSession({ access_token: accessToken, refresh_token: 'r3fr3sh' });
            if (signedIn.error) return { signInError: signedIn.error.message };
            const { data, error } = await client.functions.invoke('sync-space-stripe', { body: { space_id: spaceId } });
            if (!error) return { data };
            const context = (error as { context?: Response }).context;
            return { errorName: error.name, status: context?.status, body: context ? await context.json() : null };
          },
          [gateway.url, gateway.anonKey, token, rows[0].id] as const,
        );

      const refused = await invoke(await gateway.accessToken(MEMBER));
      assert.equal(refused.errorName, 'FunctionsHttpError', JSON.stringify(refused));
      assert.equal(refused.status, 403);
      assert.equal((refused.body as { error: { code: string } }).error.code, 'forbidden');

      const adminToken = await gateway.accessToken(ADMIN);
      const synced = await invoke(adminToken);
      assert.ok('data' in synced, JSON.stringify(synced));
      const data = synced.data as { outcome: { status: string }; space: { sync_status: string } };
      assert.equal(data.space.sync_status, 'synced');
      assert.equal((await productOfSpace(emulator.url, rows[0].id)).product?.name, 'Desk invoked');

      // What supabase-js sent through the gateway: the preflight, then the call with apikey and the user's token.
      const calls = gateway.requests.filter((r) => r.path === '/functions/v1/sync-space-stripe');
      assert.ok(calls.some((r) => r.method === 'OPTIONS' && r.origin === site.url && r.accessControlRequestMethod === 'POST'), 'the browser sent a preflight');
      const posted = calls.filter((r) => r.method === 'POST');
      assert.equal(posted.length, 2);
      assert.ok(posted.every((r) => r.apikey === gateway.anonKey && r.origin === site.url));
      assert.equal(posted[1].authorization, `Bearer ${adminToken}`);
    } finally {
      await page.context().close();
    }
  });
});
