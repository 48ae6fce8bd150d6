// The URL fragment Supabase Auth's sign-in links come back with, read into a session or an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuthRedirect } from '../../web/src/lib/authRedirect.ts';

const jwt = (claims: object) => `eyJhbGciOiJFUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;

test('a magic link’s fragment gives the token and who it is for', () => {
  const token = jwt({ sub: '00000000-0000-4000-8000-0000000000e5', email: 'renée@example.com', app_metadata: { role: 'admin', provider: 'email' }, role: 'authenticated' });
  const now = 1_700_000_000_000;
  assert.deepEqual(parseAuthRedirect(`#access_token=${token}&expires_at=1893456000&expires_in=3600&refresh_token=r3fr3sh&token_type=bearer&type=magiclink`, now), {
    kind: 'session',
    token,
    user: { id: '00000000-0000-4000-8000-0000000000e5', email: 'renée@example.com', role: 'admin' },
    refreshToken: 'r3fr3sh',
    // expires_in counted on this machine's clock, whatever expires_at says (another machine's clock).
    times: { expiresAt: now + 3_600_000, lifetime: 3_600_000 },
  });
  const member = parseAuthRedirect(`#access_token=${jwt({ sub: 'u1', app_metadata: {} })}&token_type=bearer`);
  assert.equal(member?.kind === 'session' && member.user.role, 'user');
  assert.equal(member?.kind === 'session' && member.refreshToken, null, 'no refresh token: the session is not renewed');
});

test('without expires_in, the expiry comes from expires_at, else from the token’s exp and iat', () => {
  const now = 1_700_000_000_000;
  const token = jwt({ sub: 'u1', iat: 1_700_000_000, exp: 1_700_000_600 });
  const fromExpiresAt = parseAuthRedirect(`#access_token=${token}&expires_at=1700000300&refresh_token=abc`, now);
  assert.deepEqual(fromExpiresAt?.kind === 'session' && fromExpiresAt.times, { expiresAt: 1_700_000_300_000, lifetime: 300_000 });
  const fromClaims = parseAuthRedirect(`#access_token=${token}&refresh_token=abc`, now);
  assert.deepEqual(fromClaims?.kind === 'session' && fromClaims.times, { expiresAt: 1_700_000_600_000, lifetime: 600_000 });
  const unknown = parseAuthRedirect(`#access_token=${jwt({ sub: 'u1' })}&expires_in=soon`, now);
  assert.equal(unknown?.kind === 'session' && unknown.times, null);
});

test('an expired link says why; anything else is no sign-in at all', () => {
  assert.deepEqual(parseAuthRedirect('#error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid+or+has+expired'), { kind: 'error', message: 'Email link is invalid or has expired' });
  assert.deepEqual(parseAuthRedirect('#access_token=not-a-jwt'), { kind: 'error', message: 'the link’s access_token is not a JWT' });
  assert.equal(parseAuthRedirect(''), null);
  assert.equal(parseAuthRedirect('#/spaces'), null);
});
