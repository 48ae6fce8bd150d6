import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type Stripe from 'stripe';
import {
  PRICING_TYPES,
  desiredState,
  isLivePrice,
  isLiveSpace,
  planSpaceSync,
  snapshotFromStripe,
  type DesiredState,
  type PriceRecord,
  type SpaceRecord,
  type StripeSnapshot,
} from '../../src/catalog/index.ts';
import { FakeStripe, StripeRuleError, execute } from './fakeStripe.ts';
import { SPACE_ID, makePrice, makeSpace } from './fixtures.ts';

const DELETED = new Date('2025-06-01T00:00:00Z');

interface RowSpec {
  pricing_type: string;
  unit_amount: number;
  currency: string;
  recurring: { interval: 'day' | 'week' | 'month' | 'year'; count: number } | null;
  tax_behavior: 'inclusive' | 'exclusive' | 'unspecified';
  currency_options: Record<string, { unit_amount: number }>;
  nickname: string | null;
  is_default: boolean;
  position: number;
  active: boolean;
  deleted: boolean;
  hasKey: boolean;
}

const amountArb = fc.oneof(fc.constantFrom(0, 1000, 1200, 99_999_999), fc.integer({ min: 0, max: 99_999_999 }));

const rowSpecArb: fc.Arbitrary<RowSpec> = fc.record({
  pricing_type: fc.constantFrom(...PRICING_TYPES),
  unit_amount: amountArb,
  currency: fc.constantFrom('eur', 'usd', 'jpy'),
  recurring: fc.option(
    fc.record({ interval: fc.constantFrom('day' as const, 'week' as const, 'month' as const, 'year' as const), count: fc.integer({ min: 1, max: 3 }) }),
    { nil: null, freq: 2 },
  ),
  tax_behavior: fc.constantFrom('unspecified' as const, 'unspecified' as const, 'inclusive' as const, 'exclusive' as const),
  currency_options: fc.dictionary(fc.constantFrom('usd', 'gbp', 'chf'), fc.record({ unit_amount: amountArb }), { maxKeys: 2 }),
  nickname: fc.option(fc.constantFrom('Heure', 'Journée', 'Mois'), { nil: null }),
  is_default: fc.boolean(),
  position: fc.integer({ min: 0, max: 3 }),
  active: fc.integer({ min: 0, max: 3 }).map((n) => n !== 0),
  deleted: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
  hasKey: fc.integer({ min: 0, max: 9 }).map((n) => n !== 0),
});

function toRow(index: number, spec: RowSpec, key: string | null): PriceRecord {
  return makePrice({
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    pricing_type: spec.pricing_type,
    unit_amount: spec.unit_amount,
    currency: spec.currency,
    recurring_interval: spec.recurring?.interval ?? null,
    recurring_interval_count: spec.recurring?.count ?? 1,
    tax_behavior: spec.tax_behavior,
    currency_options: spec.currency_options,
    nickname: spec.nickname,
    is_default: spec.is_default,
    position: spec.position,
    active: spec.active,
    deleted_at: spec.deleted ? DELETED : null,
    lookup_key: spec.hasKey ? key : null,
  });
}

const spaceArb = fc.record({
  name: fc.constantFrom('Salle A', 'Salle B', 'Desk 12', 'Été'),
  description: fc.option(fc.constantFrom('Calme', 'Lumineuse', '  '), { nil: null }),
  images: fc.subarray(['https://img.example/1.jpg', 'https://img.example/2.jpg']),
  active: fc.integer({ min: 0, max: 4 }).map((n) => n !== 0),
  deleted: fc.integer({ min: 0, max: 6 }).map((n) => n === 0),
  capacity: fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }),
  location: fc.option(fc.constantFrom('Paris', 'Lyon', ''), { nil: null }),
  metadata: fc.dictionary(fc.constantFrom('floor', 'wing', 'space_id'), fc.constantFrom('1', '2', '')),
});

type SpaceSpec = typeof spaceArb extends fc.Arbitrary<infer T> ? T : never;

function toSpace(spec: SpaceSpec): SpaceRecord {
  return makeSpace({
    name: spec.name,
    description: spec.description,
    images: spec.images,
    active: spec.active,
    deleted_at: spec.deleted ? DELETED : null,
    capacity: spec.capacity,
    location: spec.location,
    metadata: spec.metadata,
  });
}

type RowEdit = { kind: 'same' } | { kind: 'new'; spec: RowSpec } | { kind: 'amount'; amount: number } | { kind: 'delete' };

