// The crash campaign, shared by the test suite (small, for CI) and `npm run bench` (longer): a
// catalog of spaces is synced by a real `spacesync worker` process that is SIGKILLed at random moments
// of a catalog sync and of a stream of edits (renames, reprices, deletions), under Stripe faults, and
// restarted each time. Then the emulator's state is checked against the database: one managed product
// per live space, one active price per live price row, deleted spaces archived, nothing `syncing`, no
// job left, and the Stripe calls counted against the minimum.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Pool } from '../../src/db/pool.ts';
import { withTransaction } from '../../src/db/pool.ts';

export interface CampaignOptions {
  pool: Pool;
  databaseUrl: string;
  emulatorUrl: string;
  spaces: number;
  kills: number;
  /** Edits made while the kills go on. */
  edits: number;
  /** Emulator fault rules during the campaign (cleared before the final convergence). */
  faults?: unknown[];
  seed?: number;
  /** Longest wait for convergence after the last kill (ms). */
  convergeTimeoutMs?: number;
  concurrency?: number;
  log?: (line: string) => void;
}

export interface CampaignResult {
  kills: number;
  spaces: number;
  liveSpaces: number;
  edits: number;
  /** Problems found; empty when the campaign converged to the catalog. */
  violations: string[];
  /** Stripe requests made (all, through the emulator). */
  requests: number;
  /** Create requests Stripe applied (not replayed), and the objects Stripe holds. */
  createsApplied: number;
  objects: number;
  /** The fewest writes that reach this state: the creates, and one archive per archived object. */
  minimumWrites: number;
  writes: number;
  convergeMs: number;
  totalMs: number;
}

const root = join(import.meta.dirname, '../..');

function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

function spawnWorker(o: CampaignOptions): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli.ts'), 'worker', '--concurrency', String(o.concurrency ?? 4)], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: o.databaseUrl, STRIPE_API_URL: o.emulatorUrl, STRIPE_SECRET_KEY: '', LOG_LEVEL: 'silent', STRIPE_RATE_LIMIT: '1000' },
    stdio: 'ignore',
  });
}

const kill = (child: ChildProcess, signal: NodeJS.Signals) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });

async function json(url: string, init?: RequestInit): Promise<any> {
  const res = await fetch(url, init);
  return res.json();
}

