import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type Stripe from 'stripe';
import {
  applyResult,
  canonicalJson,
  defaultPriceRowId,
  desiredPrices,
  desiredProduct,
  desiredState,
  fnv1a64,
  idempotencyKey,
  idempotencySeed,
  parseSnapshot,
  planSpaceSync,
  resolveOperation,
  snapshotFromStripe,
} from '../../src/catalog/index.ts';
import { SPACE_ID, makePrice, makeSpace } from './fixtures.ts';

describe('desiredProduct', () => {
  it('maps the space to product fields and string metadata, reserved keys winning', () => {
    const space = makeSpace({ metadata: { floor: 3, space_id: 'spoof', note: '', wifi: true, extra: null } });
    assert.deepEqual(desiredProduct(space), {
      name: 'Salle Eiffel',
      description: 'Bright room, 10 seats',
      images: ['https://img.example/eiffel.jpg'],
      active: true,
      metadata: {
        capacity: '10',
        floor: '3',
        kind: 'meeting_room',
        location: 'Paris 7e',
        managed_by: 'spacesync',
        space_id: SPACE_ID,
        wifi: 'true',
      },
    });
  });

  it('omits empty fields the same way every time, and is inactive when deleted or inactive', () => {
    const bare = desiredProduct(makeSpace({ description: '  ', capacity: null, location: '', metadata: {} }));
    assert.equal(bare.description, null);
    assert.deepEqual(Object.keys(bare.metadata), ['kind', 'managed_by', 'space_id']);
    assert.equal(desiredProduct(makeSpace({ active: false })).active, false);
    assert.equal(desiredProduct(makeSpace({ deleted_at: '2025-02-01T00:00:00Z' })).active, false);
  });
});

describe('desiredPrices', () => {
  it('keeps live rows in display order, with their metadata and one default', () => {
    const a = makePrice({ position: 2, nickname: '', currency_options: { eur: { unit_amount: 1 }, usd: { unit_amount: 1100 } } });
    const b = makePrice({ position: 1, recurring_interval: 'month', recurring_interval_count: 3 });
    const gone = makePrice({ position: 0, deleted_at: new Date(), is_default: true });
    const off = makePrice({ position: 0, active: false });
    const prices = desiredPrices({ id: SPACE_ID }, [a, b, gone, off]);
    assert.deepEqual(prices.map((p) => p.rowId), [b.id, a.id]);
    assert.deepEqual(prices.map((p) => p.isDefault), [true, false], 'earliest live row is the fallback default');
    assert.deepEqual(prices[0].recurring, { interval: 'month', interval_count: 3 });
    assert.deepEqual(prices[1].currency_options, { usd: { unit_amount: 1100 } }, 'own currency dropped');
    assert.equal(prices[1].nickname, null);
    assert.deepEqual(prices[1].metadata, { managed_by: 'spacesync', pricing_type: 'hourly', space_id: SPACE_ID, space_price_id: a.id });
  });

  it('picks exactly one default among live prices: the is_default row, else the earliest', () => {
    const rowArb = fc.record({
      position: fc.integer({ min: 0, max: 3 }),
      created: fc.integer({ min: 0, max: 3 }),
      is_default: fc.boolean(),
      active: fc.boolean(),
      deleted: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 6 }), (specs) => {
        const rows = specs.map((s, i) =>
          makePrice({
            id: `row-${i}`,
            position: s.position,
            created_at: new Date(1_700_000_000_000 + s.created * 1000),
            is_default: s.is_default,
            active: s.active,
            deleted_at: s.deleted ? new Date() : null,
          }),
        );
        const prices = desiredPrices({ id: SPACE_ID }, rows);
        const defaults = prices.filter((p) => p.isDefault);
        assert.equal(defaults.length, prices.length > 0 ? 1 : 0);
        assert.equal(defaults[0]?.rowId ?? null, defaultPriceRowId(rows));
        const flagged = prices.find((p) => rows.find((r) => r.id === p.rowId)?.is_default);
        if (flagged) assert.equal(defaults[0].rowId, flagged.rowId);
        else if (prices.length > 0) assert.equal(defaults[0].rowId, prices[0].rowId);
      }),
    );
  });
});

function stripePrice(overrides: Partial<Stripe.Price>): Stripe.Price {
  return {
    id: 'price_x',
    object: 'price',
    active: true,
    created: 1,
    currency: 'eur',
    unit_amount: 1000,
    product: 'prod_1',
    recurring: null,
    tax_behavior: 'unspecified',
    lookup_key: null,
    nickname: null,
    metadata: {},
    type: 'one_time',
    ...overrides,
  } as Stripe.Price;
}

