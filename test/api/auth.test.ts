// The auth matrix: who may call what, with HS256 tokens, JWKS-signed tokens and the embedded login.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { createTestDatabase } from '../helpers/db.ts';
import { adminToken, json, sign, testApp, testConfig, userToken, ADMIN_ID } from './helpers.ts';
import { createUser } from '../../src/auth/createUser.ts';
import { ensureAdmin } from '../../src/auth/ensureAdmin.ts';
import { hashPassword, verifyPassword } from '../../src/auth/hashPassword.ts';

const db = await createTestDatabase();

// A JWKS served from a local HTTP server, with an ES256 key made by jose.
const { publicKey, privateKey } = await generateKeyPair('ES256');
const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
const jwksServer = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ keys: [jwk] }));
});
await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
after(() => new Promise<void>((r) => jwksServer.close(() => r())));
const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/auth/v1/.well-known/jwks.json`;

const app = testApp(db.pool, { config: testConfig({ JWKS_URL: jwksUrl }) });
const { rows: [space] } = await db.pool.query(`insert into spaces (name) values ('Visible') returning id`);

const adminCreate = { name: 'By admin', prices: [] };
const tokens = {
  none: undefined,
  malformed: 'not.a.jwt',
  wrongSignature: await sign({ sub: ADMIN_ID, role: 'authenticated', app_metadata: { role: 'admin' } }, { secret: 'another-secret-0123456789-abcdefghijklmnop' }),
  expired: await sign({ sub: ADMIN_ID, role: 'authenticated', app_metadata: { role: 'admin' } }, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
  noExp: await new SignJWT({ sub: ADMIN_ID, role: 'authenticated', app_metadata: { role: 'admin' } }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('test-jwt-secret-0123456789-abcdefghijklmnopqrstuvwxyz')),
  badRole: await sign({ sub: ADMIN_ID, role: 'postgres', app_metadata: { role: 'admin' } }),
  algNone: `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: ADMIN_ID, role: 'authenticated', app_metadata: { role: 'admin' }, exp: 9999999999 })).toString('base64url')}.`,
  nonAdmin: await userToken(),
  // Admin in user_metadata (which users can set themselves on Supabase) is not admin.
  userMetadataAdmin: await sign({ sub: ADMIN_ID, role: 'authenticated', aud: 'authenticated', user_metadata: { role: 'admin' }, app_metadata: {} }),
  admin: await adminToken(),
  jwksAdmin: await new SignJWT({ sub: ADMIN_ID, role: 'authenticated', aud: 'authenticated', app_metadata: { role: 'admin' } })
    .setProtectedHeader({ alg: 'ES256', kid: 'test-key' }).setIssuedAt().setExpirationTime('1h').sign(privateKey),
  jwksWrongKey: await (async () => {
    const other = await generateKeyPair('ES256');
    return new SignJWT({ sub: ADMIN_ID, role: 'authenticated', app_metadata: { role: 'admin' } })
      .setProtectedHeader({ alg: 'ES256', kid: 'test-key' }).setIssuedAt().setExpirationTime('1h').sign(other.privateKey);
  })(),
};

// [public GET /api/spaces, admin POST /api/spaces, GET /api/auth/me]
const matrix: Record<keyof typeof tokens, [number, number, number]> = {
  none: [200, 401, 401],
  malformed: [401, 401, 401],
  wrongSignature: [401, 401, 401],
  expired: [401, 401, 401],
  noExp: [401, 401, 401],
  badRole: [401, 401, 401],
  algNone: [401, 401, 401],
  nonAdmin: [200, 403, 200],
  userMetadataAdmin: [200, 403, 200],
  admin: [200, 201, 200],
  jwksAdmin: [200, 201, 200],
  jwksWrongKey: [401, 401, 401],
};

for (const [name, [list, create, me]] of Object.entries(matrix) as Array<[keyof typeof tokens, [number, number, number]]>) {
  test(`auth matrix: ${name}`, async () => {
    const token = tokens[name];
    const r1 = await app.request('/api/spaces', json('GET', undefined, token));
    assert.equal(r1.status, list, `GET /api/spaces → ${r1.status}`);
    const r2 = await app.request('/api/spaces', json('POST', adminCreate, token));
    assert.equal(r2.status, create, `POST /api/spaces → ${r2.status} ${await r2.clone().text()}`);
    const body = (await r2.json()) as { error?: { code: string } };
    if (create === 401) {
      assert.equal(body.error?.code, 'unauthorized');
      assert.equal(r2.headers.get('www-authenticate'), 'Bearer');
    }
    if (create === 403) assert.equal(body.error?.code, 'forbidden');
    const r3 = await app.request('/api/auth/me', json('GET', undefined, token));
    assert.equal(r3.status, me);
  });
}

test('an Authorization header that is not Bearer is a 401', async () => {
  const res = await app.request('/api/spaces', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
  assert.equal(res.status, 401);
});

test('GET /api/auth/me says who the token is', async () => {
  const res = await app.request('/api/auth/me', json('GET', undefined, tokens.admin));
  assert.deepEqual(await res.json(), { id: ADMIN_ID, email: 'admin@example.com', role: 'admin', is_admin: true });
  const user = await app.request('/api/auth/me', json('GET', undefined, tokens.nonAdmin));
  assert.equal(((await user.json()) as { is_admin: boolean }).is_admin, false);
});

test('every admin route refuses a non-admin with 403 and anonymous with 401', async () => {
  const routes: Array<[string, string, unknown?]> = [
    ['POST', '/api/spaces', { name: 'x' }],
    ['PATCH', `/api/spaces/${space.id}`, { name: 'x' }],
    ['DELETE', `/api/spaces/${space.id}`],
    ['POST', `/api/spaces/${space.id}/sync`],
    ['POST', `/api/spaces/${space.id}/drift`, { action: 'enforce' }],
    ['POST', '/api/catalog/runs', { dry_run: true }],
    ['GET', `/api/catalog/runs/${space.id}`],
    ['GET', '/api/logs'],
    ['GET', '/api/stream'],
  ];
  for (const [method, path, body] of routes) {
    assert.equal((await app.request(path, json(method, body, tokens.nonAdmin))).status, 403, `${method} ${path} as user`);
    assert.equal((await app.request(path, json(method, body))).status, 401, `${method} ${path} anonymous`);
  }
});

test('passwords are PBKDF2-SHA256 with 600,000 iterations and a 16-byte salt', async () => {
  const hash = await hashPassword('correct horse battery');
  const [scheme, iterations, salt, digest] = hash.split('$');
  assert.equal(scheme, 'pbkdf2_sha256');
  assert.equal(Number(iterations), 600_000);
  assert.equal(Buffer.from(salt, 'base64url').length, 16);
  assert.equal(Buffer.from(digest, 'base64url').length, 32);
  assert.notEqual(hash, await hashPassword('correct horse battery'), 'a fresh salt every time');
  assert.equal(await verifyPassword('correct horse battery', hash), true);
  assert.equal(await verifyPassword('correct horse batterx', hash), false);
  assert.equal(await verifyPassword('x', 'md5$abc'), false);
});

test('embedded login issues a Supabase-shaped token that the API accepts', async () => {
  await createUser(db.pool, { email: 'Login@Example.com', password: 'a-long-password', admin: true });
  const res = await app.request('/api/auth/login', json('POST', { email: 'login@example.com', password: 'a-long-password' }));
  assert.equal(res.status, 200);
  const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number; user: { role: string; email: string } };
  assert.equal(body.token_type, 'bearer');
  assert.equal(body.expires_in, 12 * 3600);
  assert.equal(body.user.role, 'admin');
  const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1], 'base64url').toString());
  assert.equal(claims.role, 'authenticated');
  assert.equal(claims.aud, 'authenticated');
  assert.equal(claims.app_metadata.role, 'admin');
  assert.equal(claims.exp - claims.iat, 12 * 3600);
  const me = await app.request('/api/auth/me', json('GET', undefined, body.access_token));
  assert.equal(((await me.json()) as { is_admin: boolean }).is_admin, true);
  const create = await app.request('/api/spaces', json('POST', { name: 'Via login' }, body.access_token));
  assert.equal(create.status, 201);
});

test('login answers the same 401 for an unknown email and a wrong password', async () => {
  const wrong = await app.request('/api/auth/login', json('POST', { email: 'login@example.com', password: 'not-the-password' }));
  const unknown = await app.request('/api/auth/login', json('POST', { email: 'nobody@example.com', password: 'not-the-password' }));
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  assert.deepEqual(await wrong.json(), await unknown.json());
  const bad = await app.request('/api/auth/login', json('POST', { email: 'x' }));
  assert.equal(bad.status, 400);
});

test('ensureAdmin creates one admin once, with a generated password when none is configured', async () => {
  const fresh = await createTestDatabase();
  const first = await ensureAdmin(fresh.pool, {});
  assert.ok(first?.password && first.password.length >= 20);
  assert.equal(first.email, 'admin@spacesync.local');
  assert.equal(await ensureAdmin(fresh.pool, {}), null);
  const freshApp = testApp(fresh.pool);
  const res = await freshApp.request('/api/auth/login', json('POST', { email: first.email, password: first.password }));
  assert.equal(res.status, 200);
  const other = await createTestDatabase();
  assert.deepEqual(await ensureAdmin(other.pool, { adminEmail: 'boss@example.com', adminPassword: 'configured-password' }), { email: 'boss@example.com' });
});

test('login: after 5 wrong passwords an email is refused with 429 and Retry-After; other emails are not', async () => {
  await createUser(db.pool, { email: 'guessed@example.com', password: 'the-right-password' });
  const throttled = testApp(db.pool);
  for (let i = 0; i < 5; i++) {
    const wrong = await throttled.request('/api/auth/login', json('POST', { email: 'guessed@example.com', password: `guess-${i}` }));
    assert.equal(wrong.status, 401);
  }
  const blocked = await throttled.request('/api/auth/login', json('POST', { email: 'Guessed@Example.com', password: 'the-right-password' }));
  assert.equal(blocked.status, 429, 'even the right password waits, whatever the email’s case');
  const retryAfter = Number(blocked.headers.get('retry-after'));
  assert.ok(retryAfter > 0 && retryAfter <= 15 * 60, `Retry-After: ${retryAfter}`);
  assert.equal((await blocked.json()).error.code, 'too_many_requests');
  const other = await throttled.request('/api/auth/login', json('POST', { email: 'login@example.com', password: 'a-long-password' }));
  assert.equal(other.status, 200, 'another email signs in');
});
