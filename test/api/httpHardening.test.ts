// What the API says about itself on the wire: the 413 that closes its connection cleanly, the
// security headers (CSP, Permissions-Policy, no-store), no source maps, CORS from configuration only.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createTestDatabase } from '../helpers/db.ts';
import { adminToken, json, testApp, testConfig } from './helpers.ts';
import { createUser } from '../../src/auth/createUser.ts';
import { uiRoutes } from '../../src/node/serveUi.ts';

const db = await createTestDatabase();

function call(agent: Agent, port: number, method: string, path: string, body?: Buffer, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string; socket: unknown }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, agent, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(), socket: req.socket }));
    });
    req.on('error', reject);
    // A 413 may be answered before the whole body is sent: the rest is not read.
    req.on('response', () => {});
    if (body) req.end(body);
    else req.end();
  });
}

test('a 413 says Connection: close, and the client’s next request works on a new connection', async () => {
  const app = testApp(db.pool);
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => server.once('listening', () => r()));
  after(() => new Promise<void>((r) => server.close(() => r())));
  const port = (server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  after(() => agent.destroy());
  const token = await adminToken();
  const big = Buffer.from(JSON.stringify({ name: 'x', description: 'y'.repeat(1_100_000) }));
  for (let round = 0; round < 3; round++) {
    const tooLarge = await call(agent, port, 'POST', '/api/spaces', big, { 'content-type': 'application/json', authorization: `Bearer ${token}` });
    assert.equal(tooLarge.status, 413);
    assert.equal(tooLarge.headers.connection, 'close');
    assert.equal(JSON.parse(tooLarge.body).error.code, 'payload_too_large');
    const next = await call(agent, port, 'GET', '/api/spaces');
    assert.equal(next.status, 200, 'the next request on the same agent is answered');
  }
});

test('security headers: CSP, Permissions-Policy, no-store on the API and the login answer', async () => {
  const app = testApp(db.pool);
  await createUser(db.pool, { email: 'headers@example.com', password: 'headers-password', iterations: 1000 });
  const list = await app.request('/api/spaces');
  const csp = list.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self'(;|$)/, 'no inline scripts');
  assert.doesNotMatch(csp.match(/script-src[^;]*/)?.[0] ?? '', /unsafe-inline|unsafe-eval/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.match(list.headers.get('permissions-policy') ?? '', /camera=\(\).*geolocation=\(\).*microphone=\(\)/);
  assert.equal(list.headers.get('cache-control'), 'no-store');
  const login = await app.request('/api/auth/login', json('POST', { email: 'headers@example.com', password: 'headers-password' }));
  assert.equal(login.status, 200);
  assert.equal(login.headers.get('cache-control'), 'no-store');
  const refused = await app.request('/api/auth/login', json('POST', { email: 'headers@example.com', password: 'nope-nope-nope' }));
  assert.equal(refused.headers.get('cache-control'), 'no-store');
});

test('the UI is served with the CSP, and its source maps are not served at all', async () => {
  const dist = mkdtempSync(join(tmpdir(), 'spacesync-ui-'));
  after(() => rmSync(dist, { recursive: true, force: true }));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)\n//# sourceMappingURL=app.js.map');
  writeFileSync(join(dist, 'assets', 'app.js.map'), '{"version":3,"sources":["secret.tsx"]}');
  const app = testApp(db.pool);
  app.route('/', uiRoutes(dist));
  const index = await app.request('/');
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  assert.equal((await app.request('/assets/app.js')).status, 200);
  const map = await app.request('/assets/app.js.map');
  assert.equal(map.status, 404);
  assert.doesNotMatch(await map.text(), /secret\.tsx/);
});

test('CORS: only CORS_ORIGIN is allowed, never an origin taken from the request’s Host', async () => {
  const plain = testApp(db.pool);
  const spoofed = await plain.request('http://evil.example/api/spaces', { headers: { origin: 'http://evil.example', host: 'evil.example' } });
  assert.equal(spoofed.headers.get('access-control-allow-origin'), null);
  const configured = testApp(db.pool, { config: testConfig({ CORS_ORIGIN: 'https://admin.example.com' }) });
  const ok = await configured.request('http://api.example.com/api/spaces', { headers: { origin: 'https://admin.example.com' } });
  assert.equal(ok.headers.get('access-control-allow-origin'), 'https://admin.example.com');
  const other = await configured.request('http://evil.example/api/spaces', { headers: { origin: 'http://evil.example' } });
  assert.equal(other.headers.get('access-control-allow-origin'), null);
});