export async function runCrashCampaign(o: CampaignOptions): Promise<CampaignResult> {
  const random = prng(o.seed ?? 1);
  const log = o.log ?? (() => {});
  const started = Date.now();
  const { pool } = o;
  await fetch(`${o.emulatorUrl}/_emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ seed: o.seed ?? 1, rules: o.faults ?? [] }),
  });

  // The catalog: spaces with three prices each, inserted with no worker running, and a catalog run.
  const ids: string[] = [];
  for (let i = 0; i < o.spaces; i++) {
    ids.push(
      await withTransaction(pool, async (c) => {
        const { rows } = await c.query(`insert into spaces (name, capacity) values ($1, $2) returning id`, [`Campaign ${i}`, 1 + (i % 30)]);
        await c.query(
          `insert into space_prices (space_id, pricing_type, unit_amount, currency, recurring_interval, position)
           values ($1, 'hourly', $2, 'eur', null, 0), ($1, 'daily', $3, 'eur', null, 1), ($1, 'monthly', $4, 'eur', 'month', 2)`,
          [rows[0].id, 1000 + i, 8000 + i, 150000 + i],
        );
        return rows[0].id as string;
      }),
    );
  }
  const run = (await pool.query(`insert into catalog_runs (dry_run) values (false) returning id`)).rows[0].id;
  await pool.query(`select graphile_worker.add_job('sync_catalog', json_build_object('run_id', $1::text, 'dry_run', false), job_key => 'sync_catalog:' || $1)`, [run]);

  // Kills at random moments, edits meanwhile.
  let edits = 0;
  const deleted = new Set<string>();
  const editor = (async () => {
    for (let i = 0; i < o.edits; i++) {
      await new Promise((r) => setTimeout(r, 20 + random() * 80));
      const id = ids[Math.floor(random() * ids.length)];
      if (deleted.has(id)) continue;
      const what = random();
      if (what < 0.5) await pool.query(`update spaces set name = $2 where id = $1`, [id, `Campaign edit ${i}`]);
      else if (what < 0.85) await pool.query(`update space_prices set unit_amount = unit_amount + 7 where space_id = $1 and pricing_type = 'daily'`, [id]);
      else {
        await pool.query(`delete from spaces where id = $1`, [id]);
        deleted.add(id);
      }
      edits++;
    }
  })();
  for (let k = 0; k < o.kills; k++) {
    const before = (await pool.query(`select coalesce(max(id), 0) as id from application_logs`)).rows[0].id;
    const worker = spawnWorker(o);
    // Killed at a random moment of its work: once it has done something, after 0 to 1.5 s more.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && worker.exitCode === null) {
      const { rows } = await pool.query(`select count(*)::int as n from application_logs where id > $1`, [before]);
      if (rows[0].n > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, random() * 1_500));
    await kill(worker, 'SIGKILL');
    log(`kill ${k + 1}/${o.kills}`);
  }
  await editor;

  // A final worker, no faults: everything must converge by itself.
  await fetch(`${o.emulatorUrl}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clear: true }) });
  const convergeStarted = Date.now();
  const last = spawnWorker(o);
  const violations: string[] = [];
  const deadline = Date.now() + (o.convergeTimeoutMs ?? 60_000);
  for (;;) {
    const { rows } = await pool.query(
      `select (select count(*)::int from spaces where sync_status <> 'synced' or synced_version is distinct from version) as unsynced,
              (select count(*)::int from graphile_worker._private_jobs) as jobs,
              (select count(*)::int from catalog_runs where status in ('queued', 'planning', 'applying')) as runs`,
    );
    if (rows[0].unsynced === 0 && rows[0].jobs === 0 && rows[0].runs === 0) break;
    if (Date.now() > deadline) {
      violations.push(`not converged ${o.convergeTimeoutMs ?? 60_000} ms after the last kill: ${JSON.stringify(rows[0])}`);
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const convergeMs = Date.now() - convergeStarted;
  await kill(last, 'SIGTERM');

  // The emulator's state against the database.
  const state = (await json(`${o.emulatorUrl}/_emulator/state`)) as { products: any[]; prices: any[] };
  const spaces = (await pool.query(`select id, active, deleted_at, stripe_product_id, sync_status from spaces`)).rows;
  const priceRows = (await pool.query(`select id, space_id, active, deleted_at, stripe_price_id, unit_amount from space_prices`)).rows;
  const productsBySpace = new Map<string, any[]>();
  for (const p of state.products) if (p.metadata?.managed_by === 'spacesync') productsBySpace.set(p.metadata.space_id, [...(productsBySpace.get(p.metadata.space_id) ?? []), p]);
  const activeByRow = new Map<string, any[]>();
  for (const p of state.prices) if (p.active) activeByRow.set(p.metadata.space_price_id, [...(activeByRow.get(p.metadata.space_price_id) ?? []), p]);
  let liveSpaces = 0;
  for (const s of spaces) {
    const live = s.active && s.deleted_at === null;
    const products = productsBySpace.get(s.id) ?? [];
    if (s.sync_status === 'syncing') violations.push(`space ${s.id} is still syncing`);
    if (live) {
      liveSpaces++;
      if (products.length !== 1) violations.push(`live space ${s.id} has ${products.length} products`);
      else if (products[0].id !== s.stripe_product_id || !products[0].active) violations.push(`live space ${s.id}: its product is not the stored one, or inactive`);
    } else if (products.some((p) => p.active)) violations.push(`deleted space ${s.id} has an active product`);
  }
  const liveSpace = new Map(spaces.map((s) => [s.id, s.active && s.deleted_at === null]));
  for (const r of priceRows) {
    const active = activeByRow.get(r.id) ?? [];
    const shouldLive = liveSpace.get(r.space_id) && r.active && r.deleted_at === null;
    if (shouldLive && (active.length !== 1 || active[0].id !== r.stripe_price_id || active[0].unit_amount !== Number(r.unit_amount))) {
      violations.push(`live price row ${r.id}: ${active.length} active prices (${active.map((p) => `${p.id}:${p.unit_amount}`).join(', ')}), stored ${r.stripe_price_id}`);
    }
    if (!shouldLive && active.length > 0) violations.push(`archived price row ${r.id} has ${active.length} active prices`);
  }

  // No duplicate ever: one product per space (archived ones included), one price per row and amount.
  const everBySpace = new Map<string, number>();
  for (const p of state.products) everBySpace.set(p.metadata?.space_id, (everBySpace.get(p.metadata?.space_id) ?? 0) + 1);
  for (const [space, n] of everBySpace) if (n > 1) violations.push(`space ${space} has ${n} products (a duplicate was created)`);
  const byRowAmount = new Map<string, number>();
  for (const p of state.prices) {
    const key = `${p.metadata?.space_price_id}|${p.unit_amount}|${p.recurring?.interval ?? 'once'}`;
    byRowAmount.set(key, (byRowAmount.get(key) ?? 0) + 1);
  }
  for (const [key, n] of byRowAmount) if (n > 1) violations.push(`price row|amount ${key} exists ${n} times (a duplicate was created)`);

  // Calls against the minimum: every object created once, every archived object archived once, and
  // a product update per product (its default price) at most.
  const requests = ((await json(`${o.emulatorUrl}/_emulator/requests`)) as { requests: Array<{ method: string; path: string; status: number | null; replayed?: boolean }> }).requests;
  const writes = requests.filter((r) => r.method !== 'GET' && r.status === 200 && !r.replayed);
  const createsApplied = writes.filter((r) => r.path === '/v1/products' || r.path === '/v1/prices').length;
  const objects = state.products.length + state.prices.length;
  const archived = state.products.filter((p) => !p.active).length + state.prices.filter((p) => !p.active).length;
  const minimumWrites = createsApplied + archived;
  return {
    kills: o.kills,
    spaces: o.spaces,
    liveSpaces,
    edits,
    violations,
    requests: requests.length,
    createsApplied,
    objects,
    minimumWrites,
    writes: writes.length,
    convergeMs,
    totalMs: Date.now() - started,
  };
}
