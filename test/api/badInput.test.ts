// What Postgres would refuse is a 400 naming the field, before the database sees it: NUL and unpaired
// surrogates in query strings and bodies, dates outside Postgres' years, absurdly nested JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../helpers/db.ts';
import { adminToken, json, testApp, validSpace } from './helpers.ts';

const db = await createTestDatabase();
const app = testApp(db.pool);
const admin = await adminToken();
const { rows: [space] } = await db.pool.query<{ id: string }>(`insert into spaces (name) values ('Bad input') returning id`);

async function refused(path: string, init: RequestInit, field: string) {
  const res = await app.request(path, init);
  const text = await res.text();
  assert.equal(res.status, 400, `${init.method ?? 'GET'} ${path}: ${res.status} ${text.slice(0, 300)}`);
  const body = JSON.parse(text) as { error: { code: string; message: string; fields?: Record<string, string> } };
  assert.equal(body.error.code, 'validation_failed');
  assert.ok(body.error.fields && field in body.error.fields, `${path} names ${field}: ${text.slice(0, 300)}`);
}

test('query strings: NUL, bad dates and out-of-range numbers are 400s naming the parameter', async () => {
  const get = json('GET', undefined, admin);
  await refused('/api/spaces?q=%00', json('GET'), 'q');
  await refused('/api/spaces?q=a%00b', get, 'q');
  await refused('/api/logs?source=%00', get, 'source');
  for (const since of ['99999', '+020000-01-01T00:00:00Z', '-000001-01-01T00:00:00Z', 'yesterday', '%00']) await refused(`/api/logs?since=${since}`, get, 'since');
  assert.equal((await app.request('/api/logs?since=2026-01-01T00:00:00Z', get)).status, 200);
  assert.equal((await app.request('/api/logs?since=0001-01-01T00:00:00Z', get)).status, 200);
  for (const limit of ['1e3', '0x10', '99999999999999999999', '-1']) await refused(`/api/spaces?limit=${limit}`, json('GET'), 'limit');
  await refused('/api/logs?before_id=99999999999999999999', get, 'before_id');
});

test('bodies: NUL and unpaired surrogates in any string or key are 400s naming the field', async () => {
  const cases: Array<[unknown, string]> = [
    [validSpace({ name: 'a\u0000b' }), 'name'],
    [validSpace({ description: '\uD800' }), 'description'],
    [validSpace({ metadata: { note: 'x\u0000' } }), 'metadata.note'],
    [validSpace({ metadata: { ['k\u0000']: 'x' } }), 'metadata.k\\u0000'],
    [validSpace({ prices: [{ pricing_type: 'hourly', unit_amount: 100, currency: 'eur', nickname: '\uDC00' }] }), 'prices.0.nickname'],
    [validSpace({ prices: [{ pricing_type: 'hourly', unit_amount: 100, currency: 'eur', position: 2 ** 31 }] }), 'prices.0.position'],
  ];
  for (const [body, field] of cases) {
    await refused('/api/spaces', json('POST', body, admin), field);
    await refused(`/api/spaces/${space.id}`, json('PATCH', body, admin), field);
  }
  const { rows } = await db.pool.query('select count(*)::int as n from spaces');
  assert.equal(rows[0].n, 1, 'nothing was written');
});

test('absurdly nested JSON is a 400, on every body-reading route', async () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  for (const [method, path] of [['POST', '/api/spaces'], ['PATCH', `/api/spaces/${space.id}`], ['POST', `/api/spaces/${space.id}/drift`], ['POST', '/api/catalog/runs'], ['POST', '/api/auth/login'], ['POST', '/api/auth/refresh']]) {
    const res = await app.request(path, json(method, deep, admin));
    assert.equal(res.status, 400, `${method} ${path}: ${res.status}`);
  }
  await refused('/api/spaces', json('POST', { ...validSpace(), metadata: { a: JSON.parse('['.repeat(40) + ']'.repeat(40)) } }, admin), 'metadata.a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0');
});
