// Drift end to end, through the real engine (`startStack`: worker, API, emulator delivering signed
// webhooks): an edit made "in the Stripe dashboard" is detected from its webhook and handled by the
// policy — `enforce` puts Stripe back as the catalog says, `adopt` takes name, description and active
// into the catalog.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../helpers/stack.ts';
import { settle } from '../helpers/settle.ts';

async function syncedSpace(stack: Stack): Promise<{ spaceId: string; productId: string }> {
  const { rows: [row] } = await stack.pool.query(
    `with s as (insert into spaces (name, description) values ('Salle Voltaire', 'Calme') returning id)
     insert into space_prices (space_id, pricing_type, unit_amount, currency) select id, 'hourly', 3000, 'eur' from s returning space_id`,
  );
  await settle(stack, row.space_id);
  const { rows: [space] } = await stack.pool.query(`select stripe_product_id, sync_status from spaces where id = $1`, [row.space_id]);
  assert.equal(space.sync_status, 'synced');
  return { spaceId: row.space_id, productId: space.stripe_product_id };
}

async function dashboardEdit(stack: Stack, productId: string, fields: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${stack.emulatorUrl}/_emulator/dashboard/products/${productId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fields),
  });
  assert.equal(res.status, 200, await res.text());
}

async function driftLogged(stack: Stack, spaceId: string): Promise<number> {
  const { rows } = await stack.pool.query(`select count(*)::int as n from application_logs where space_id = $1 and event = 'drift_detected'`, [spaceId]);
  return rows[0].n;
}

test('enforce: a dashboard rename is detected as drift and undone in Stripe', async () => {
  const stack = await startStack({ DRIFT_POLICY: 'enforce' });
  try {
    const { spaceId, productId } = await syncedSpace(stack);
    await dashboardEdit(stack, productId, { name: 'Renamed in the dashboard', active: false });
    await settle(stack, spaceId);
    const product = await stack.stripe.products.retrieve(productId);
    assert.equal(product.name, 'Salle Voltaire', 'Stripe holds the catalog’s name again');
    assert.equal(product.active, true, 'and the catalog’s active flag');
    const { rows: [space] } = await stack.pool.query(`select name, active, sync_status, drift from spaces where id = $1`, [spaceId]);
    assert.deepEqual(space, { name: 'Salle Voltaire', active: true, sync_status: 'synced', drift: null });
    assert.ok((await driftLogged(stack, spaceId)) >= 1, 'the drift was logged with its difference');
  } finally {
    await stack.stop();
  }
});

test('adopt: a dashboard rename and description become the catalog’s', async () => {
  const stack = await startStack({ DRIFT_POLICY: 'adopt' });
  try {
    const { spaceId, productId } = await syncedSpace(stack);
    await dashboardEdit(stack, productId, { name: 'Voltaire (dashboard)', description: 'Written in Stripe' });
    await settle(stack, spaceId);
    const { rows: [space] } = await stack.pool.query(`select name, description, sync_status, drift from spaces where id = $1`, [spaceId]);
    assert.deepEqual(space, { name: 'Voltaire (dashboard)', description: 'Written in Stripe', sync_status: 'synced', drift: null });
    const product = await stack.stripe.products.retrieve(productId);
    assert.equal(product.name, 'Voltaire (dashboard)');
    assert.ok((await driftLogged(stack, spaceId)) >= 1, 'the drift was logged with its difference');
  } finally {
    await stack.stop();
  }
});
