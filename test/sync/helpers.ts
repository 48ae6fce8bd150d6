// Shared by the sync tests: a database, an emulator with the real SDK and a gateway, rows inserted
// the way an admin (or plain SQL) would, the emulator's request log and state, and the check that
// Stripe holds exactly what the catalog says.
import assert from 'node:assert/strict';
import { after } from 'node:test';
import type Stripe from 'stripe';
import {
  desiredState,
  planSpaceSync,
  snapshotFromStripe,
  type PriceRecord,
  type SpaceRecord,
} from '../../src/catalog/index.ts';
import { withTransaction, type Pool } from '../../src/db/pool.ts';
import { startEmulator, type EmulatorOptions } from '../../src/emulator/index.ts';
import { createStripeClient } from '../../src/stripe/createStripeClient.ts';
import { createStripeGateway, type StripeGateway } from '../../src/stripe/stripeGateway.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

export interface SyncEnv {
  db: TestDatabase;
  pool: Pool;
  emulatorUrl: string;
  stripe: Stripe;
  gateway: StripeGateway;
}

export async function syncEnv(options: { emulator?: EmulatorOptions; rate?: number; maxNetworkRetries?: number } = {}): Promise<SyncEnv> {
  const db = await createTestDatabase();
  const emulator = await startEmulator({ port: 0, ...options.emulator });
  after(() => emulator.stop());
  const stripe = createStripeClient({ apiUrl: emulator.url, maxNetworkRetries: options.maxNetworkRetries ?? 3, timeoutMs: 10_000 });
  const gateway = createStripeGateway({ stripe, ratePerSecond: options.rate ?? 1000, retry: { baseDelayMs: 20, maxDelayMs: 200, maxRetries: 20 } });
  return { db, pool: db.pool, emulatorUrl: emulator.url, stripe, gateway };
}

export interface PriceInput {
  pricing_type: string;
  unit_amount: number;
  currency?: string;
  recurring_interval?: string | null;
  is_default?: boolean;
  position?: number;
  nickname?: string | null;
}

export async function insertSpace(
  pool: Pool,
  space: { name: string; description?: string; capacity?: number; location?: string; kind?: string },
  prices: PriceInput[] = [],
): Promise<{ spaceId: string; priceIds: string[] }> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query(
      `insert into spaces (name, description, capacity, location, kind) values ($1, $2, $3, $4, coalesce($5, 'meeting_room')) returning id`,
      [space.name, space.description ?? null, space.capacity ?? null, space.location ?? null, space.kind ?? null],
    );
    const spaceId: string = rows[0].id;
    const priceIds: string[] = [];
    for (const [i, p] of prices.entries()) {
      const r = await client.query(
        `insert into space_prices (space_id, pricing_type, unit_amount, currency, recurring_interval, is_default, position, nickname)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
        [spaceId, p.pricing_type, p.unit_amount, p.currency ?? 'eur', p.recurring_interval ?? null, p.is_default ?? false, p.position ?? i, p.nickname ?? null],
      );
      priceIds.push(r.rows[0].id);
    }
    return { spaceId, priceIds };
  });
}

export const THREE_PRICES: PriceInput[] = [
  { pricing_type: 'hourly', unit_amount: 2500, is_default: true },
  { pricing_type: 'daily', unit_amount: 15000 },
  { pricing_type: 'monthly', unit_amount: 250000, recurring_interval: 'month' },
];

export interface LoggedRequest {
  index: number;
  time: string;
  method: string;
  path: string;
  params: Record<string, unknown>;
  idempotencyKey: string | null;
  status: number | null;
  fault?: string;
  replayed?: boolean;
}

export async function requestsSince(emulatorUrl: string, since: number): Promise<LoggedRequest[]> {
  const res = await fetch(`${emulatorUrl}/_emulator/requests?since=${since}`);
  return ((await res.json()) as { requests: LoggedRequest[] }).requests;
}

export async function nextRequestIndex(emulatorUrl: string): Promise<number> {
  const res = await fetch(`${emulatorUrl}/_emulator/requests?since=999999999`);
  return ((await res.json()) as { next: number }).next;
}

/** `POST /v1/prices/:id`-style endpoints of the requests, ids replaced. */
export function endpoints(requests: LoggedRequest[]): string[] {
  return requests.map((r) => `${r.method} ${r.path.replace(/\/(prod|price)_[A-Za-z0-9_]+/, '/:id')}`);
}

export interface EmulatorState {
  products: Stripe.Product[];
  prices: Stripe.Price[];
}

export async function emulatorState(emulatorUrl: string): Promise<EmulatorState> {
  const res = await fetch(`${emulatorUrl}/_emulator/state`);
  return (await res.json()) as EmulatorState;
}

export async function setFaults(emulatorUrl: string, body: unknown): Promise<void> {
  const res = await fetch(`${emulatorUrl}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 200, await res.text());
}

