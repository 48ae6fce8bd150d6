// The mapping file's format: good mappings parse, bad ones give one problem per mistake, each naming
// the field path and what to write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMapping, MAX_MAPPING_BYTES } from '../../src/attach/checkMapping.ts';
import { COLUMN_MAPPING, RATES_MAPPING } from './appSchema.ts';

function problems(value: unknown): string[] {
  const r = checkMapping(typeof value === 'string' ? value : JSON.stringify(value));
  assert.equal(r.ok, false, 'refused');
  return r.ok ? [] : r.problems.map((p) => `${p.path} | ${p.message}`);
}

const base = { name: 'rooms', table: 'rooms', key: 'id', fields: { name: 'title' } };

test('the example mappings parse, with defaults filled in', () => {
  for (const m of [COLUMN_MAPPING, RATES_MAPPING, base]) {
    const r = checkMapping(JSON.stringify(m));
    assert.ok(r.ok, JSON.stringify(r));
  }
  const r = checkMapping(JSON.stringify(base));
  assert.ok(r.ok);
  assert.equal(r.mapping.delete, 'hard');
});

test('each kind of mistake names its field path and the fix', () => {
  const cases: [unknown, RegExp][] = [
    [{ ...base, fields: { name: 12 } }, /^fields\.name \| fields\.name must be a column name \("title"\), an SQL expression .* or a constant/],
    [{ ...base, fields: { name: 'Title' } }, /^fields\.name \| .*lower-case SQL identifier/],
    [{ ...base, fields: { name: { sql: 'title; drop table rooms' } } }, /^fields\.name\.sql \| .*one expression: no ";"/],
    [{ ...base, fields: { name: 'title', kind: { value: 'castle' } } }, /^fields\.kind\.value \| fields\.kind\.value must be one of "meeting_room", .* \(got "castle"\)/],
    [{ ...base, key: undefined }, /^key \| key is required/],
    [{ ...base, extra: 1 }, /unknown key\(s\) "extra"/],
    [{ ...base, delete: 'soft' }, /^delete \| delete must be "hard" or \{"softDeleteColumn"/],
    [{ ...base, prices: { columns: [{ column: 'hourly_rate', pricingType: 'hourly', units: 'cents' }] } }, /^prices\.columns\[0\]\.units \| .*must be one of "major", "minor" \(got "cents"\)/],
    [{ ...base, prices: { columns: [{ column: 'a', pricingType: 'hourly', units: 'major' }, { column: 'a', pricingType: 'daily', units: 'major' }] } }, /^prices\.columns\[1\]\.column \| .*repeats "a" \(already prices\.columns\[0\]\)/],
    [{ ...base, writeBack: { productId: 'title' } }, /^writeBack\.productId \| .*"title" is also read by fields\.name/],
    [{ ...base, writeBack: { productId: 'x', status: 'x' } }, /^writeBack\.status \| .*"x" is also writeBack\.productId/],
    [{ ...base, fields: { name: 'title', metadata: { space_id: 'id' } } }, /^fields\.metadata\.space_id \| .*written by spacesync itself/],
    [{ ...base, prices: { ...(RATES_MAPPING.prices as object), table: 'public.rooms' } }, /^prices\.table \| prices\.table is the source table itself/],
    [{ ...base, fields: { name: { value: 'x'.repeat(251) } } }, /^fields\.name\.value \| .*251 characters: at most 250/],
    [{ ...base, fields: { name: 'title', images: { value: ['ftp://x'] } } }, /^fields\.images\.value\[0\] \| .*http\(s\) URL/],
  ];
  for (const [value, expected] of cases) {
    const found = problems(value);
    assert.ok(found.some((p) => expected.test(p)), `${JSON.stringify(value)}\n  → ${found.join('\n    ')}\n  expected ${expected}`);
  }
});

test('a NUL byte anywhere is refused at its path (Postgres cannot store it)', () => {
  const found = problems({ ...base, fields: { name: { value: 'Blue\u0000room' } } });
  assert.deepEqual(found, ['fields.name.value | fields.name.value contains a NUL byte (\\u0000), which Postgres cannot store: remove it']);
  assert.match(problems({ ...base, fields: { name: 'title', metadata: { 'a\u0000': 'id' } } })[0]!, /^fields\.metadata\.a\u0000 \| .*NUL byte/);
});

test('absurd sizes: a huge file, too many metadata keys or price columns', () => {
  assert.match(problems(' '.repeat(MAX_MAPPING_BYTES + 1))[0]!, /is \d+ bytes: a mapping is at most 256 KiB/);
  const metadata = Object.fromEntries(Array.from({ length: 46 }, (_, i) => [`k${i}`, 'title']));
  assert.ok(problems({ ...base, fields: { name: 'title', metadata } }).some((p) => /fields\.metadata has 46 keys: at most 45/.test(p)));
  const columns = Array.from({ length: 21 }, (_, i) => ({ column: `c${i}`, pricingType: 'hourly', units: 'major' }));
  assert.ok(problems({ ...base, prices: { columns } }).some((p) => p.startsWith('prices.columns |')));
  assert.ok(problems({ ...base, fields: { name: { sql: 'x'.repeat(2001) } } }).some((p) => /at most 2,000 characters/.test(p)));
});

test('not JSON, or not an object', () => {
  assert.match(problems('{')[0]!, /^ \| the mapping file is not JSON/);
  assert.match(problems('[1]')[0]!, /must hold one JSON object/);
});
