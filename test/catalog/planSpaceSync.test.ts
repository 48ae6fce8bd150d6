import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  desiredState,
  planSpaceSync,
  productIdFor,
  snapshotFromStripe,
  type Operation,
  type PriceRecord,
  type SpaceRecord,
  type StripeSnapshot,
} from '../../src/catalog/index.ts';
import { FakeStripe, execute } from './fakeStripe.ts';
import { SPACE_ID, makePrice, makeSpace } from './fixtures.ts';

const ctx = { spaceId: SPACE_ID, version: 1 };

function plan(space: SpaceRecord, prices: PriceRecord[], snapshot: StripeSnapshot | null): Operation[] {
  return planSpaceSync(desiredState(space, prices), snapshot, ctx);
}

/** Syncs a space into a fresh fake Stripe and returns everything needed to edit it afterwards. */
function synced(space: SpaceRecord, prices: PriceRecord[]) {
  const fake = new FakeStripe();
  const snapshot = execute(fake, null, plan(space, prices, null), ctx);
  assert.ok(snapshot);
  return { fake, snapshot, version: 1 };
}

/** Plans an edit, applies it, checks the plan converges (re-planning yields nothing) and returns it. */
function edit(setup: ReturnType<typeof synced>, space: SpaceRecord, prices: PriceRecord[]): Operation[] {
  const ops = plan(space, prices, setup.snapshot);
  const after = execute(setup.fake, setup.snapshot, ops, { ...ctx, version: ++setup.version });
  assert.ok(after);
  assert.deepEqual(plan(space, prices, after), [], 'the stored snapshot converges');
  const live = snapshotFromStripe(setup.fake.products.get(after.productId)!, setup.fake.priceList(), prices);
  assert.deepEqual(plan(space, prices, live), [], 'the live Stripe objects converge');
  setup.snapshot = after;
  return ops;
}

const kinds = (ops: Operation[]) => ops.map((op) => op.kind);