/** A first version of a space, then an edit of it (rows kept, changed, deleted, added). */
const scenarioArb = fc
  .record({
    space1: spaceArb,
    rows1: fc.array(rowSpecArb, { maxLength: 5 }),
    space2: fc.oneof(spaceArb, fc.constant(null)),
    edits: fc.array(
      fc.oneof(
        fc.constant<RowEdit>({ kind: 'same' }),
        rowSpecArb.map<RowEdit>((spec) => ({ kind: 'new', spec })),
        amountArb.map<RowEdit>((amount) => ({ kind: 'amount', amount })),
        fc.constant<RowEdit>({ kind: 'delete' }),
      ),
      { minLength: 5, maxLength: 5 },
    ),
    added: fc.array(fc.tuple(rowSpecArb, fc.boolean()), { maxLength: 3 }),
  })
  .map(({ space1, rows1, space2, edits, added }) => {
    const v1Space = toSpace(space1);
    const v1 = rows1.map((spec, i) => toRow(i, spec, `lk_${i}`));
    const v2Space = space2 ? toSpace(space2) : v1Space;
    const v2 = v1.map((row, i) => {
      const e = edits[i];
      if (e.kind === 'same') return row;
      if (e.kind === 'amount') return { ...row, unit_amount: e.amount };
      if (e.kind === 'delete') return { ...row, deleted_at: DELETED };
      return { ...toRow(i, e.spec, row.lookup_key ?? `lk_${i}`), created_at: row.created_at };
    });
    // New rows; some reuse the lookup key of a row deleted in v2 (unique among non-deleted rows).
    const freeKeys = v2.filter((r) => r.deleted_at !== null && r.lookup_key).map((r) => r.lookup_key as string);
    added.forEach(([spec, reuse], j) => {
      const key = reuse && freeKeys.length > 0 ? (freeKeys.shift() as string) : `lk_new_${j}`;
      v2.push(toRow(100 + j, { ...spec, deleted: false }, key));
    });
    return { v1Space, v1, v2Space, v2 };
  });

const ctx = (version: number) => ({ spaceId: SPACE_ID, version });

function liveSnapshot(fake: FakeStripe, productId: string, rows: PriceRecord[]): StripeSnapshot {
  return snapshotFromStripe(fake.products.get(productId)!, fake.priceList(productId), rows);
}

/** What Stripe holds matches the desired state exactly. */
function assertStripeMatches(fake: FakeStripe, snapshot: StripeSnapshot | null, desired: DesiredState): void {
  if (snapshot === null) {
    assert.equal(fake.products.size, 0, 'no product for a space never live');
    return;
  }
  const product = fake.products.get(snapshot.productId)!;
  const prices = fake.priceList(snapshot.productId);
  const active = prices.filter((p) => p.active);
  if (!desired.product.active) {
    assert.equal(product.active, false);
    assert.equal(product.default_price, null);
    assert.deepEqual(active, [], 'an archived product keeps no active price');
    return;
  }
  assert.equal(product.active, true);
  assert.equal(product.name, desired.product.name);
  assert.equal(active.length, desired.prices.length, 'exactly one active price per live row');
  for (const d of desired.prices) {
    const entry: StripeSnapshot['prices'][string] | undefined = snapshot.prices[d.rowId];
    assert.ok(entry, `row ${d.rowId} has a price`);
    const price: Stripe.Price | undefined = fake.prices.get(entry.priceId);
    assert.ok(price);
    assert.equal(price.active, true);
    assert.equal(price.unit_amount, d.unit_amount);
    assert.equal(price.currency, d.currency);
    assert.equal(price.metadata.space_price_id, d.rowId);
    if (d.isDefault) assert.equal(product.default_price, price.id, 'the default row is the default price');
    if (d.lookup_key !== null) {
      const holders = [...fake.prices.values()].filter((p) => p.lookup_key === d.lookup_key);
      assert.deepEqual(holders.map((p) => p.id), [price.id], `one active price holds ${d.lookup_key}`);
    }
  }
  if (desired.prices.length === 0) assert.equal(product.default_price, null);
}

/** Plans against `snapshot`, applies, and checks that planning again (stored and live) yields nothing. */
function syncAndCheck(fake: FakeStripe, snapshot: StripeSnapshot | null, space: SpaceRecord, rows: PriceRecord[], version: number) {
  const desired = desiredState(space, rows);
  const ops = planSpaceSync(desired, snapshot, ctx(version));
  const after = execute(fake, snapshot, ops, ctx(version));
  assert.deepEqual(planSpaceSync(desired, after, ctx(version)), [], 'replanning the stored snapshot is a no-op');
  if (after) assert.deepEqual(planSpaceSync(desired, liveSnapshot(fake, after.productId, rows), ctx(version)), [], 'replanning live Stripe is a no-op');
  assertStripeMatches(fake, after, desired);
  return { ops, after };
}

