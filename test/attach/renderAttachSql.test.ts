// The generated SQL (pure): deterministic, carrying its guard, the replacement of an earlier attach,
// the registry row and only the objects the mapping asks for; identifiers and constants quoted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderAttachSql, renderDetachSql, SOURCE_FUNCTIONS } from '../../src/attach/renderAttachSql.ts';
import { COLUMN_MAPPING, RATES_MAPPING, mapping } from './appSchema.ts';

test('the same mapping renders the same text; the backfill only when asked', () => {
  const m = mapping(COLUMN_MAPPING);
  assert.equal(renderAttachSql(m), renderAttachSql(mapping(COLUMN_MAPPING)));
  assert.doesNotMatch(renderAttachSql(m), /Backfill/);
  assert.match(renderAttachSql(m, { backfill: true }), /-- Backfill: the rows already in the app's tables\.[\s\S]*set backfilled_at = now\(\)/);
});

test('guard first, then the replacement of an earlier attach, then the registry row and the objects', () => {
  const sql = renderAttachSql(mapping(COLUMN_MAPPING));
  const order = ['-- Guard:', 'drop function %s cascade', 'insert into public.spacesync_sources', 'create function public."spacesync_src_rooms_values"', 'create trigger "spacesync_rooms_insert"'];
  const at = order.map((s) => sql.indexOf(s));
  assert.ok(at.every((i) => i >= 0), JSON.stringify(at));
  assert.deepEqual([...at].sort((a, b) => a - b), at, 'in that order');
  // Every column the guard checks, with the field that names it.
  for (const row of ["('key', 'public', 'rooms', 'id'", "('fields.name', 'public', 'rooms', 'title'", "('prices.columns[1].column', 'public', 'rooms', 'day_rate'", "('delete.softDeleteColumn', 'public', 'rooms', 'deleted_at'"]) {
    assert.ok(sql.includes(row), row);
  }
  // The sql expression is tried in the guard, named by its field.
  assert.match(sql, /mapping field fields\.location: the sql expression %s fails on public\.rooms/);
});

test('only what the mapping asks for: rates triggers with a rates table, write-back with write-back columns', () => {
  const columns = renderAttachSql(mapping(COLUMN_MAPPING));
  assert.doesNotMatch(columns, /create (function public\."spacesync_src_rooms_rate|function public\."spacesync_src_rooms_write_back|trigger [^\n]* on public\.spaces)/);
  assert.match(columns, /after update on "public"\."rooms"\n  for each row when \(old is distinct from new\)/);
  const rates = renderAttachSql(mapping(RATES_MAPPING));
  assert.match(rates, /create trigger "spacesync_rooms_rate_update" after update on "public"\."room_rates"/);
  assert.match(rates, /'\{"deleted": true\}'/);
  const wb = renderAttachSql(mapping(COLUMN_MAPPING, { writeBack: { productId: 'stripe_product_id', status: 'sync_state' } }));
  assert.match(wb, /create trigger "spacesync_rooms_write_back_update" after update on public\.spaces\n  for each row when \(new\.source = 'rooms'/);
  // The app table's own update trigger ignores changes of the write-back columns alone: no loop.
  assert.match(wb, /when \(to_jsonb\(old\) - '\{stripe_product_id,sync_state\}'::text\[\] is distinct from to_jsonb\(new\) - '\{stripe_product_id,sync_state\}'::text\[\]\)/);
  assert.match(wb, /for update skip locked/);
});

test('constants and names are quoted: a quote in a value stays a value', () => {
  const sql = renderAttachSql(mapping(COLUMN_MAPPING, { fields: { name: { value: "O'Brien's room" }, metadata: { "it's": { value: "a'b" } } } }));
  assert.ok(sql.includes(`'O''Brien''s room'::text`));
  assert.ok(sql.includes(`'it''s', 'a''b'::text`));
  assert.throws(() => renderAttachSql({ ...mapping(COLUMN_MAPPING), name: 'Rooms' }), /source name "Rooms" must be lower-case/);
});

test('detach drops exactly the functions of that source (their triggers with them) and keeps every row', () => {
  const sql = renderDetachSql('rooms');
  for (const f of SOURCE_FUNCTIONS) assert.ok(sql.includes(`spacesync_src_rooms_${f}`), f);
  assert.match(sql, /update public\.spacesync_sources set detached_at = now\(\) where name = 'rooms' and detached_at is null;/);
  assert.doesNotMatch(sql, /delete from|truncate table|drop table|update public\.(spaces|space_prices)\b/i);
  assert.throws(() => renderDetachSql("x'; drop table spaces; --"), /source name/);
});
