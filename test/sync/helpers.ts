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
import type { Pool } from '../../src/db/pool.ts';
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
  const client = await pool.connect();
  try {
    await client.query('begin');
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
    await client.query('commit');
    return { spaceId, priceIds };
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
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
  return requests.map((r) => `${r.method} ${r.path.replace(/\/(prod|price)_[A-Za-z0-9]+/, '/:id')}`);
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
 * Stripe (the emulator) holds exactly what the catalog says for this space: planning against the
 * live objects finds nothing to do, there is one managed product for the space, every live row's
 * stored price is active with its amount and lookup key, and no other price of the product is active.
 */
export async function assertInSync(env: { pool: Pool; emulatorUrl: string }, spaceId: string, state?: EmulatorState): Promise<void> {
  const { space, prices } = await loadRows(env.pool, spaceId);
  const s = state ?? (await emulatorState(env.emulatorUrl));
  const desired = desiredState(space, prices);
  const mine = s.products.filter((p) => p.metadata?.space_id === spaceId);
  if (!desired.product.active && mine.length === 0) return;
  assert.equal(mine.length, 1, `exactly one product for space ${spaceId} (got ${mine.map((p) => p.id).join(', ')})`);
  const product = mine[0];
  assert.equal(space.stripe_product_id, product.id, 'the stored product id is the product');
  const productPrices = s.prices.filter((p) => p.product === product.id);
  const live = snapshotFromStripe(product, productPrices, prices);
  assert.deepEqual(planSpaceSync(desired, live, { spaceId, version: Number(space.version) }), [], 'nothing left to do against the live objects');
  assert.equal(product.active, desired.product.active);
  assert.equal(product.name, desired.product.name);
  const activePrices = productPrices.filter((p) => p.active);
  if (!desired.product.active) {
    assert.equal(activePrices.length, 0, 'an archived product has no active price');
    return;
  }
  assert.equal(activePrices.length, desired.prices.length, 'one active price per live pricing');
  for (const d of desired.prices) {
    const row = prices.find((p) => p.id === d.rowId);
    const price = productPrices.find((p) => p.id === row?.stripe_price_id);
    assert.ok(price, `row ${d.rowId} has its stored Stripe price`);
    assert.equal(price.active, true);
    assert.equal(price.unit_amount, d.unit_amount);
    assert.equal(price.lookup_key, d.lookup_key);
    if (d.isDefault) assert.equal(product.default_price, price.id, 'the default row is the default price');
  }
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
