import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  desiredState,
  formatPlan,
  planCatalog,
  planSpaceSync,
  type CatalogSpace,
  type PriceRecord,
  type SpaceRecord,
  type StripeSnapshot,
} from '../../src/catalog/index.ts';
import { FakeStripe, execute } from './fakeStripe.ts';
import { makePrice, makeSpace } from './fixtures.ts';

function uuid(n: number, tag = 0): string {
  return `${String(tag).padStart(8, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

function spaceWithPrices(n: number, name = `Space ${n}`): { space: SpaceRecord; prices: PriceRecord[] } {
  const id = uuid(n, 1);
  const space = makeSpace({ id, name, metadata: {} });
  const prices = [
    makePrice({ id: uuid(n, 2), space_id: id, pricing_type: 'hourly', unit_amount: 1000, is_default: true, position: 0, lookup_key: `lk_${n}_h` }),
    makePrice({ id: uuid(n, 3), space_id: id, pricing_type: 'daily', unit_amount: 6000, position: 1, lookup_key: `lk_${n}_d` }),
    makePrice({ id: uuid(n, 4), space_id: id, pricing_type: 'monthly', unit_amount: 90000, recurring_interval: 'month', position: 2, lookup_key: `lk_${n}_m` }),
  ];
  return { space, prices };
}

/** Syncs spaces into the fake like the worker would; returns the DB view after the sync. */
function syncAll(fake: FakeStripe, items: Array<{ space: SpaceRecord; prices: PriceRecord[] }>): CatalogSpace[] {
  return items.map(({ space, prices }) => {
    const ctx = { spaceId: space.id, version: space.version };
    const snap = execute(fake, null, planSpaceSync(desiredState(space, prices), null, ctx), ctx);
    return { space: { ...space, stripe_product_id: snap?.productId ?? null, stripe_snapshot: snap }, prices };
  });
}

const stripeOf = (fake: FakeStripe) => ({ products: fake.productList(), prices: fake.priceList() });

describe('planCatalog', () => {
  it('finds nothing to do once everything is synced', () => {
    const fake = new FakeStripe();
    const spaces = syncAll(fake, [spaceWithPrices(1), spaceWithPrices(2)]);
    const plan = planCatalog({ spaces, ...stripeOf(fake) });
    assert.equal(plan.calls, 0);
    assert.deepEqual(plan.totals, { create: 0, recreate: 0, update: 0, reprice: 0, archive_orphan: 0, adopt: 0, unchanged: 2 });
    assert.equal(formatPlan(plan), 'No changes: Stripe matches the catalog.\nPlan: 0 to create, 0 to update, 0 to reprice, 0 to adopt, 0 to archive, 2 unchanged; 0 Stripe calls.');
  });

  it('classifies creates, updates, reprices, drift, adoptions and orphans, and applying it converges', () => {
    const fake = new FakeStripe();
    const synced = syncAll(fake, [1, 2, 3, 4, 5, 6].map((n) => spaceWithPrices(n)));
    const [s1, s2, s3, s4, s5, s6] = synced;
    // 1: renamed in the catalog; 2: renamed in the Stripe dashboard (drift); 3: hourly repriced;
    // 4: lost its stripe ids (adopt); 5: deleted; 6: removed from the database entirely (orphan).
    s1.space = { ...s1.space, name: 'Space 1 bis' };
    fake.call({ resource: 'products', method: 'update', id: s2.space.stripe_product_id!, params: { name: 'Edited in dashboard' } });
    s3.prices = [{ ...s3.prices[0], unit_amount: 1200 }, ...s3.prices.slice(1)];
    const s4Product = s4.space.stripe_product_id;
    s4.space = { ...s4.space, stripe_product_id: null, stripe_snapshot: null };
    s5.space = { ...s5.space, deleted_at: new Date() };
    const fresh = spaceWithPrices(7, 'Brand new');
    const spaces: CatalogSpace[] = [s1, s2, s3, s4, s5, fresh];

    const plan = planCatalog({ spaces, ...stripeOf(fake) });
    const byName = new Map(plan.entries.map((e) => [e.name, e]));
    assert.equal(byName.get('Space 1 bis')?.kind, 'update');
    assert.deepEqual(byName.get('Space 1 bis')?.changes, [{ field: 'name', from: 'Space 1', to: 'Space 1 bis' }]);
    assert.deepEqual(byName.get('Space 2')?.changes, [{ field: 'name', from: 'Edited in dashboard', to: 'Space 2' }]);
    assert.equal(byName.get('Space 3')?.kind, 'reprice');
    assert.deepEqual(byName.get('Space 3')?.operations.map((o) => o.kind), ['create_price', 'update_product', 'archive_price']);
    assert.equal(byName.get('Space 4')?.kind, 'adopt');
    assert.equal(byName.get('Space 4')?.productId, s4Product);
    assert.deepEqual(byName.get('Space 4')?.operations, []);
    assert.equal(byName.get('Space 5')?.kind, 'archive_orphan');
    assert.equal(byName.get('Space 5')?.operations.length, 4);
    assert.equal(byName.get('Space 6')?.kind, 'archive_orphan');
    assert.equal(byName.get('Space 6')?.spaceId, s6.space.id);
    assert.equal(byName.get('Brand new')?.kind, 'create');
    assert.deepEqual(plan.totals, { create: 1, recreate: 0, update: 2, reprice: 1, archive_orphan: 2, adopt: 1, unchanged: 0 });
    assert.equal(plan.calls, 1 + 1 + 3 + 0 + 4 + 4 + 4);

    const text = formatPlan(plan);
    assert.match(text, /^~ update "Space 1 bis" \(prod_\d+\)\n {4}~ name: "Space 1" → "Space 1 bis"$/m);
    assert.match(text, /^± reprice "Space 3" \(prod_\d+\)\n {4}± price hourly: 1000 eur → 1200 eur$/m);
    assert.match(text, /^- archive orphan "Space 6" \(prod_\d+\)\n {4}~ active: true → false$/m);
    assert.match(text, /^= adopt "Space 4" \(prod_\d+\)$/m);
    assert.match(text, /^\+ create "Brand new" \(space [0-9a-f-]+\)\n {4}\+ product: "Brand new"\n {4}\+ price hourly: 1000 eur \(default\)$/m);
    assert.match(text, /Plan: 1 to create, 2 to update, 1 to reprice, 1 to adopt, 2 to archive, 0 unchanged; 17 Stripe calls\.$/);

    // apply every entry, then plan again: nothing left
    for (const entry of plan.entries) {
      const ctx = { spaceId: entry.spaceId ?? 'orphan', version: entry.version ?? 0 };
      const after = execute(fake, entry.snapshot, entry.operations, ctx);
      const row = spaces.find((s) => s.space.id === entry.spaceId && entry.kind !== 'archive_orphan');
      if (row) row.space = { ...row.space, stripe_product_id: after?.productId ?? null, stripe_snapshot: after as StripeSnapshot | null };
    }
    const again = planCatalog({ spaces, ...stripeOf(fake) });
    assert.equal(again.calls, 0, formatPlan(again));
    assert.equal(again.totals.unchanged, 6);
  });

  it('archives a duplicate product of a space and ignores products not managed by spacesync', () => {
    const fake = new FakeStripe();
    const [one] = syncAll(fake, [spaceWithPrices(1)]);
    const dup = fake.call({ resource: 'products', method: 'create', params: { name: 'dup', metadata: { managed_by: 'spacesync', space_id: one.space.id } } });
    fake.call({ resource: 'products', method: 'create', params: { name: 'not ours', metadata: {} } });
    const plan = planCatalog({ spaces: [one], ...stripeOf(fake) });
    assert.deepEqual(
      plan.entries.map((e) => [e.kind, e.productId]),
      [
        ['unchanged', one.space.stripe_product_id],
        ['archive_orphan', dup.id],
      ],
    );
  });

  it('plans a synced catalog of 10,000 spaces × 3 prices as unchanged, with no Stripe call (its speed is in the sync-catalog bench)', () => {
    const spaces: CatalogSpace[] = [];
    const products: any[] = [];
    const prices: any[] = [];
    for (let n = 0; n < 10_000; n++) {
      const { space, prices: rows } = spaceWithPrices(n);
      const productId = `prod_${n}`;
      const desired = desiredState(space, rows);
      prices.push(
        ...desired.prices.map((d, i) => ({
          id: `price_${n}_${i}`,
          object: 'price',
          active: true,
          created: 1,
          currency: d.currency,
          unit_amount: d.unit_amount,
          product: productId,
          recurring: d.recurring ? { ...d.recurring, meter: null, trial_period_days: null, usage_type: 'licensed' } : null,
          tax_behavior: d.tax_behavior,
          lookup_key: d.lookup_key,
          nickname: d.nickname,
          metadata: d.metadata,
          currency_options: { [d.currency]: { unit_amount: d.unit_amount } },
        })),
      );
      products.push({
        id: productId,
        object: 'product',
        active: true,
        created: 1,
        name: desired.product.name,
        description: desired.product.description,
        images: desired.product.images,
        metadata: desired.product.metadata,
        default_price: `price_${n}_0`,
      });
      spaces.push({ space: { ...space, stripe_product_id: productId }, prices: rows });
    }
    const plan = planCatalog({ spaces, products, prices });
    assert.equal(plan.totals.unchanged, 10_000);
    assert.equal(plan.calls, 0);
  });
});
