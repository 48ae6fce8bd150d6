// The reviewed plan against the plan computed again at apply time: only the very change reviewed is
// applied; a changed or vanished entry is stale; a new one is left for a new plan.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compareCatalogPlans,
  entryDigest,
  planCatalog,
  planEntryId,
  sameChange,
  type CatalogEntry,
  type ComparableEntry,
} from '../../src/catalog/index.ts';
import { storedPlan } from '../../src/sync/syncCatalog.ts';
import { makePrice, makeSpace } from './fixtures.ts';

const A = '00000001-0000-4000-8000-000000000001';
const B = '00000001-0000-4000-8000-000000000002';
const C = '00000001-0000-4000-8000-000000000003';

function entry(spaceId: string | null, over: Partial<ComparableEntry> = {}): ComparableEntry & { name: string } {
  return {
    kind: 'update',
    spaceId,
    productId: spaceId ? `prod_${spaceId.slice(-1)}` : 'prod_orphan',
    name: `Space ${spaceId}`,
    changes: [{ field: 'name', from: 'Old', to: 'New' }],
    digest: 'aaaa',
    ...over,
  };
}

describe('compareCatalogPlans', () => {
  it('applies every entry of an unchanged plan, and nothing else', () => {
    const reviewed = [entry(A), entry(B, { kind: 'create', productId: null, changes: [{ field: 'product', from: null, to: 'B' }] }), entry(null, { kind: 'archive_orphan', orphan: true })];
    const fresh = reviewed.map((e) => ({ ...e, changes: e.changes.map((c) => ({ ...c })) }));
    const result = compareCatalogPlans(reviewed, fresh);
    assert.deepEqual(result.same, fresh);
    assert.deepEqual(result.stale, []);
    assert.deepEqual(result.appeared, []);
  });

  it('marks an entry whose field changed stale', () => {
    const reviewed = [entry(A), entry(B)];
    const fresh = [entry(A), entry(B, { changes: [{ field: 'name', from: 'Old', to: 'Newer' }] })];
    const result = compareCatalogPlans(reviewed, fresh);
    assert.deepEqual(result.same.map((e) => e.spaceId), [A]);
    assert.deepEqual(result.stale, [{ entry: reviewed[1], reason: 'changed' }]);
  });

  it('marks an entry whose starting value changed stale (edited in the dashboard)', () => {
    const result = compareCatalogPlans([entry(A)], [entry(A, { changes: [{ field: 'name', from: 'Dashboard', to: 'New' }] })]);
    assert.deepEqual(result.stale.map((s) => s.reason), ['changed']);
    assert.deepEqual(result.same, []);
  });

  it('marks an entry whose amount changed stale', () => {
    const price = (to: string) => [{ field: 'price hourly', from: '1000 eur', to }];
    const result = compareCatalogPlans([entry(A, { kind: 'reprice', changes: price('1200 eur') })], [entry(A, { kind: 'reprice', changes: price('1500 eur') })]);
    assert.deepEqual(result.stale.map((s) => s.reason), ['changed']);
  });

  it('marks an entry whose operations differ stale even when its words are the same', () => {
    const result = compareCatalogPlans([entry(A, { digest: 'aaaa' })], [entry(A, { digest: 'bbbb' })]);
    assert.deepEqual(result.stale.map((s) => s.reason), ['changed']);
  });

  it('marks an entry of another kind stale', () => {
    const result = compareCatalogPlans([entry(A)], [entry(A, { kind: 'reprice' })]);
    assert.deepEqual(result.stale.map((s) => s.reason), ['changed']);
  });

  it('marks an entry no longer planned stale, gone', () => {
    const reviewed = [entry(A), entry(B)];
    const result = compareCatalogPlans(reviewed, [entry(A), entry(B, { kind: 'unchanged', changes: [] })]);
    assert.deepEqual(result.stale, [{ entry: reviewed[1], reason: 'gone' }]);
    assert.deepEqual(result.appeared, []);
  });

  it('does not apply an entry that appeared since the plan', () => {
    const fresh = [entry(A), entry(C)];
    const result = compareCatalogPlans([entry(A)], fresh);
    assert.deepEqual(result.same, [fresh[0]]);
    assert.deepEqual(result.appeared, [fresh[1]]);
    assert.deepEqual(result.stale, []);
  });

  it('tells an orphan product from the space it names', () => {
    // A duplicate product of space A (its metadata names A) beside A's own entry.
    const own = entry(A);
    const duplicate = entry(A, { kind: 'archive_orphan', productId: 'prod_dup', orphan: true });
    assert.notEqual(planEntryId(own), planEntryId(duplicate));
    const result = compareCatalogPlans([own, duplicate], [own, { ...duplicate, changes: [{ field: 'active', from: false, to: false }] }]);
    assert.deepEqual(result.same, [own]);
    assert.deepEqual(result.stale.map((s) => [s.entry.productId, s.reason]), [['prod_dup', 'changed']]);
  });

  it('compares a plan stored without operation hashes by its changes', () => {
    const { digest: _, ...legacy } = entry(A);
    assert.equal(sameChange(legacy, entry(A, { digest: 'zzzz' })), true);
    assert.equal(sameChange(legacy, entry(A, { changes: [] })), false);
  });
});

describe('entryDigest in a stored plan', () => {
  const space = makeSpace({ id: A, name: 'Room', metadata: {} });
  const prices = [makePrice({ id: B, space_id: A, pricing_type: 'hourly', unit_amount: 1000, is_default: true, lookup_key: 'lk_a_h' })];
  const planOf = (s = space, p = prices) => planCatalog({ spaces: [{ space: { ...s, stripe_product_id: null }, prices: p }], products: [], prices: [] });

  it('is the same for the same plan and differs when what is sent differs', () => {
    const first = storedPlan(planOf(), 0).entries[0];
    assert.equal(first.digest, storedPlan(planOf(), 0).entries[0].digest);
    assert.equal(first.digest, entryDigest(planOf().entries[0].operations));
    const renamed = storedPlan(planOf({ ...space, name: 'Room bis' }), 0).entries[0];
    assert.notEqual(renamed.digest, first.digest);
  });

  it('applies the fresh entries whose change was reviewed, carrying the entries themselves', () => {
    const reviewed = storedPlan(planOf(), 0).entries;
    const fresh = planOf().entries.map((e: CatalogEntry) => ({ ...e, digest: entryDigest(e.operations), orphan: e.version === null }));
    const result = compareCatalogPlans(reviewed, fresh);
    assert.equal(result.same.length, 1);
    assert.equal(result.same[0].operations.length > 0, true);
    const repriced = planOf(space, [{ ...prices[0], unit_amount: 1200 }]).entries.map((e) => ({ ...e, digest: entryDigest(e.operations) }));
    assert.deepEqual(compareCatalogPlans(reviewed, repriced).stale.map((s) => s.reason), ['changed']);
  });
});
