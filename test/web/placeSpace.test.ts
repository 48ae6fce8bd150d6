// Where the live stream puts a changed space in a cached list, and what it does to the list's count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeSpaces } from '../../web/src/features/stream/placeSpace.ts';
import type { Space, SpacePage } from '../../web/src/features/spaces/types.ts';

function space(id: string, name: string, created_at: string): Space {
  return {
    id, name, description: null, kind: 'meeting_room', capacity: 4, location: 'Étage 2', images: [], currency: 'eur', active: true,
    metadata: {}, created_at, updated_at: created_at, deleted_at: null, version: 1, stripe_product_id: null, sync_status: 'synced',
    synced_version: 1, last_synced_at: null, last_error: null, sync_attempt: 0, drift: null, prices: [],
  };
}

const a = space('a', 'Réunion A', '2026-01-03T00:00:00Z');
const b = space('b', 'Réunion B', '2026-01-01T00:00:00Z');

test('a new matching space is placed by the sort and counted', () => {
  const pages: SpacePage[] = [{ data: [a, b], total: 2 }];
  const c = space('c', 'Reunion C', '2026-01-02T00:00:00Z');
  const next = placeSpaces(pages, { q: 'reunion' }, new Map([['c', c]]), false);
  assert.deepEqual(next[0].data.map((s) => s.id), ['a', 'c', 'b'], 'newest first, between a and b');
  assert.equal(next[0].total, 3);
});

test('a count that stopped early ("2,000+") is left as it was when spaces come and go', () => {
  const pages: SpacePage[] = [{ data: [a, b], total: 2000, total_capped: true }];
  const c = space('c', 'Réunion C', '2026-01-02T00:00:00Z');
  const added = placeSpaces(pages, { q: 'reunion' }, new Map([['c', c]]), true);
  assert.deepEqual(added[0].data.map((s) => s.id), ['a', 'c', 'b']);
  assert.equal(added[0].total, 2000);
  assert.equal(added[0].total_capped, true);
  const removed = placeSpaces(pages, { q: 'reunion' }, new Map([['a', null]]), true);
  assert.deepEqual(removed[0].data.map((s) => s.id), ['b']);
  assert.equal(removed[0].total, 2000);
});

test('a space renamed out of the search leaves the list and the count', () => {
  const pages: SpacePage[] = [{ data: [a, b], total: 2 }];
  const next = placeSpaces(pages, { q: 'reunion' }, new Map([['a', { ...a, name: 'Bureau' }]]), false);
  assert.deepEqual(next[0].data.map((s) => s.id), ['b']);
  assert.equal(next[0].total, 1);
});