describe('planSpaceSync call counts', () => {
  const space = makeSpace();
  const hourly = makePrice({ pricing_type: 'hourly', unit_amount: 1000, is_default: true });
  const daily = makePrice({ pricing_type: 'daily', unit_amount: 6000 });
  const monthly = makePrice({ pricing_type: 'monthly', unit_amount: 90000, recurring_interval: 'month' });
  const prices = [hourly, daily, monthly];

  it('creates a space with k prices in k + 1 calls (lookup key on the default price)', () => {
    const ops = plan(space, prices, null);
    assert.deepEqual(kinds(ops), ['create_product', 'update_price', 'create_price', 'create_price']);
    const create = ops[0];
    assert.equal(create.kind, 'create_product');
    if (create.kind === 'create_product') {
      assert.equal(create.params.default_price_data?.unit_amount, 1000);
      assert.ok(!('lookup_key' in (create.params.default_price_data ?? {})));
      assert.equal(create.params.metadata.managed_by, 'spacesync');
      assert.equal(create.params.id, 'prod_ss_0f8fad5bd9cb469fa16570867728950e', 'the space\'s deterministic product id');
    }
    assert.deepEqual(ops[1], {
      kind: 'update_price',
      rowId: hourly.id,
      priceId: { ref: `price:${hourly.id}` },
      params: { lookup_key: hourly.lookup_key, transfer_lookup_key: true },
    });
    const fake = new FakeStripe();
    execute(fake, null, ops, ctx);
    assert.equal(fake.log.length, 4);
  });

  it('derives the product id from the space id only when it is a UUID', () => {
    assert.equal(productIdFor('0F8FAD5B-D9CB-469F-A165-70867728950E'), 'prod_ss_0f8fad5bd9cb469fa16570867728950e');
    assert.equal(productIdFor('space-1'), null);
    const other = planSpaceSync(desiredState(makeSpace({ id: 'space-1' }), []), null, { spaceId: 'space-1', version: 1 });
    assert.ok(other[0].kind === 'create_product' && !('id' in other[0].params), 'no id: Stripe generates one');
  });

  it('creates a space in k calls when the default price has no lookup key nor nickname', () => {
    const noKey = { ...hourly, lookup_key: null };
    assert.deepEqual(kinds(plan(space, [noKey, daily, monthly], null)), ['create_product', 'create_price', 'create_price']);
  });

  it('creates a space without prices in 1 call, an inactive new space in 0', () => {
    assert.deepEqual(kinds(plan(space, [], null)), ['create_product']);
    assert.deepEqual(plan({ ...space, active: false }, prices, null), []);
  });

  it('plans nothing when nothing Stripe holds changed', () => {
    const setup = synced(space, prices);
    assert.deepEqual(plan(space, prices, setup.snapshot), []);
    // fields Stripe does not hold
    const touched = prices.map((p) => ({ ...p, updated_at: new Date(), stripe_price_id: 'price_x' }));
    assert.deepEqual(plan({ ...space, version: 7, currency: 'usd', sync_status: 'synced' }, touched, setup.snapshot), []);
  });

  it('renames in 1 call', () => {
    const setup = synced(space, prices);
    const ops = edit(setup, { ...space, name: 'Salle Tour Eiffel' }, prices);
    assert.deepEqual(ops, [{ kind: 'update_product', productId: setup.snapshot.productId, params: { name: 'Salle Tour Eiffel' } }]);
  });

  it('changes capacity / location / own metadata in 1 call with a metadata patch', () => {
    const setup = synced(space, prices);
    const ops = edit(setup, { ...space, capacity: 12, location: null, metadata: { wing: 'B' } }, prices);
    assert.equal(ops.length, 1);
    assert.deepEqual(ops[0].kind === 'update_product' && ops[0].params.metadata, { capacity: '12', floor: '', location: '', wing: 'B' });
  });

  it('reprices the default price in 3 calls: create, move default, archive', () => {
    const setup = synced(space, prices);
    const oldId = setup.snapshot.prices[hourly.id].priceId;
    const ops = edit(setup, space, [{ ...hourly, unit_amount: 1200 }, daily, monthly]);
    assert.deepEqual(kinds(ops), ['create_price', 'update_product', 'archive_price']);
    const [create, move, archive] = ops;
    assert.ok(create.kind === 'create_price' && create.params.transfer_lookup_key === true && create.replacesPriceId === oldId);
    assert.ok(move.kind === 'update_product');
    assert.deepEqual(move.params, { default_price: { ref: `price:${hourly.id}` } });
    assert.deepEqual(archive, { kind: 'archive_price', rowId: hourly.id, priceId: oldId, params: { active: false } });
  });

  it('renames and reprices the default price in 3 calls (the rename rides on the default move)', () => {
    const setup = synced(space, prices);
    const ops = edit(setup, { ...space, name: 'Salle B' }, [{ ...hourly, unit_amount: 1500 }, daily, monthly]);
    assert.deepEqual(kinds(ops), ['create_price', 'update_product', 'archive_price']);
    assert.equal(ops[1].kind === 'update_product' && ops[1].params.name, 'Salle B');
  });

  it('reprices a non-default price in 2 calls', () => {
    const setup = synced(space, prices);
    assert.deepEqual(kinds(edit(setup, space, [hourly, { ...daily, unit_amount: 6500 }, monthly])), ['create_price', 'archive_price']);
    // interval change and currency change are reprices too
    assert.deepEqual(kinds(edit(setup, space, [hourly, { ...daily, unit_amount: 6500 }, { ...monthly, recurring_interval_count: 3 }])), ['create_price', 'archive_price']);
    assert.deepEqual(kinds(edit(setup, space, [hourly, { ...daily, unit_amount: 6500, currency: 'usd' }, { ...monthly, recurring_interval_count: 3 }])), ['create_price', 'archive_price']);
  });

  it('adds a price in 1 call and removes a non-default one in 1 call', () => {
    const setup = synced(space, prices);
    const weekly = makePrice({ pricing_type: 'weekly', unit_amount: 25000 });
    assert.deepEqual(kinds(edit(setup, space, [...prices, weekly])), ['create_price']);
    assert.deepEqual(kinds(edit(setup, space, [...prices, { ...weekly, deleted_at: new Date() }])), ['archive_price']);
  });

  it('removes the default price in 2 calls: move the default to the next price, then archive', () => {
    const setup = synced(space, prices);
    const ops = edit(setup, space, [{ ...hourly, deleted_at: new Date() }, daily, monthly]);
    assert.deepEqual(kinds(ops), ['update_product', 'archive_price']);
    assert.equal(ops[0].kind === 'update_product' && ops[0].params.default_price, setup.snapshot.prices[daily.id].priceId);
  });

  it('moves the default to another existing price in 1 call', () => {
    const setup = synced(space, prices);
    const ops = edit(setup, space, [{ ...hourly, is_default: false }, { ...daily, is_default: true }, monthly]);
    assert.deepEqual(kinds(ops), ['update_product']);
  });

  it('changes mutable price fields in place: nickname, currency options, tax behavior from unspecified', () => {
    const setup = synced(space, prices);
    const ops = edit(setup, space, [
      { ...hourly, nickname: 'Heure', currency_options: { usd: { unit_amount: 1100 } }, tax_behavior: 'inclusive' },
      daily,
      monthly,
    ]);
    assert.deepEqual(ops, [
      {
        kind: 'update_price',
        rowId: hourly.id,
        priceId: setup.snapshot.prices[hourly.id].priceId,
        params: { nickname: 'Heure', tax_behavior: 'inclusive', currency_options: { usd: { unit_amount: 1100 } } },
      },
    ]);
  });

  it('reprices when a tax behavior already specified changes', () => {
    const taxed = [{ ...hourly, tax_behavior: 'inclusive' as const }, daily, monthly];
    const setup = synced(space, taxed);
    assert.deepEqual(kinds(edit(setup, space, [{ ...hourly, tax_behavior: 'exclusive' }, daily, monthly])), [
      'create_price',
      'update_product',
      'archive_price',
    ]);
  });

  it('deactivates (or deletes) a space with k prices in 1 + k calls, default unset first', () => {
    for (const change of [{ active: false }, { deleted_at: new Date() }]) {
      const setup = synced(space, prices);
      const ops = edit(setup, { ...space, ...change }, prices);
      assert.deepEqual(kinds(ops), ['archive_product', 'archive_price', 'archive_price', 'archive_price']);
      assert.deepEqual(ops[0].kind === 'archive_product' && ops[0].params, { default_price: '', active: false });
    }
  });

  it('reactivates a space with k prices in k + 1 calls: unarchive prices, then product + default', () => {
    const setup = synced(space, prices);
    edit(setup, { ...space, active: false }, prices);
    const ops = edit(setup, space, prices);
    assert.deepEqual(kinds(ops), ['update_price', 'update_price', 'update_price', 'update_product']);
    assert.deepEqual(ops[3].kind === 'update_product' && ops[3].params, {
      active: true,
      default_price: setup.snapshot.prices[hourly.id].priceId,
    });
  });

  it('deactivating a price row archives it; reactivating unarchives it (1 call each)', () => {
    const setup = synced(space, prices);
    assert.deepEqual(kinds(edit(setup, space, [hourly, { ...daily, active: false }, monthly])), ['archive_price']);
    const ops = edit(setup, space, prices);
    assert.deepEqual(ops.map((op) => op.kind === 'update_price' && op.params), [{ active: true }]);
  });

  it('removes every price of an active space: unset the default, then archive', () => {
    const setup = synced(space, prices);
    const gone = prices.map((p) => ({ ...p, deleted_at: new Date() }));
    const ops = edit(setup, space, gone);
    assert.deepEqual(kinds(ops), ['update_product', 'archive_price', 'archive_price', 'archive_price']);
    assert.deepEqual(ops[0].kind === 'update_product' && ops[0].params, { default_price: '' });
  });

  it('archives orphan prices found on the product, after moving the default off them', () => {
    const setup = synced(space, prices);
    const productId = setup.snapshot.productId;
    // a price made in the dashboard, set as default
    const stray = setup.fake.call({ resource: 'prices', method: 'create', params: { product: productId, currency: 'eur', unit_amount: 1 } });
    setup.fake.call({ resource: 'products', method: 'update', id: productId, params: { default_price: stray.id } });
    const live = snapshotFromStripe(setup.fake.products.get(productId)!, setup.fake.priceList(), prices);
    assert.equal(live.orphanPrices?.[0].priceId, stray.id);
    const ops = plan(space, prices, live);
    assert.deepEqual(kinds(ops), ['update_product', 'archive_price']);
    const after = execute(setup.fake, live, ops, ctx);
    assert.deepEqual(plan(space, prices, after), []);
  });
});
