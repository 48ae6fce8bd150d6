// POST /api/auth/refresh against a stand-in for Supabase Auth that follows its contract: a refresh
// token rotates, its parent handed back again gives the active one, any other reuse ends the whole
// session, a signed-out session's token is not found; the apikey is the configured anon key.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../helpers/db.ts';
import { startSupabaseGatewayStandIn } from '../supabase/supabaseGatewayStandIn.ts';
import { json, testApp, testConfig } from './helpers.ts';

const db = await createTestDatabase();
// No reuse interval: a second use of a rotated token, past being the active one's parent, is theft.
const gateway = await startSupabaseGatewayStandIn({ reuseIntervalSeconds: 0 });
after(() => gateway.stop());
const ADMIN = { id: '00000000-0000-4000-8000-00000000ad07', email: 'keeper@example.com', admin: true };

const app = testApp(db.pool, { config: testConfig({ SUPABASE_URL: gateway.url, SUPABASE_ANON_KEY: gateway.anonKey }) });
const refresh = (body: unknown, target = app) => target.request('/api/auth/refresh', json('POST', body));

interface Refreshed {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  expires_at: number;
  token_type: string;
}

test('a refresh answers a new access token and a new refresh token; the new access token is accepted', async () => {
  const signedIn = await gateway.auth.signIn(ADMIN, { expiresIn: 600 });
  const res = await refresh({ refresh_token: signedIn.refresh_token });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const body = (await res.json()) as Refreshed;
  assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_at', 'expires_in', 'refresh_token', 'token_type']);
  assert.notEqual(body.refresh_token, signedIn.refresh_token, 'rotated');
  assert.equal(body.expires_in, 600);
  assert.ok(Math.abs(body.expires_at - (Math.floor(Date.now() / 1000) + 600)) <= 2);
  const me = await app.request('/api/auth/me', json('GET', undefined, body.access_token));
  assert.equal(me.status, 200);
  assert.deepEqual(await me.json(), { id: ADMIN.id, email: ADMIN.email, role: 'admin', is_admin: true });
  const sent = gateway.requests.filter((r) => r.path === '/auth/v1/token');
  assert.ok(sent.length > 0 && sent.every((r) => r.apikey === gateway.anonKey), 'the anon key went as apikey');
});

test('the parent of the active token, sent again (an answer the client lost), gives the active token back', async () => {
  const signedIn = await gateway.auth.signIn(ADMIN);
  const first = (await (await refresh({ refresh_token: signedIn.refresh_token })).json()) as Refreshed;
  const again = await refresh({ refresh_token: signedIn.refresh_token });
  assert.equal(again.status, 200);
  assert.equal(((await again.json()) as Refreshed).refresh_token, first.refresh_token);
});

test('an older token reused ends the session: 401 session_ended, and the newest token is refused too', async () => {
  const signedIn = await gateway.auth.signIn(ADMIN);
  const first = (await (await refresh({ refresh_token: signedIn.refresh_token })).json()) as Refreshed;
  const second = (await (await refresh({ refresh_token: first.refresh_token })).json()) as Refreshed;
  const reused = await refresh({ refresh_token: signedIn.refresh_token });
  assert.equal(reused.status, 401);
  assert.deepEqual(await reused.json(), { error: { code: 'session_ended', message: 'Invalid Refresh Token: Already Used: sign in again' } });
  const newest = await refresh({ refresh_token: second.refresh_token });
  assert.equal(newest.status, 401);
  assert.match(((await newest.json()) as { error: { message: string } }).error.message, /Refresh Token Not Found/);
});

test('a signed-out session’s refresh token: 401 session_ended, saying so', async () => {
  const signedIn = await gateway.auth.signIn(ADMIN);
  gateway.auth.revokeSessions(ADMIN.id);
  const res = await refresh({ refresh_token: signedIn.refresh_token });
  assert.equal(res.status, 401);
  assert.deepEqual(await res.json(), { error: { code: 'session_ended', message: 'Invalid Refresh Token: Refresh Token Not Found: sign in again' } });
});

test('bad input names the field; without SUPABASE_URL and a key the route says what to set; a wrong key is ours to fix', async () => {
  const notJson = await refresh('not json');
  assert.equal(notJson.status, 400);
  assert.equal(((await notJson.json()) as { error: { message: string } }).error.message, 'the body is not valid JSON');
  for (const body of [{}, { refresh_token: '' }, { refresh_token: 42 }]) {
    const res = await refresh(body);
    assert.equal(res.status, 400, JSON.stringify(body));
    const error = ((await res.json()) as { error: { code: string; fields: Record<string, string> } }).error;
    assert.equal(error.code, 'validation_failed');
    assert.ok(error.fields.refresh_token);
  }
  const unconfigured = testApp(db.pool, { config: testConfig({ SUPABASE_URL: gateway.url }) });
  const off = await refresh({ refresh_token: 'abcdefghijkl' }, unconfigured);
  assert.equal(off.status, 503);
  assert.match(((await off.json()) as { error: { message: string } }).error.message, /SUPABASE_URL and SUPABASE_ANON_KEY/);
  const wrongKey = testApp(db.pool, { config: testConfig({ SUPABASE_URL: gateway.url, SUPABASE_ANON_KEY: 'not-the-key' }) });
  const signedIn = await gateway.auth.signIn(ADMIN);
  const refused = await refresh({ refresh_token: signedIn.refresh_token }, wrongKey);
  assert.equal(refused.status, 502);
  const error = ((await refused.json()) as { error: { code: string; message: string } }).error;
  assert.equal(error.code, 'auth_unavailable');
  assert.match(error.message, /SUPABASE_ANON_KEY/);
  // The session is intact: the right key still refreshes it.
  assert.equal((await refresh({ refresh_token: signedIn.refresh_token })).status, 200);
});

test('Supabase Auth unreachable: 502 auth_unavailable, not a session ended', async () => {
  const nowhere = testApp(db.pool, { config: testConfig({ SUPABASE_URL: 'http://127.0.0.1:9', SUPABASE_ANON_KEY: gateway.anonKey }) });
  const res = await refresh({ refresh_token: 'abcdefghijkl' }, nowhere);
  assert.equal(res.status, 502);
  assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'auth_unavailable');
});
