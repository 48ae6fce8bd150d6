// The change-log walk, without a database: gaps stop the reader until they are final.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coalesceChanges, parseEventId, walkChanges, type ChangeRow } from '../../src/api/walkChanges.ts';

const row = (id: number, entity = `s${id}`, kind: ChangeRow['kind'] = 'space'): ChangeRow => ({ id, kind, entity_id: entity });

test('contiguous ids are delivered', () => {
  assert.deepEqual(walkChanges(3, [row(4), row(5)], 0, true), { deliver: [row(4), row(5)], cursor: 5, blocked: false });
});

test('a gap with writers in progress stops the walk before it', () => {
  assert.deepEqual(walkChanges(3, [row(4), row(6), row(7)], 0, true), { deliver: [row(4)], cursor: 4, blocked: true });
});

test('a gap is final when no writer was in progress, or below the settled id', () => {
  assert.deepEqual(walkChanges(3, [row(5)], 0, false).cursor, 5);
  assert.deepEqual(walkChanges(3, [row(5), row(9)], 6, true), { deliver: [row(5)], cursor: 5, blocked: true });
  assert.deepEqual(walkChanges(3, [row(5), row(9)], 9, true).cursor, 9);
});

test('coalescing keeps one entry per thing, with its highest id, in id order', () => {
  assert.deepEqual(coalesceChanges([row(1, 'a'), row(2, 'b'), row(3, 'a'), row(4, 'a', 'log')]), [row(2, 'b'), row(3, 'a'), row(4, 'a', 'log')]);
});

test('Last-Event-ID: digits only', () => {
  assert.equal(parseEventId('42'), 42);
  for (const bad of [undefined, '', '-1', '1e3', 'abc', '9'.repeat(20)]) assert.equal(parseEventId(bad), undefined);
});
