// Stripe calls per change, against the minimum Stripe's API allows, for every kind of change, over
// many spaces (the emulator's request log counts what was really sent).
//
// The minimum, honestly: products.create can carry the default price (default_price_data) but
// Stripe takes no lookup_key there, so a space with k prices whose default has a lookup key (ours
// always do) needs k + 1 calls; a price amount is immutable, so a reprice of the default is create +
// move the default + archive the old (3); a product can't be deleted once it has prices, so a
// deactivation archives the product and each price (1 + k).
import { startEmulator } from '../src/emulator/index.ts';
import { createStripeClient } from '../src/stripe/createStripeClient.ts';
import { createStripeGateway } from '../src/stripe/stripeGateway.ts';
import { syncSpace } from '../src/sync/syncSpace.ts';
import { startBenchDatabase } from './db.ts';
import { round, writeReport, type Row } from './lib.ts';

const SPACES = 60;
const db = await startBenchDatabase();
const emulator = await startEmulator({ port: 0 });
const stripe = createStripeClient({ apiUrl: emulator.url, maxNetworkRetries: 0 });
const gateway = createStripeGateway({ stripe, ratePerSecond: 100_000 });
const { pool } = db;

async function requestCount(): Promise<number> {
  return ((await (await fetch(`${emulator.url}/_emulator/requests?since=999999999`)).json()) as { next: number }).next;
}

const totals = new Map<string, { calls: number; minimum: number; n: number }>();
async function measure(change: string, minimum: number, spaceId: string, edit: () => Promise<unknown>): Promise<void> {
  await edit();
  const before = await requestCount();
  const outcome = await syncSpace({ pool, gateway }, { spaceId });
  if (outcome.status !== 'synced') throw new Error(`${change}: ${JSON.stringify(outcome)}`);
  const calls = (await requestCount()) - before;
  const t = totals.get(change) ?? { calls: 0, minimum: 0, n: 0 };
  t.calls += calls;
  t.minimum += minimum;
  t.n++;
  totals.set(change, t);
}

for (let i = 0; i < SPACES; i++) {
  const k = 1 + (i % 3);
  const { rows } = await pool.query(`insert into spaces (name, capacity) values ($1, 4) returning id`, [`Bench room ${i}`]);
  const id: string = rows[0].id;
  const types = ['hourly', 'daily', 'weekly'];
  await measure(`create with ${k} price(s)`, k + 1, id, async () => {
    for (let j = 0; j < k; j++) await pool.query(`insert into space_prices (space_id, pricing_type, unit_amount, currency, position) values ($1, $2, $3, 'eur', $4)`, [id, types[j], 1000 * (j + 1), j]);
  });
  await measure('rename', 1, id, () => pool.query(`update spaces set name = name || ' (renamed)' where id = $1`, [id]));
  await measure('no-op (content Stripe does not hold)', 0, id, () => pool.query(`update spaces set currency = 'usd' where id = $1`, [id]));
  await measure('reprice the default price', 3, id, () => pool.query(`update space_prices set unit_amount = unit_amount + 100 where space_id = $1 and position = 0`, [id]));
  if (k > 1) await measure('reprice a non-default price', 2, id, () => pool.query(`update space_prices set unit_amount = unit_amount + 100 where space_id = $1 and position = 1`, [id]));
  await measure('add a price', 1, id, () => pool.query(`insert into space_prices (space_id, pricing_type, unit_amount, currency, position) values ($1, 'monthly', 99000, 'eur', 9)`, [id]));
  await measure('remove a non-default price', 1, id, () => pool.query(`delete from space_prices where space_id = $1 and position = 9`, [id]));
  await measure(`deactivate (k=${k})`, 1 + k, id, () => pool.query(`update spaces set active = false where id = $1`, [id]));
  await measure(`reactivate (k=${k})`, k + 1, id, () => pool.query(`update spaces set active = true where id = $1`, [id]));
  await measure(`delete (k=${k})`, 1 + k, id, () => pool.query(`delete from spaces where id = $1`, [id]));
}

const rows: Row[] = [...totals.entries()].map(([change, t]) => ({
  change,
  spaces: t.n,
  'calls/change': round(t.calls / t.n, 2),
  'minimum/change': round(t.minimum / t.n, 2),
  ratio: t.minimum === 0 ? (t.calls === 0 ? 1 : Infinity) : round(t.calls / t.minimum, 2),
}));
const all = [...totals.values()].reduce((a, t) => ({ calls: a.calls + t.calls, minimum: a.minimum + t.minimum }), { calls: 0, minimum: 0 });
rows.push({ change: 'all changes', spaces: SPACES, 'calls/change': null, 'minimum/change': null, ratio: round(all.calls / all.minimum, 3) });
writeReport({
  name: 'sync-calls',
  description: `Stripe calls per change vs. the minimum Stripe's API allows (create with k prices = k + 1: default_price_data takes no lookup_key), over ${SPACES} spaces`,
  rows,
  details: { totalCalls: all.calls, totalMinimum: all.minimum },
});
await emulator.stop();
await db.stop();
