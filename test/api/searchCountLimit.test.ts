// How far a search counts, and the total it reports from that count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { searchCountLimit, searchTotal } from '../../src/api/searchCountLimit.ts';

test('a search counts at least 1,000 matches past its page, in whole thousands', () => {
  assert.equal(searchCountLimit(0, 50), 2000);
  assert.equal(searchCountLimit(0, 100), 2000);
  assert.equal(searchCountLimit(0, 500), 2000);
  assert.equal(searchCountLimit(1500, 500), 3000);
  assert.equal(searchCountLimit(1600, 500), 4000);
  for (const [offset, limit] of [[0, 1], [999, 1], [12_345, 500]]) {
    const n = searchCountLimit(offset, limit);
    assert.ok(n >= offset + limit + 1000 && n % 1000 === 0, `${offset}, ${limit} → ${n}`);
  }
});

test('the total is exact up to the limit, and capped beyond it', () => {
  assert.deepEqual(searchTotal(0, 2000), { total: 0, total_capped: false });
  assert.deepEqual(searchTotal(2000, 2000), { total: 2000, total_capped: false });
  assert.deepEqual(searchTotal(2001, 2000), { total: 2000, total_capped: true });
});
