// The spaces page with 5,000 spaces, in Chromium on the whole stack: time to first rows (budget
// 1.5 s), then 1,000 status changes made by SQL updates of the sync columns (the NOTIFY trigger feeds
// the live stream) and the time until the page shows the last one, with the main thread's long tasks
// and longest frame gap meanwhile (is the page still responsive?).
import { join } from 'node:path';
import pg from 'pg';
import { migrate } from '../src/db/migrate.ts';
import { createPool, withTransaction } from '../src/db/pool.ts';
import { startEmbeddedPostgres } from '../src/node/embeddedPostgres.ts';
import { startStack } from '../test/helpers/stack.ts';
import { adminPage, launchBrowser, noChromium } from '../test/ui/browser.ts';
import { round, summarize, writeReport } from './lib.ts';

const SPACES = 5_000;
const UPDATES = 1_000;
const LOADS = 5;
const BUDGET_MS = 1_500;

if (noChromium) {
  console.log(`ui bench skipped: ${noChromium}`);
  process.exit(0);
}

/**
 * startStack clones the migrated template that `npm test` prepares; run alone (`npm run bench`), the
 * benchmark prepares one the same way on the bench's embedded Postgres (or SPACESYNC_BENCH_DATABASE_URL).
 */
async function ensureTemplate(): Promise<() => Promise<void>> {
  if (process.env.SPACESYNC_TEST_ADMIN_URL && process.env.SPACESYNC_TEST_TEMPLATE) return async () => {};
  const server = process.env.SPACESYNC_BENCH_DATABASE_URL ? null : await startEmbeddedPostgres({ dir: join(import.meta.dirname, '../.spacesync/bench-postgres'), fsync: false });
  const adminUrl = process.env.SPACESYNC_BENCH_DATABASE_URL ?? server!.url;
  const template = `spacesync_ui_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  const u = new URL(adminUrl);
  u.pathname = `/${template}`;
  const pool = createPool(u.toString(), { max: 2 });
  await migrate(pool);
  await pool.end();
  process.env.SPACESYNC_TEST_ADMIN_URL = adminUrl;
  process.env.SPACESYNC_TEST_TEMPLATE = template;
  return async () => {
    await admin.query(`drop database if exists ${template} with (force)`).catch(() => {});
    await admin.end();
    await server?.stop();
  };
}

const dropTemplate = await ensureTemplate();
const stack = await startStack();
const browser = await launchBrowser();
try {
  // 5,000 spaces with two prices each, inserted with the enqueue trigger off so that no sync storm
  // runs underneath the measurement (the statuses are driven by SQL below).
  await withTransaction(stack.pool, async (client) => {
    await client.query('alter table public.spaces disable trigger _900_enqueue_sync');
    await client.query(
      `insert into public.spaces (name, kind, capacity, location)
       select 'Bench space ' || lpad(i::text, 5, '0'), (array['meeting_room','desk','office','venue'])[1 + i % 4], 1 + i % 40, 'Floor ' || (i % 12)
       from generate_series(1, $1) i`,
      [SPACES],
    );
    await client.query(
      `insert into public.space_prices (space_id, pricing_type, unit_amount, currency)
       select id, t.pricing_type, t.amount, 'eur' from public.spaces, (values ('hourly', 2500), ('daily', 15000)) t(pricing_type, amount)`,
    );
    await client.query('alter table public.spaces enable trigger _900_enqueue_sync');
  });

  const page = await adminPage(browser, stack);
  const url = `${stack.apiUrl}/spaces`;
  await page.goto(url); // warm-up: browser caches, API plans
  await page.waitForSelector('[data-space-id]');

  // 1. Time to first rows, over several loads.
  const firstRows: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    const started = Date.now();
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForSelector('[data-space-id]', { timeout: 10_000 });
    wall.push(Date.now() - started);
    firstRows.push(await page.evaluate(() => performance.getEntriesByName('spaces:first-rows')[0]?.startTime ?? Number.NaN));
  }
  const fr = summarize(firstRows);
  const fw = summarize(wall);

  // 2. 1,000 status changes streamed in; the last one is a row on screen.
  await page.waitForSelector('[data-stream-state="open"]');
  const visibleId = (await page.locator('[data-space-id]').first().getAttribute('data-space-id')) as string;
  const { rows } = await stack.pool.query<{ id: string }>('select id from public.spaces where id <> $1 order by random() limit $2', [visibleId, UPDATES - 1]);
  const ids = [...rows.map((r) => r.id), visibleId];
  await page.evaluate((id) => {
    type Bench = { seenAt: number | null; longTasks: number[]; maxGap: number; stop: boolean };
    const bench: Bench = { seenAt: null, longTasks: [], maxGap: 0, stop: false };
    (window as unknown as { bench: Bench }).bench = bench;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longTasks.push(e.duration);
    }).observe({ type: 'longtask' });
    let last = performance.now();
    const frame = (now: number) => {
      bench.maxGap = Math.max(bench.maxGap, now - last);
      last = now;
      if (!bench.stop) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    const check = () => {
      if (bench.seenAt === null && document.querySelector(`[data-space-status="${id}"][data-sync-status="error"]`)) {
        bench.seenAt = Date.now();
        bench.stop = true;
      }
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-sync-status'] });
  }, visibleId);

  const updater = await stack.pool.connect();
  const sqlStarted = Date.now();
  try {
    for (const [i, id] of ids.entries()) {
      const last = i === ids.length - 1;
      await updater.query(
        `update public.spaces set sync_status = $2, sync_attempt = sync_attempt + 1, last_error = $3 where id = $1`,
        [id, last ? 'error' : 'syncing', last ? 'bench: the last status change' : null],
      );
    }
  } finally {
    updater.release();
  }
  const sqlDone = Date.now();
  await page.waitForFunction(() => (window as unknown as { bench: { seenAt: number | null } }).bench.seenAt !== null, undefined, { timeout: 60_000 });
  const result = await page.evaluate(() => (window as unknown as { bench: { seenAt: number; longTasks: number[]; maxGap: number } }).bench);
  const longTotal = result.longTasks.reduce((s, x) => s + x, 0);
  const blocking = result.longTasks.reduce((s, x) => s + Math.max(0, x - 50), 0);
  const updatedOnScreen = await page.locator('[data-sync-status="syncing"]').count();

  writeReport({
    name: 'ui',
    description: `spaces page in Chromium with ${SPACES} spaces: time to first rows (${LOADS} loads), then ${UPDATES} sync-status changes by SQL streamed to the page`,
    rows: [
      { measure: 'navigation → first rows (in-page mark), p50', value: round(fr.p50, 0), unit: 'ms', budget: BUDGET_MS, ok: fr.p50 <= BUDGET_MS },
      { measure: 'navigation → first rows (in-page mark), max', value: round(fr.max, 0), unit: 'ms', budget: BUDGET_MS, ok: fr.max <= BUDGET_MS },
      { measure: 'goto → first row in the DOM (wall), p50', value: round(fw.p50, 0), unit: 'ms', budget: BUDGET_MS, ok: fw.p50 <= BUDGET_MS },
      { measure: `${UPDATES} status updates: first SQL → last shown`, value: result.seenAt - sqlStarted, unit: 'ms', budget: null, ok: null },
      { measure: `${UPDATES} status updates: SQL sending time`, value: sqlDone - sqlStarted, unit: 'ms', budget: null, ok: null },
      { measure: 'last commit → shown on the page', value: result.seenAt - sqlDone, unit: 'ms', budget: null, ok: null },
      { measure: 'long tasks (> 50 ms) meanwhile', value: result.longTasks.length, unit: 'count', budget: null, ok: null },
      { measure: 'total blocking time meanwhile', value: round(blocking, 0), unit: 'ms', budget: null, ok: null },
      { measure: 'longest frame gap meanwhile', value: round(result.maxGap, 0), unit: 'ms', budget: null, ok: null },
    ],
    details: { spaces: SPACES, updates: UPDATES, loads: LOADS, firstRowsMs: firstRows.map((x) => round(x, 1)), wallMs: wall, longTaskTotalMs: round(longTotal, 0), rowsShownSyncing: updatedOnScreen },
  });
} finally {
  await browser.close();
  await stack.stop();
  // After the stack (services stopped, its database dropped): the template, the server.
  await dropTemplate();
}
