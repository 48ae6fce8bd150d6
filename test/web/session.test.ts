// The session as the UI keeps it in localStorage: the refresh token and expiry belong to the access
// token they came with, sign-out forgets them all, and a session that ended by itself leaves its
// reason for the login page. Run with the page's storage stood in by a Map (the module reads it when loaded).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';

const storage = new Map<string, string>();
let session: typeof import('../../web/src/lib/session.ts');

before(async () => {
  Object.assign(globalThis, {
    localStorage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v), removeItem: (k: string) => void storage.delete(k) },
    window: new EventTarget(),
  });
  session = await import('../../web/src/lib/session.ts');
});

const user = { id: 'u1', email: 'renee@example.com', role: 'admin' };
const times = { expiresAt: 1_700_000_000_000, lifetime: 3_600_000 };

test('a Supabase session is stored whole; the refresh token counts only beside its own access token', () => {
  session.signIn({ token: 'access-1', user, refreshToken: 'refresh-1', times });
  assert.deepEqual(session.readStoredSession(), { token: 'access-1', user, refreshToken: 'refresh-1', times });
  assert.equal(session.getToken(), 'access-1');
  // Another writer changed the access token alone (the embedded login's form, an older tab): no refresh token for it.
  storage.set('spacesync.token', 'access-other');
  assert.deepEqual(session.readStoredSession(), { token: 'access-other', user, refreshToken: null, times: null });
});

test('a renewal replaces the tokens; adopting takes what storage holds now', () => {
  session.signIn({ token: 'access-1', user, refreshToken: 'refresh-1', times });
  session.replaceSession({ token: 'access-2', user, refreshToken: 'refresh-2', times: { ...times, expiresAt: times.expiresAt + 3_600_000 } });
  assert.equal(session.readStoredSession()?.refreshToken, 'refresh-2');
  storage.set('spacesync.session', JSON.stringify({ access_token: 'access-3', refresh_token: 'refresh-3', expires_at: 1, lifetime: 2 }));
  storage.set('spacesync.token', 'access-3');
  assert.equal(session.getToken(), 'access-2', 'held until adopted');
  assert.deepEqual(session.adoptStoredSession(), { token: 'access-3', user, refreshToken: 'refresh-3', times: { expiresAt: 1, lifetime: 2 } });
  assert.equal(session.getToken(), 'access-3');
});

test('sign-out forgets the refresh token with the access token; only a session that ended by itself leaves a reason', () => {
  session.signIn({ token: 'access-1', user, refreshToken: 'refresh-1', times });
  session.signOut('Invalid Refresh Token: Refresh Token Not Found');
  assert.deepEqual([...storage.keys()], ['spacesync.session-ended']);
  assert.equal(session.getSession(), null);
  assert.equal(session.sessionEndedReason(), 'Invalid Refresh Token: Refresh Token Not Found');
  session.signIn({ token: 'access-4', user, refreshToken: 'refresh-4', times });
  assert.equal(session.sessionEndedReason(), null, 'a new sign-in clears it');
  session.signOut();
  assert.deepEqual([...storage.keys()], []);
  assert.equal(session.sessionEndedReason(), null);
});

test('another tab’s change arrives through the storage event', () => {
  session.signIn({ token: 'access-1', user, refreshToken: 'refresh-1', times });
  let changes = 0;
  const stop = session.onSessionChange(() => changes++);
  storage.delete('spacesync.token');
  const event = new Event('storage') as Event & { key: string };
  event.key = 'spacesync.token';
  (globalThis as unknown as { window: EventTarget }).window.dispatchEvent(event);
  stop();
  assert.equal(changes, 1);
  assert.equal(session.getSession(), null);
});
