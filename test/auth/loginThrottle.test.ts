import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLoginThrottle } from '../../src/auth/loginThrottle.ts';

test('the throttle opens again when the window has passed, and a success clears the count', () => {
  const t = createLoginThrottle({ maxFailures: 3, windowMs: 1000 });
  for (const at of [0, 100, 200]) t.failed('a@x.io', at);
  assert.equal(t.retryAfterMs('a@x.io', 300), 700, 'blocked until the oldest of the last 3 failures leaves the window');
  assert.equal(t.retryAfterMs('a@x.io', 1000), 0);
  t.failed('b@x.io', 0);
  t.failed('b@x.io', 1);
  t.succeeded('B@x.io');
  t.failed('b@x.io', 2);
  assert.equal(t.retryAfterMs('b@x.io', 3), 0, 'the success cleared the earlier failures');
});

test('it tracks at most maxTracked emails, forgetting the oldest', () => {
  const t = createLoginThrottle({ maxFailures: 1, windowMs: 1000, maxTracked: 2 });
  t.failed('1@x.io', 0);
  t.failed('2@x.io', 0);
  t.failed('3@x.io', 0);
  assert.equal(t.retryAfterMs('1@x.io', 1), 0, 'forgotten');
  assert.ok(t.retryAfterMs('3@x.io', 1) > 0);
});
