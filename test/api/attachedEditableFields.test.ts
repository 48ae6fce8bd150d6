// editableFields (pure): from a mapping, which fields of an attached space can be edited and why not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attachedPricingTypes, editableFields } from '../../src/attach/editableFields.ts';
import { mappingSchema } from '../../src/attach/mapping.ts';

const mapping = mappingSchema.parse({
  name: 'rooms',
  table: 'rooms',
  key: 'id',
  fields: { name: 'title', location: { sql: "city || ', ' || district" }, kind: { value: 'desk' }, capacity: 'seats', metadata: { floor: 'floor', zone: { value: 'A' } } },
  prices: { columns: [{ column: 'hourly_rate', pricingType: 'hourly', units: 'major' }, { column: 'day_rate', pricingType: 'daily', units: 'minor' }] },
});

test('plain columns are editable; expressions, constants and unmapped fields say why not', () => {
  const e = editableFields(mapping);
  assert.equal(e.name, true);
  assert.equal(e.capacity, true);
  assert.equal(e['metadata.floor'], true);
  assert.equal(e.prices, true);
  assert.equal(e.delete, true);
  assert.deepEqual(e.location, {
    code: 'expression',
    sql: "city || ', ' || district",
    message: "location is read-only here: it is computed by the expression city || ', ' || district over public.rooms; change it in your app",
  });
  assert.deepEqual(e.kind, { code: 'constant', value: 'desk', message: 'kind is read-only here: the mapping of public.rooms sets it to the constant "desk"; change the mapping to edit it' });
  assert.equal((e['metadata.zone'] as { code: string }).code, 'constant');
  for (const f of ['description', 'images', 'active', 'currency']) {
    const r = e[f];
    assert.ok(r !== true && r.code === 'unmapped' && r.message.startsWith(`${f} is read-only here`) && r.message.includes('public.rooms'), f);
  }
});

test('without prices in the mapping, prices are read-only; pricing types follow the price columns', () => {
  const { prices: _, ...rest } = mapping;
  const e = editableFields({ ...rest });
  assert.ok(e.prices !== true && e.prices.code === 'unmapped' && /add "prices" to the mapping/.test(e.prices.message));
  assert.deepEqual(attachedPricingTypes(mapping), ['hourly', 'daily']);
  assert.deepEqual(attachedPricingTypes({ ...rest }), []);
  const rates = mappingSchema.parse({ ...mapping, prices: { table: 'app.rates', key: 'id', spaceKey: 'room_id', pricingType: 'kind', amount: 'cents', units: 'minor' } });
  assert.equal(attachedPricingTypes(rates), null);
});
