// Secrets never leave: JWT secret, passwords, the webhook secret, the Stripe key and bearer tokens
// appear in no log line, no response body or header, and no application_logs row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import { createTestDatabase } from '../helpers/db.ts';
import { createPool } from '../../src/db/pool.ts';
import { createUser } from '../../src/auth/createUser.ts';
import { capturingLogger, json, testApp, testConfig, JWT_SECRET, WEBHOOK_SECRET, sign, ADMIN_ID } from './helpers.ts';

const STRIPE_KEY = 'sk_test_secretkey0123456789abcdefSECRET';
const PASSWORD = 'very-secret-password-123';

test('no secret in logs, responses or application_logs', async () => {
  const db = await createTestDatabase();
  const lines: string[] = [];
  const log = capturingLogger(lines);
  const config = testConfig({ STRIPE_SECRET_KEY: STRIPE_KEY });
  const app = testApp(db.pool, { config, log });
  await createUser(db.pool, { email: 'secret@example.com', password: PASSWORD, admin: true });
  const responses: string[] = [];
  const call = async (path: string, init?: RequestInit) => {
    const res = await app.request(path, init);
    const text = await res.text();
    responses.push(`${res.status} ${JSON.stringify([...res.headers])} ${text}`);
    return { status: res.status, text };
  };

  const login = await call('/api/auth/login', json('POST', { email: 'secret@example.com', password: PASSWORD }));
  const token = (JSON.parse(login.text) as { access_token: string }).access_token;
  assert.equal(login.status, 200);
  responses.pop(); // the login answer carries the token by design; everything else must not
  await call('/api/auth/login', json('POST', { email: 'secret@example.com', password: `${PASSWORD}x` }));
  await call('/api/auth/login', json('POST', { email: 'nobody@example.com', password: PASSWORD }));
  await call('/api/auth/me', json('GET', undefined, token));
  await call('/api/spaces', json('POST', { name: 'S', description: PASSWORD }, token)); // a user typing a "secret" as content is content
  responses.pop();
  await call('/api/spaces', json('GET', undefined, `${token}tampered`));
  await call('/api/spaces', json('GET', undefined, await sign({ sub: ADMIN_ID, role: 'authenticated' }, { secret: 'x'.repeat(40) })));
  await call('/api/config');
  await call('/healthz');
  await call('/metrics');
  await call('/api/logs', json('GET', undefined, token));

  const payload = JSON.stringify({ id: 'evt_secret_1', object: 'event', type: 'product.updated', created: Math.floor(Date.now() / 1000), data: { object: { id: 'prod_s', object: 'product' } } });
  const good = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: WEBHOOK_SECRET, cryptoProvider: Stripe.createSubtleCryptoProvider() });
  await call('/webhooks/stripe', { method: 'POST', headers: { 'stripe-signature': good }, body: payload });
  await call('/webhooks/stripe', { method: 'POST', headers: { 'stripe-signature': `${good}0` }, body: payload });

  // Our own fault: the database is gone. The error is logged, without the connection password.
  const deadPool = createPool(`postgres://app:${PASSWORD}@127.0.0.1:9/none`, { max: 1 });
  const broken = testApp(deadPool, { config, log });
  for (const path of ['/api/spaces', '/healthz']) {
    const res = await broken.request(path, json('GET', undefined, token));
    responses.push(`${res.status} ${await res.text()}`);
  }
  const res = await broken.request('/webhooks/stripe', { method: 'POST', headers: { 'stripe-signature': good }, body: payload });
  responses.push(`${res.status} ${await res.text()}`);
  await deadPool.end();

  const { rows } = await db.pool.query(`select to_jsonb(l)::text as row from application_logs l`);
  const haystacks = { logs: lines.join('\n'), responses: responses.join('\n'), application_logs: rows.map((r) => r.row).join('\n') };
  assert.ok(lines.length > 0, 'something was logged');
  for (const [where, text] of Object.entries(haystacks)) {
    for (const [name, secret] of Object.entries({ JWT_SECRET, PASSWORD, WEBHOOK_SECRET, STRIPE_KEY, token })) {
      assert.ok(!text.includes(secret), `${name} appears in ${where}`);
    }
    assert.ok(!/pbkdf2_sha256\$/.test(text), `a password hash appears in ${where}`);
  }
});
