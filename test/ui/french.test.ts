// French all the way, at 1440×900 and 390×844: log lines the engine stored in English read in French
// (known steps through the UI's words, anything else as stored), drift fields and values in words
// ("Nom", "Actif", "oui"/"non"), and the catalog plan's fields and amounts. axe-core must find nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { SPACE_LOCK_CLASS } from '../../src/sync/spaceLock.ts';
import { adminPage, assertAccessible, assertFitsWidth, browserStack, emulator, eventually, noChromium, productOfSpace, screenshot, spaceRow, VIEWPORTS, waitForStatus } from './browser.ts';

describe('admin UI in French', { skip: noChromium }, () => {
  const ui = browserStack();

  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    describe(`at ${viewport.width}×${viewport.height} (${size})`, () => {
      let page: Page;
      let space: { id: string; name: string };

      before(async () => {
        page = await adminPage(ui.browser, ui.stack, { locale: 'fr', viewport });
        const name = `Salle Lumière ${size}`;
        const { rows: [s] } = await ui.stack.pool.query<{ id: string }>(`insert into spaces (name) values ($1) returning id`, [name]);
        await ui.stack.pool.query(`insert into space_prices (space_id, pricing_type, unit_amount, currency) values ($1, 'hourly', 2500, 'eur')`, [s.id]);
        space = { id: s.id, name };
        await eventually('the space synced', async () => (await ui.stack.pool.query(`select 1 from spaces where id = $1 and sync_status = 'synced' and synced_version = version`, [s.id])).rowCount);
      });
      after(async () => page?.context().close());

      it('log lines in French; an unknown step as stored', async () => {
        await ui.stack.pool.query(`insert into application_logs (level, source, event, space_id, message) values ('info', 'custom', 'custom.step', $1, 'kept as the engine wrote it')`, [space.id]);
        await page.goto(`${ui.stack.apiUrl}/logs?space_id=${space.id}`);
        const message = (event: string) => page.locator(`[data-log-event="${event}"] [data-log-message]`).first();
        await message('sync.finished').waitFor();
        assert.match((await message('sync.finished').textContent()) ?? '', /^version \d+ synchronisée : \d+ modifications? envoyées?, \d+ requêtes? Stripe$/);
        assert.match((await message('sync.planned').textContent()) ?? '', /^version \d+ : (\d+ appels? : .*(création du produit|mise à jour du produit|création du prix).*|Stripe est à jour, rien à envoyer)$/);
        assert.match((await message('stripe.create_product').textContent()) ?? '', /^création du produit prod_/);
        assert.equal(await message('custom.step').textContent(), 'kept as the engine wrote it');
        assert.equal(await message('custom.step').getAttribute('lang'), 'en', 'the stored English text is marked as English');
        await assertFitsWidth(page, `logs in French (${size})`);
        await assertAccessible(page, `logs in French (${size})`);
        if (size === 'desktop') await screenshot(page, 'logs-fr');
      });

      it('drift fields and values in words: Nom, Actif, oui / non', async () => {
        const { product } = await productOfSpace(ui.stack.emulatorUrl, space.id);
        assert.ok(product);
        await page.goto(`${ui.stack.apiUrl}/spaces?q=${encodeURIComponent(space.name)}`);
        await waitForStatus(page, space.id, 'synced');
        // Hold the space's sync lock so the drift stays until an admin acts (the policy re-syncs at once).
        const lock = await ui.stack.pool.connect();
        try {
          await lock.query('select pg_advisory_lock($1::int, hashtext($2::text))', [SPACE_LOCK_CLASS, space.id]);
          await emulator.dashboardUpdateProduct(ui.stack.emulatorUrl, product.id, { name: `${space.name} (Stripe)`, active: false });
          await waitForStatus(page, space.id, 'drift', 30_000);
          // The row's button on a desktop; the status badge ("Dérive · Examiner") on a phone's card.
          await spaceRow(page, space.id).getByRole('button', { name: /Examiner$/ }).first().click();
          const fields = page.getByRole('dialog').locator('[data-drift-fields]');
          await fields.waitFor();
          const row = (field: string) => fields.locator('tr').filter({ has: page.locator(`[data-drift-field="${field}"]`) });
          assert.equal(await row('name').locator('th').textContent(), 'Nom');
          assert.deepEqual(await row('name').locator('td').allTextContents(), [space.name, `${space.name} (Stripe)`]);
          assert.equal(await row('active').locator('th').textContent(), 'Actif');
          assert.deepEqual(await row('active').locator('td').allTextContents(), ['oui', 'non']);
          await assertAccessible(page, `drift in French (${size})`);
          await page.keyboard.press('Escape');
          await page.getByRole('dialog').waitFor({ state: 'detached' });
        } finally {
          await lock.query('select pg_advisory_unlock($1::int, hashtext($2::text))', [SPACE_LOCK_CLASS, space.id]).catch(() => {});
          lock.release();
        }
        await waitForStatus(page, space.id, 'synced', 30_000);
        await page.goto(`${ui.stack.apiUrl}/logs?space_id=${space.id}`);
        const drift = page.locator('[data-log-event="drift_detected"] [data-log-message]').first();
        await drift.waitFor();
        assert.match((await drift.textContent()) ?? '', /^produit Stripe prod_\S+ modifié hors de spacesync \((Nom, Actif|Actif, Nom)\) ; politique : appliquer le catalogue$/);
      });

      it('the catalog plan: fields and amounts in French', async () => {
        // An edit nothing synced (enqueue trigger off): the plan has a price to create.
        await ui.stack.pool.query('alter table public.spaces disable trigger _900_enqueue_sync');
        try {
          await ui.stack.pool.query(`insert into spaces (name) values ($1)`, [`Salle importée ${size}`]);
        } finally {
          await ui.stack.pool.query('alter table public.spaces enable trigger _900_enqueue_sync');
        }
        const { rows: [imported] } = await ui.stack.pool.query<{ id: string }>(`select id from spaces where name = $1`, [`Salle importée ${size}`]);
        await ui.stack.pool.query(`alter table public.space_prices disable trigger _900_bump_space`);
        try {
          await ui.stack.pool.query(`insert into space_prices (space_id, pricing_type, unit_amount, currency) values ($1, 'daily', 12000, 'eur')`, [imported.id]);
        } finally {
          await ui.stack.pool.query(`alter table public.space_prices enable trigger _900_bump_space`);
        }
        await page.goto(`${ui.stack.apiUrl}/catalog`);
        await page.getByRole('button', { name: 'Calculer le plan (simulation)' }).click();
        const entry = page.locator(`[data-plan-entry][data-space-id="${imported.id}"]`);
        await entry.waitFor({ timeout: 30_000 });
        assert.equal(await entry.locator('[data-change-field="product"] [data-change-label]').textContent(), 'Produit');
        assert.equal(await entry.locator('[data-change-field="price daily"] [data-change-label]').textContent(), 'Prix · Journée');
        assert.equal(await entry.locator('[data-change-field="price daily"] [data-change-to]').textContent(), '120,00\u00a0€ (par défaut)');
        assert.equal(await entry.locator('[data-change-field="price daily.lookup_key"] [data-change-label]').textContent(), 'Prix · Journée · Clé de recherche');
        await assertFitsWidth(page, `catalog plan in French (${size})`);
        await assertAccessible(page, `catalog plan in French (${size})`);
      });
    });
  }
});
