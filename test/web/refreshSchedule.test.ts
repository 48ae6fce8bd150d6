// When the UI renews a session, and what a tab does when it comes to renew one another tab may
// already have renewed (refresh tokens rotate: only one tab may spend each).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_MARGIN_MS, refreshDelay, refreshMargin, renewStep, retryDelay, sessionTimes, type StoredSessionView } from '../../web/src/lib/refreshSchedule.ts';

const now = 1_700_000_000_000;

test('an hour’s token is renewed a minute before it expires; a short one a quarter of its life before', () => {
  assert.equal(refreshMargin(3_600_000), MAX_MARGIN_MS);
  assert.equal(refreshDelay({ expiresAt: now + 3_600_000, lifetime: 3_600_000 }, now), 3_540_000);
  assert.equal(refreshDelay({ expiresAt: now + 4_000, lifetime: 4_000 }, now), 3_000);
  assert.equal(refreshDelay({ expiresAt: now + 120_000, lifetime: 120_000 }, now), 90_000);
  // Reopened after the renewal was due (a laptop asleep, a tab reloaded the next day): at once.
  assert.equal(refreshDelay({ expiresAt: now - 10_000, lifetime: 3_600_000 }, now), 0);
  assert.equal(refreshDelay({ expiresAt: now + 30_000, lifetime: 3_600_000 }, now), 0);
});

test('expiry is counted from expires_in on this clock, else expires_at or exp', () => {
  assert.deepEqual(sessionTimes({ expiresIn: 3600, expiresAt: 1 }, now), { expiresAt: now + 3_600_000, lifetime: 3_600_000 });
  assert.deepEqual(sessionTimes({ expiresAt: 1_700_000_060, iat: 1_699_999_940 }, now), { expiresAt: 1_700_000_060_000, lifetime: 120_000 });
  assert.deepEqual(sessionTimes({ exp: 1_700_000_060 }, now), { expiresAt: 1_700_000_060_000, lifetime: 60_000 });
  assert.equal(sessionTimes({ expiresIn: 0 }, now), null);
  assert.equal(sessionTimes({}, now), null);
});

test('a renewal that failed for now is tried again after 5 s, 10 s, 20 s… never more than a minute apart', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 10].map(retryDelay), [5_000, 10_000, 20_000, 40_000, 60_000, 60_000]);
});

test('under the lock: refresh with the stored token, adopt what another tab stored, or stop', () => {
  const due: StoredSessionView = { token: 'access-1', refreshToken: 'refresh-1', times: { expiresAt: now + 10_000, lifetime: 3_600_000 } };
  const fresh: StoredSessionView = { token: 'access-2', refreshToken: 'refresh-2', times: { expiresAt: now + 3_600_000, lifetime: 3_600_000 } };
  // The timer: renew what is due; a session another tab renewed meanwhile is not due any more.
  assert.deepEqual(renewStep(due, null, now), { kind: 'refresh', refreshToken: 'refresh-1' });
  assert.deepEqual(renewStep(fresh, null, now), { kind: 'adopt' });
  // A 401 to access-1: another tab already holds a newer token, else refresh now, due or not.
  assert.deepEqual(renewStep(fresh, 'access-1', now), { kind: 'adopt' });
  assert.deepEqual(renewStep(fresh, 'access-2', now), { kind: 'refresh', refreshToken: 'refresh-2' });
  assert.deepEqual(renewStep(null, 'access-1', now), { kind: 'signed-out' });
  assert.deepEqual(renewStep({ token: 'embedded', refreshToken: null, times: null }, 'embedded', now), { kind: 'cannot' });
  assert.deepEqual(renewStep({ token: 'embedded', refreshToken: null, times: { expiresAt: now, lifetime: 43_200_000 } }, null, now), { kind: 'cannot' });
});