describe('planSpaceSync properties', () => {
  it('converges from nothing and from the previous snapshot; Stripe then matches the catalog', () => {
    fc.assert(
      fc.property(scenarioArb, ({ v1Space, v1, v2Space, v2 }) => {
        const fake = new FakeStripe();
        const first = syncAndCheck(fake, null, v1Space, v1, 1);
        syncAndCheck(fake, first.after, v2Space, v2, 2);
      }),
      { numRuns: 300 },
    );
  });

  it('converges from the live Stripe objects after drift made in the dashboard', () => {
    const driftArb = fc.array(
      fc.record({
        action: fc.constantFrom('rename', 'archive_price', 'nickname', 'stray_price', 'default', 'metadata', 'archive_product', 'lookup_key'),
        pick: fc.nat(),
      }),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(scenarioArb, driftArb, ({ v1Space, v1, v2Space, v2 }, drift) => {
        const fake = new FakeStripe();
        const { after } = syncAndCheck(fake, null, v1Space, v1, 1);
        if (!after) return;
        const productId = after.productId;
        for (const { action, pick } of drift) {
          const prices = fake.priceList(productId);
          const price = prices.length > 0 ? prices[pick % prices.length] : undefined;
          try {
            if (action === 'rename') fake.call({ resource: 'products', method: 'update', id: productId, params: { name: 'Renamed in dashboard' } });
            if (action === 'metadata') fake.call({ resource: 'products', method: 'update', id: productId, params: { metadata: { kind: '', extra: 'x' } } });
            if (action === 'archive_product') fake.call({ resource: 'products', method: 'update', id: productId, params: { active: false, default_price: '' } });
            if (action === 'stray_price') fake.call({ resource: 'prices', method: 'create', params: { product: productId, currency: 'eur', unit_amount: 42 } });
            if (!price) continue;
            if (action === 'archive_price') fake.call({ resource: 'prices', method: 'update', id: price.id, params: { active: false } });
            if (action === 'nickname') fake.call({ resource: 'prices', method: 'update', id: price.id, params: { nickname: 'dashboard' } });
            if (action === 'default') fake.call({ resource: 'products', method: 'update', id: productId, params: { default_price: price.id } });
            if (action === 'lookup_key') fake.call({ resource: 'prices', method: 'update', id: price.id, params: { lookup_key: 'lk_0', transfer_lookup_key: true } });
          } catch (error) {
            if (!(error instanceof StripeRuleError)) throw error; // the dashboard refuses it too
          }
        }
        syncAndCheck(fake, liveSnapshot(fake, productId, v2), v2Space, v2, 2);
      }),
      { numRuns: 300 },
    );
  });

  it('resumes after a crash at any step (with or without the last result persisted) without duplicates', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), fc.boolean(), ({ v1Space, v1, v2Space, v2 }, cut, lost) => {
        const fake = new FakeStripe();
        const { after: s1 } = syncAndCheck(fake, null, v1Space, v1, 1);
        const desired = desiredState(v2Space, v2);
        const ops = planSpaceSync(desired, s1, ctx(2));
        const stopAfter = ops.length === 0 ? 0 : cut % ops.length;
        const partial = execute(fake, s1, ops, ctx(2), { stopAfter, crashBeforePersist: lost });
        // the job is retried: plan again from what was persisted, same version
        syncAndCheck(fake, partial, v2Space, v2, 2);
      }),
      { numRuns: 300 },
    );
  });

  it('never archives the price that is the default at that point of the plan', () => {
    fc.assert(
      fc.property(scenarioArb, ({ v1Space, v1, v2Space, v2 }) => {
        const fake = new FakeStripe();
        const { after } = syncAndCheck(fake, null, v1Space, v1, 1);
        const ops = planSpaceSync(desiredState(v2Space, v2), after, ctx(2));
        let current = after?.product.defaultPriceId ?? null;
        for (const op of ops) {
          if (op.kind === 'archive_price') assert.notEqual(op.priceId, current, 'archives the current default');
          if ((op.kind === 'update_product' || op.kind === 'archive_product') && op.params.default_price !== undefined) {
            current = typeof op.params.default_price === 'string' ? op.params.default_price || null : op.params.default_price.ref;
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('only plans calls for a live space or one that has a product', () => {
    fc.assert(
      fc.property(scenarioArb, ({ v1Space, v1 }) => {
        const ops = planSpaceSync(desiredState(v1Space, v1), null, ctx(1));
        const liveRows = v1.filter(isLivePrice).length;
        if (!isLiveSpace(v1Space)) assert.deepEqual(ops, []);
        else {
          const defaultRow = desiredState(v1Space, v1).prices.find((p) => p.isDefault);
          const extra = defaultRow && (defaultRow.lookup_key !== null || defaultRow.nickname !== null) ? 1 : 0;
          assert.equal(ops.length, Math.max(1, liveRows) + (liveRows > 0 ? extra : 0), 'create = k + 1 (k without key/nickname)');
        }
      }),
      { numRuns: 200 },
    );
  });
});
