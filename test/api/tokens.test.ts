// Token claims beyond the signature: audience, issuer, issue time, lifetime, shape; and revocation of
// the embedded login's tokens when their user is demoted, changed or deleted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { createTestDatabase } from '../helpers/db.ts';
import { ADMIN_ID, deepJsonText, json, JWT_SECRET, sign, signRaw, testApp, testConfig } from './helpers.ts';
import { createUser } from '../../src/auth/createUser.ts';

const db = await createTestDatabase();
const app = testApp(db.pool);
const now = Math.floor(Date.now() / 1000);
const secret = new TextEncoder().encode(JWT_SECRET);
const admin = { sub: ADMIN_ID, role: 'authenticated', app_metadata: { role: 'admin' } };

const status = async (token: string, target = app) => (await target.request('/api/spaces', json('POST', { name: 'Token check' }, token))).status;

test('admin tokens are refused unless aud is "authenticated", iat is not ahead, and the lifetime is bounded', async () => {
  const cases: Array<[string, string, number]> = [
    ['aud authenticated', await sign({ ...admin, aud: 'authenticated' }), 201],
    ['aud in a list', await sign({ ...admin, aud: ['other', 'authenticated'] }), 201],
    ['aud evil', await sign({ ...admin, aud: 'evil' }), 401],
    ['no aud', await sign({ ...admin }), 401],
    ['iat a day ahead', await new SignJWT({ ...admin, aud: 'authenticated' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(now + 86_400).setExpirationTime(now + 90_000).sign(secret), 401],
    ['iat 10 s ahead (clock skew)', await new SignJWT({ ...admin, aud: 'authenticated' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(now + 10).setExpirationTime(now + 3600).sign(secret), 201],
    ['exp in 2100', await new SignJWT({ ...admin, aud: 'authenticated' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(now).setExpirationTime(4_102_444_800).sign(secret), 401],
    ['no iat, exp in an hour', await new SignJWT({ ...admin, aud: 'authenticated' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(now + 3600).sign(secret), 401],
    ['iat long ago, exp in an hour (lifetime over a week)', await new SignJWT({ ...admin, aud: 'authenticated' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(now - 30 * 86_400).setExpirationTime(now + 3600).sign(secret), 401],
  ];
  for (const [name, token, expected] of cases) assert.equal(await status(token), expected, name);
});

test('Supabase API keys (anon, service_role: no aud, years of lifetime) still work', async () => {
  const anonKey = await new SignJWT({ iss: 'supabase', role: 'anon' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(now).setExpirationTime(now + 10 * 365 * 86_400).sign(secret);
  assert.equal((await app.request('/api/spaces', json('GET', undefined, anonKey))).status, 200);
  const serviceKey = await new SignJWT({ iss: 'supabase', role: 'service_role' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(now).setExpirationTime(now + 10 * 365 * 86_400).sign(secret);
  assert.equal(await status(serviceKey), 201);
  const evilService = await new SignJWT({ role: 'service_role', aud: 'evil' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(now).setExpirationTime(now + 3600).sign(secret);
  assert.equal(await status(evilService), 401);
});

test('JWT_ISSUER: user tokens must carry it, and the embedded login issues it', async () => {
  const issuer = 'https://example.supabase.co/auth/v1';
  const strict = testApp(db.pool, { config: testConfig({ JWT_ISSUER: issuer }) });
  assert.equal(await status(await sign({ ...admin, aud: 'authenticated', iss: issuer }), strict), 201);
  assert.equal(await status(await sign({ ...admin, aud: 'authenticated', iss: 'https://evil.example' }), strict), 401);
  assert.equal(await status(await sign({ ...admin, aud: 'authenticated' }), strict), 401);
  await createUser(db.pool, { email: 'issuer@example.com', password: 'issuer-password', admin: true, iterations: 1000 });
  const res = await strict.request('/api/auth/login', json('POST', { email: 'issuer@example.com', password: 'issuer-password' }));
  const { access_token } = (await res.json()) as { access_token: string };
  assert.equal(JSON.parse(Buffer.from(access_token.split('.')[1], 'base64url').toString()).iss, issuer);
  assert.equal(await status(access_token, strict), 201);
});

test('a validly signed token with absurd claims is a 401, never a 5xx', async () => {
  const base = `"sub":"${ADMIN_ID}","role":"authenticated","aud":"authenticated","app_metadata":{"role":"admin"},"iat":${now},"exp":${now + 3600}`;
  const cases: Array<[string, string]> = [
    ['5,000-deep claim', `{${base},"x":${deepJsonText(5000)}}`],
    ['100,000-deep claim', `{${base},"x":${deepJsonText(100_000)}}`],
    ['NUL in a claim', `{${base},"email":"a\\u0000@b.c"}`],
    ['unpaired surrogate in a claim', `{${base},"email":"a\\ud800@b.c"}`],
    ['NUL in a key', `{${base},"a\\u0000":1}`],
    ['role is an object', `{"sub":"${ADMIN_ID}","role":{"x":1},"aud":"authenticated","iat":${now},"exp":${now + 3600}}`],
  ];
  for (const [name, payload] of cases) {
    const token = await signRaw(payload);
    const list = await app.request('/api/spaces', json('GET', undefined, token));
    assert.equal(list.status, 401, `${name}: ${list.status} ${await list.text()}`);
  }
});

test('an embedded-login token stops working once its user is demoted, changed or deleted', async () => {
  const user = await createUser(db.pool, { email: 'revoked@example.com', password: 'revoked-password', admin: true, iterations: 1000 });
  const signIn = async () => {
    const res = await app.request('/api/auth/login', json('POST', { email: 'revoked@example.com', password: 'revoked-password' }));
    assert.equal(res.status, 200);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const token = await signIn();
  assert.equal(await status(token), 201);
  await db.pool.query(`update users set role = 'user' where id = $1`, [user.id]);
  assert.equal(await status(token), 401, 'demoted: the admin token is dead');
  const me = await app.request('/api/auth/me', json('GET', undefined, token));
  assert.equal(me.status, 401);
  const userToken = await signIn();
  assert.equal(await status(userToken), 403, 'signed in again: a user now');
  await db.pool.query(`update users set role = 'admin' where id = $1`, [user.id]);
  const adminAgain = await signIn();
  assert.equal(await status(adminAgain), 201);
  await db.pool.query(`update users set password_hash = password_hash || '' , email = 'renamed@example.com' where id = $1`, [user.id]);
  assert.equal(await status(adminAgain), 401, 'a new email ends the token');
  await db.pool.query(`update users set email = 'revoked@example.com' where id = $1`, [user.id]);
  const last = await signIn();
  await db.pool.query('delete from users where id = $1', [user.id]);
  assert.equal(await status(last), 401, 'deleted: the token is dead');
});