export async function dashboard(emulatorUrl: string, path: string, body?: unknown, method = 'POST'): Promise<any> {
  const res = await fetch(`${emulatorUrl}/_emulator/dashboard/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

export async function loadRows(pool: Pool, spaceId: string): Promise<{ space: SpaceRecord; prices: PriceRecord[] }> {
  const space = (await pool.query('select * from spaces where id = $1', [spaceId])).rows[0] as SpaceRecord;
  const prices = (await pool.query('select * from space_prices where space_id = $1', [spaceId])).rows as PriceRecord[];
  return { space, prices };
}

/**
 * Stripe (the emulator) holds exactly what the catalog says for this space, judged two ways: field by
 * field against the database rows themselves (not through src/catalog, so a planner bug cannot hide
 * itself), and by planning against the live objects (nothing left to do). One managed product for the
 * space, its stored id; every live row's stored price active with the row's content; every other
 * price of the product (archived rows, replaced prices) inactive.
 */
export async function assertInSync(env: { pool: Pool; emulatorUrl: string }, spaceId: string, state?: EmulatorState): Promise<void> {
  const { space, prices } = await loadRows(env.pool, spaceId);
  const s = state ?? (await emulatorState(env.emulatorUrl));
  const spaceLive = space.active && space.deleted_at === null;
  const mine = s.products.filter((p) => p.metadata?.space_id === spaceId);
  if (!spaceLive && mine.length === 0) return;
  assert.equal(mine.length, 1, `exactly one product for space ${spaceId} (got ${mine.map((p) => p.id).join(', ')})`);
  const product = mine[0];
  assert.equal(space.stripe_product_id, product.id, 'the stored product id is the product');
  const productPrices = s.prices.filter((p) => p.product === product.id);

  // 1. Directly against the rows.
  assert.equal(product.name, space.name, 'product name');
  assert.equal(product.description ?? null, space.description && space.description.trim() !== '' ? space.description : null, 'product description');
  assert.deepEqual(product.images, space.images ?? [], 'product images');
  assert.equal(product.active, spaceLive, 'product active');
  const meta = product.metadata;
  assert.equal(meta.space_id, space.id, 'metadata.space_id');
  assert.equal(meta.managed_by, 'spacesync', 'metadata.managed_by');
  assert.equal(meta.kind, space.kind, 'metadata.kind');
  assert.equal(meta.capacity, space.capacity === null ? undefined : String(space.capacity), 'metadata.capacity');
  assert.equal(meta.location, space.location ? space.location : undefined, 'metadata.location');
  const liveRows = prices
    .filter((r) => spaceLive && r.active && r.deleted_at === null)
    .sort((a, b) => a.position - b.position || new Date(a.created_at).getTime() - new Date(b.created_at).getTime() || (a.id < b.id ? -1 : 1));
  const defaultRow = liveRows.find((r) => r.is_default) ?? liveRows[0];
  assert.equal(product.default_price ?? null, defaultRow?.stripe_price_id ?? null, 'the default row is the default price (none when archived)');
  const extraCurrencies = (options: Record<string, { unit_amount?: number | null }> | null | undefined, own: string) =>
    Object.fromEntries(Object.entries(options ?? {}).filter(([c]) => c !== own).map(([c, o]) => [c, o.unit_amount ?? null] as const).sort(([a], [b]) => (a < b ? -1 : 1)));
  for (const row of prices) {
    const price = row.stripe_price_id ? productPrices.find((p) => p.id === row.stripe_price_id) : undefined;
    if (!liveRows.includes(row)) {
      if (price) assert.equal(price.active, false, `the price of archived row ${row.id} is inactive`);
      continue;
    }
    assert.ok(price, `live row ${row.id} has its stored Stripe price on the product`);
    const what = `price of row ${row.id} (${row.pricing_type})`;
    assert.equal(price.active, true, `${what}: active`);
    assert.equal(price.unit_amount, row.unit_amount, `${what}: unit_amount`);
    assert.equal(price.currency, row.currency, `${what}: currency`);
    assert.deepEqual(
      price.recurring ? { interval: price.recurring.interval, interval_count: price.recurring.interval_count } : null,
      row.recurring_interval ? { interval: row.recurring_interval, interval_count: row.recurring_interval_count ?? 1 } : null,
      `${what}: recurring`,
    );
    assert.equal(price.tax_behavior, row.tax_behavior ?? 'unspecified', `${what}: tax_behavior`);
    assert.equal(price.lookup_key, row.lookup_key ? row.lookup_key : null, `${what}: lookup_key`);
    assert.equal(price.nickname, row.nickname ? row.nickname : null, `${what}: nickname`);
    assert.deepEqual(extraCurrencies(price.currency_options, price.currency), extraCurrencies(row.currency_options, row.currency), `${what}: currency_options`);
    assert.equal(price.metadata.space_id, space.id, `${what}: metadata.space_id`);
    assert.equal(price.metadata.space_price_id, row.id, `${what}: metadata.space_price_id`);
    assert.equal(price.metadata.managed_by, 'spacesync', `${what}: metadata.managed_by`);
  }
  const wanted = new Set(liveRows.map((r) => r.stripe_price_id));
  for (const p of productPrices) if (!wanted.has(p.id)) assert.equal(p.active, false, `price ${p.id} stands for no live row: inactive`);

  // 2. Our planner agrees: nothing left to do against the live objects.
  const desired = desiredState(space, prices);
  const live = snapshotFromStripe(product, productPrices, prices);
  assert.deepEqual(planSpaceSync(desired, live, { spaceId, version: Number(space.version) }), [], 'nothing left to do against the live objects');
}

/** Waits until every space is synced at its current version (or fails after timeoutMs). */
export async function waitAllSynced(pool: Pool, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query(
      `select count(*)::int as n from spaces where sync_status <> 'synced' or synced_version is distinct from version`,
    );
    const jobs = await pool.query(`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'sync_space'`);
    if (rows[0].n === 0 && jobs.rows[0].n === 0) return;
    if (Date.now() > deadline) {
      const detail = await pool.query(`select id, name, version, synced_version, sync_status, last_error from spaces where sync_status <> 'synced' or synced_version is distinct from version limit 5`);
      const jobRows = await pool.query(`select id, payload, attempts, last_error, locked_at, run_at from graphile_worker.jobs limit 5`);
      throw new Error(`not synced after ${timeoutMs} ms: ${JSON.stringify(detail.rows)} jobs: ${JSON.stringify(jobRows.rows)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