describe('snapshotFromStripe', () => {
  const product = {
    id: 'prod_1',
    object: 'product',
    active: true,
    name: 'Salle',
    description: null,
    images: [],
    metadata: { managed_by: 'spacesync', space_id: SPACE_ID },
    default_price: 'price_new',
    created: 1,
  } as unknown as Stripe.Product;

  it('maps prices to rows by space_price_id, else lookup_key; extras are orphans', () => {
    const rows = [
      { id: 'row-a', lookup_key: 'lk_a' },
      { id: 'row-b', lookup_key: 'lk_b' },
    ];
    const snap = snapshotFromStripe(
      product,
      [
        stripePrice({ id: 'price_old', active: false, metadata: { space_price_id: 'row-a' }, created: 1 }),
        stripePrice({ id: 'price_new', metadata: { space_price_id: 'row-a' }, lookup_key: 'lk_a', created: 2, currency_options: { eur: { unit_amount: 1000 } as Stripe.Price.CurrencyOptions, usd: { unit_amount: 1100 } as Stripe.Price.CurrencyOptions } }),
        stripePrice({ id: 'price_b', lookup_key: 'lk_b', tax_behavior: null }),
        stripePrice({ id: 'price_stray', metadata: { space_price_id: 'row-unknown' } }),
        stripePrice({ id: 'price_other_product', product: 'prod_2', metadata: { space_price_id: 'row-b' } }),
      ],
      rows,
    );
    assert.equal(snap.product.defaultPriceId, 'price_new');
    assert.deepEqual(Object.keys(snap.prices), ['row-a', 'row-b']);
    assert.equal(snap.prices['row-a'].priceId, 'price_new');
    assert.deepEqual(snap.prices['row-a'].currency_options, { usd: { unit_amount: 1100 } });
    assert.equal(snap.prices['row-b'].priceId, 'price_b');
    assert.equal(snap.prices['row-b'].tax_behavior, 'unspecified');
    assert.equal(snap.prices['row-b'].currency_options, undefined, 'not expanded: unknown');
    assert.deepEqual(snap.orphanPrices?.map((p) => p.priceId), ['price_stray', 'price_old']);
    assert.deepEqual(parseSnapshot(JSON.parse(JSON.stringify(snap))), snap);
  });

  it('parseSnapshot reads null as never synced and rejects a foreign shape with advice', () => {
    assert.equal(parseSnapshot(null), null);
    assert.throws(() => parseSnapshot({ productId: 1 }), /rebuild it from Stripe with snapshotFromStripe/);
  });
});

describe('idempotency', () => {
  it('hashes canonical JSON with FNV-1a 64', () => {
    assert.equal(fnv1a64(''), 'cbf29ce484222325');
    assert.equal(fnv1a64('a'), 'af63dc4c8601ec8c');
    assert.equal(canonicalJson({ b: 1, a: [1, { d: undefined, c: 'x' }] }), '{"a":[1,{"c":"x"}],"b":1}');
  });

  it('gives the same key to a retried create whether its product was a ref or a literal id', () => {
    const space = makeSpace();
    const rows = [makePrice({ is_default: true }), makePrice({ pricing_type: 'daily' })];
    const desired = desiredState(space, rows);
    const ops = planSpaceSync(desired, null, { spaceId: SPACE_ID, version: 3 });
    const afterCreate = applyResult(null, ops[0], { id: 'prod_9', default_price: 'price_9' });
    const createPrice = ops.find((op) => op.kind === 'create_price')!;
    assert.throws(() => idempotencySeed(createPrice), /pass the current snapshot/);
    const first = idempotencySeed(createPrice, afterCreate);
    const retry = planSpaceSync(desired, afterCreate, { spaceId: SPACE_ID, version: 3 }).find((op) => op.kind === 'create_price')!;
    assert.deepEqual(idempotencySeed(retry, afterCreate), first);
    assert.equal(first.rowId, rows[1].id);
    assert.match(idempotencyKey(first, { spaceId: SPACE_ID, version: 3 }), new RegExp(`^spacesync:${SPACE_ID}:v3:create_price:${rows[1].id}:[0-9a-f]{16}$`));
    assert.equal(resolveOperation(createPrice, afterCreate).resource, 'prices');
  });

  it('gives different keys to different params', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }), (a, b) => {
        fc.pre(a !== b);
        const op = (n: number) => ({ kind: 'archive_price' as const, rowId: null, priceId: `price_${n}`, params: { active: false as const } });
        assert.notEqual(idempotencySeed(op(a)).paramsHash, idempotencySeed(op(b)).paramsHash);
      }),
    );
  });
});
