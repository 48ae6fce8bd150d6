// Our own writes come back as webhooks: with the real engine (worker, API, emulator delivering signed
// events to the API, `startStack`), a space's whole life — create with 2 prices, rename, reprice the
// default, deactivate, reactivate — must leave every stored event `ignored` or `processed` without
// drift, the space `synced`. The worker processes events while syncs are in flight, so intermediate
// states of our own multi-call syncs reach the event handlers too.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from '../helpers/stack.ts';
import { settle as settleStack } from '../helpers/settle.ts';

const stack = await startStack();
after(() => stack.stop());
const { pool } = stack;
const settle = (spaceId: string) => settleStack(stack, spaceId);

/** No drift anywhere, every event handled, the space synced at its version. */
async function assertEchoesOnly(spaceId: string, step: string): Promise<void> {
  const { rows: events } = await pool.query(`select id, type, object_id, status, result, error from stripe_events order by received_at`);
  assert.ok(events.length > 0, `${step}: events were delivered`);
  for (const e of events) {
    assert.ok(e.status === 'ignored' || e.status === 'processed', `${step}: ${e.type} ${e.id} is ${e.status} (${e.error})`);
    assert.ok(!e.result?.action && !e.result?.drift, `${step}: ${e.type} ${e.id} ${e.object_id} marked drift: ${JSON.stringify(e.result)}`);
  }
  const { rows: [space] } = await pool.query(`select sync_status, drift, version, synced_version, last_error from spaces where id = $1`, [spaceId]);
  assert.equal(space.drift, null, `${step}: no drift recorded`);
  assert.equal(space.sync_status, 'synced', `${step}: ${JSON.stringify(space)}`);
  assert.equal(space.synced_version, space.version);
  const { rows: drifted } = await pool.query(`select count(*)::int as n from spaces where sync_status = 'drift' or drift is not null`);
  assert.equal(drifted[0].n, 0, `${step}: no space in drift`);
  const { rows: logs } = await pool.query(`select event, message from application_logs where event like '%drift%'`);
  assert.deepEqual(logs, [], `${step}: no drift logged`);
}

test('a space’s whole life through the real engine: every webhook is our echo, never drift', async (t) => {
  // One statement (one transaction): the worker sees the space with both prices at once.
  const { rows: prices } = await pool.query(
    `with s as (insert into spaces (name, description, capacity, location) values ('Echo room', 'Quiet', 6, 'Lyon 2e') returning id)
     insert into space_prices (space_id, pricing_type, unit_amount, currency, is_default, position)
     select s.id, v.pricing_type, v.unit_amount, 'eur', v.is_default, v.position
       from s, (values ('hourly', 2500, true, 0), ('daily', 12000, false, 1)) as v(pricing_type, unit_amount, is_default, position)
     returning space_id`,
  );
  const spaceId: string = prices[0].space_id;
  assert.equal(prices.length, 2);

  await t.test('create with 2 prices', async () => {
    await settle(spaceId);
    await assertEchoesOnly(spaceId, 'create');
    const { rows } = await pool.query(`select count(*)::int as n from stripe_events where type in ('product.created', 'price.created')`);
    assert.ok(rows[0].n >= 3, 'product.created and both price.created were delivered');
  });

  await t.test('rename', async () => {
    await pool.query(`update spaces set name = 'Echo room (renamed)' where id = $1`, [spaceId]);
    await settle(spaceId);
    await assertEchoesOnly(spaceId, 'rename');
  });

  await t.test('reprice the default', async () => {
    await pool.query(`update space_prices set unit_amount = 2900 where space_id = $1 and is_default`, [spaceId]);
    await settle(spaceId);
    await assertEchoesOnly(spaceId, 'reprice');
  });

  await t.test('deactivate', async () => {
    await pool.query(`update spaces set active = false where id = $1`, [spaceId]);
    await settle(spaceId);
    await assertEchoesOnly(spaceId, 'deactivate');
  });

  await t.test('reactivate', async () => {
    await pool.query(`update spaces set active = true where id = $1`, [spaceId]);
    await settle(spaceId);
    await assertEchoesOnly(spaceId, 'reactivate');
  });
});
