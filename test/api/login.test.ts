// The embedded login under attack: concurrent bursts of guesses, Unicode spellings of one address,
// and a flood of logins beyond the cap on concurrent password checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../helpers/db.ts';
import { json, testApp } from './helpers.ts';
import { createUser } from '../../src/auth/createUser.ts';

const db = await createTestDatabase();
const app = testApp(db.pool);

const login = (email: string, password: string) => app.request('/api/auth/login', json('POST', { email, password }));

test('30 concurrent wrong passwords: at most 5 are checked, the rest are 429 with Retry-After', async () => {
  await createUser(db.pool, { email: 'burst@example.com', password: 'the-right-password' });
  const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => login('burst@example.com', `wrong-${i}`)));
  const statuses = answers.map((r) => r.status);
  assert.equal(statuses.filter((s) => s === 401).length, 5, statuses.join(','));
  assert.equal(statuses.filter((s) => s === 429).length, 25, statuses.join(','));
  const refused = answers.find((r) => r.status === 429)!;
  assert.ok(Number(refused.headers.get('retry-after')) > 0);
});

test('29 wrong passwords and the right one in one burst: no token', async () => {
  await createUser(db.pool, { email: 'burst2@example.com', password: 'the-right-password' });
  const wrong = Array.from({ length: 29 }, (_, i) => login('burst2@example.com', `wrong-${i}`));
  // The right one leaves while the wrong ones are still being checked (PBKDF2 takes its time).
  await new Promise((r) => setTimeout(r, 20));
  const right = await login('burst2@example.com', 'the-right-password');
  const statuses = await Promise.all(wrong.map(async (p) => (await p).status));
  assert.equal(right.status, 429, `the right password in the burst answered ${right.status}`);
  assert.ok(!statuses.includes(200));
});

test('Unicode spellings of one address share its count, and none reaches another account', async () => {
  await createUser(db.pool, { email: 'victim@example.com', password: 'victim-password-1' });
  for (let i = 0; i < 5; i++) assert.equal((await login('victim@example.com', `guess-${i}`)).status, 401);
  for (const spelling of ['VICTIM@example.com', 'ｖｉｃｔｉｍ@example.com', ' Victim@Example.COM ']) {
    const res = await login(spelling, 'victim-password-1');
    assert.equal(res.status, 429, `${JSON.stringify(spelling)} counts with victim@ (answered ${res.status})`);
  }
  // U+0130 (İ) is another address: it must not sign in as victim@, however Postgres lower-cases it.
  const dotted = await login('vİctim@example.com', 'victim-password-1');
  assert.equal(dotted.status, 401, `vİctim@ answered ${dotted.status}`);
  const stored = await db.pool.query('select email from users where email like $1', ['%ctim@example.com']);
  assert.deepEqual(stored.rows.map((r) => r.email), ['victim@example.com']);
});

test('a user created with any spelling is stored canonical and signs in with every spelling of it', async () => {
  await createUser(db.pool, { email: 'ＭＩＸＥＤ.Case@Example.com', password: 'mixed-password-1', iterations: 1000 });
  const { rows } = await db.pool.query(`select email from users where email like 'mixed%'`);
  assert.deepEqual(rows, [{ email: 'mixed.case@example.com' }]);
  assert.equal((await login('Mixed.Case@EXAMPLE.com', 'mixed-password-1')).status, 200);
});

test('a flood of logins beyond the cap waits or gets 503 with Retry-After, never a 5xx of another kind', async () => {
  const flood = await Promise.all(Array.from({ length: 40 }, (_, i) => login(`flood-${i}@example.com`, 'some-password')));
  const statuses = flood.map((r) => r.status);
  assert.ok(statuses.every((s) => s === 401 || s === 503), statuses.join(','));
  const busy = flood.filter((r) => r.status === 503);
  assert.ok(busy.length >= 40 - 2 - 8, `at most 2 run and 8 wait: ${statuses.join(',')}`);
  for (const r of busy) assert.equal(r.headers.get('retry-after'), '1');
  // The API itself still answers.
  assert.equal((await app.request('/api/spaces')).status, 200);
});

test('login refuses a NUL or an unpaired surrogate in the email with 400 naming the field', async () => {
  for (const email of ['x\u0000@a.b', 'x\uD800@a.b']) {
    const res = await login(email, 'whatever-password');
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: { fields: Record<string, string> } };
    assert.ok('email' in body.error.fields, JSON.stringify(body));
  }
});
