// A price row's defaults: its space's currency when it has none (SQL and API), and `is_default` on
// the row that is the product's default price in Stripe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syncSpace } from '../../src/sync/syncSpace.ts';
import { adminToken, json, testApp } from '../api/helpers.ts';
import { emulatorState, syncEnv } from '../sync/helpers.ts';

const env = await syncEnv();
const { pool } = env;

async function flags(spaceId: string): Promise<Array<{ pricing_type: string; is_default: boolean }>> {
  const { rows } = await pool.query(`select pricing_type, is_default from space_prices where space_id = $1 order by position, created_at, id`, [spaceId]);
  return rows;
}

test('a price inserted from SQL without a currency takes its space\'s', async () => {
  const { rows } = await pool.query(`insert into spaces (name, currency) values ('Salle Lyon', 'chf') returning id`);
  await pool.query(`insert into space_prices (space_id, pricing_type, unit_amount) values ($1, 'hourly', 1200)`, [rows[0].id]);
  const price = (await pool.query(`select currency, lookup_key from space_prices where space_id = $1`, [rows[0].id])).rows[0];
  assert.equal(price.currency, 'chf');
  assert.match(price.lookup_key, /_hourly_chf_/);
});

test('the API accepts a price without a currency and gives it the space\'s', async () => {
  const app = testApp(pool);
  const token = await adminToken();
  const res = await app.request('/api/spaces', json('POST', { name: 'Desk Genève', currency: 'chf', prices: [{ pricing_type: 'daily', unit_amount: 4000 }] }, token));
  assert.equal(res.status, 201, await res.clone().text());
  const body = (await res.json()) as { id?: string; space?: { id: string } };
  const id = body.id ?? body.space!.id;
  const { rows } = await pool.query(`select currency from space_prices where space_id = $1`, [id]);
  assert.deepEqual(rows, [{ currency: 'chf' }]);
});

test('is_default is the row Stripe has as the default price, and follows it', async () => {
  const { rows } = await pool.query(`insert into spaces (name) values ('Bureau Nantes') returning id`);
  const spaceId: string = rows[0].id;
  for (const [i, [type, amount]] of ([['hourly', 1000], ['daily', 6000], ['weekly', 25000]] as const).entries()) {
    await pool.query(`insert into space_prices (space_id, pricing_type, unit_amount, currency, position) values ($1, $2, $3, 'eur', $4)`, [spaceId, type, amount, i]);
  }
  assert.deepEqual((await flags(spaceId)).map((r) => r.is_default), [true, false, false], 'the first row is the default');
  await syncSpace({ pool, gateway: env.gateway }, { spaceId });
  const defaultRow = async () => (await pool.query(`select stripe_price_id from space_prices where space_id = $1 and is_default`, [spaceId])).rows;
  let product = (await emulatorState(env.emulatorUrl)).products.find((p) => p.metadata.space_id === spaceId)!;
  assert.deepEqual(await defaultRow(), [{ stripe_price_id: product.default_price }], 'the flagged row is Stripe\'s default price');

  // Another row made the default: the former one is unflagged.
  await pool.query(`update space_prices set is_default = true where space_id = $1 and pricing_type = 'weekly'`, [spaceId]);
  assert.deepEqual((await flags(spaceId)).map((r) => r.is_default), [false, false, true]);
  // The default row archived: the first live row takes over.
  await pool.query(`delete from space_prices where space_id = $1 and pricing_type = 'weekly'`, [spaceId]);
  assert.deepEqual((await flags(spaceId)).map((r) => `${r.pricing_type}:${r.is_default}`), ['hourly:true', 'daily:false', 'weekly:false']);
  await syncSpace({ pool, gateway: env.gateway }, { spaceId });
  product = (await emulatorState(env.emulatorUrl)).products.find((p) => p.metadata.space_id === spaceId)!;
  assert.deepEqual(await defaultRow(), [{ stripe_price_id: product.default_price }]);
});
