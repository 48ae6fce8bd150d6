// The URL fragment Supabase Auth's sign-in links come back with, read into a session or an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuthRedirect } from '../../web/src/lib/authRedirect.ts';

const jwt = (claims: object) => `eyJhbGciOiJFUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;

test('a magic link’s fragment gives the token and who it is for', () => {
  const token = jwt({ sub: '00000000-0000-4000-8000-0000000000e5', email: 'renée@example.com', app_metadata: { role: 'admin', provider: 'email' }, role: 'authenticated' });
  assert.deepEqual(parseAuthRedirect(`#access_token=${token}&expires_at=1893456000&expires_in=3600&refresh_token=r3fr3sh&token_type=bearer&type=magiclink`), {
    kind: 'session',
    token,
    user: { id: '00000000-0000-4000-8000-0000000000e5', email: 'renée@example.com', role: 'admin' },
  });
  const member = parseAuthRedirect(`#access_token=${jwt({ sub: 'u1', app_metadata: {} })}&token_type=bearer`);
  assert.equal(member?.kind === 'session' && member.user.role, 'user');
});

test('an expired link says why; anything else is no sign-in at all', () => {
  assert.deepEqual(parseAuthRedirect('#error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid+or+has+expired'), { kind: 'error', message: 'Email link is invalid or has expired' });
  assert.deepEqual(parseAuthRedirect('#access_token=not-a-jwt'), { kind: 'error', message: 'the link’s access_token is not a JWT' });
  assert.equal(parseAuthRedirect(''), null);
  assert.equal(parseAuthRedirect('#/spaces'), null);
});
