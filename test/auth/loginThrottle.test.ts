// The pure parts of the login defences: the wait after too many attempts, the canonical email, and
// the cap on concurrent password checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalEmail } from '../../src/auth/canonicalEmail.ts';
import { retryAfterMs } from '../../src/auth/loginThrottle.ts';
import { createPasswordCheckLimiter, PasswordChecksBusyError } from '../../src/auth/passwordCheckLimiter.ts';

test('the attempt after the last allowed one waits until its window ends', () => {
  assert.equal(retryAfterMs(5, 0, 300, 5, 1000), 0, 'the 5th attempt may go on');
  assert.equal(retryAfterMs(6, 0, 300, 5, 10_000), 9700);
  assert.equal(retryAfterMs(6, 0, 999, 5, 1000), 1000, 'never less than a second');
});

test('canonicalEmail: one form for every spelling of an address, and stable', () => {
  assert.equal(canonicalEmail('  Victim@Example.COM '), 'victim@example.com');
  assert.equal(canonicalEmail('ｖｉｃｔｉｍ@example.com'), 'victim@example.com', 'full-width letters');
  assert.equal(canonicalEmail('\u212Aate@example.com'), 'kate@example.com', 'the Kelvin sign is a K');
  // U+0130 lower-cases to i + U+0307: another address than victim@, and the same one however it is cased.
  assert.equal(canonicalEmail('vİctim@example.com'), canonicalEmail('vi\u0307ctim@example.com'));
  assert.notEqual(canonicalEmail('vİctim@example.com'), 'victim@example.com');
  fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => canonicalEmail(canonicalEmail(s)) === canonicalEmail(s)), { seed: 11, numRuns: 2000 });
});

test('the password check limiter runs at most `concurrency` at once, queues `queue` more, refuses the rest', async () => {
  const limiter = createPasswordCheckLimiter({ concurrency: 2, queue: 3 });
  let running = 0;
  let peak = 0;
  const releases: Array<() => void> = [];
  const job = () =>
    limiter.run(async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise<void>((r) => releases.push(r));
      running--;
      return 'ok';
    });
  const results = Array.from({ length: 8 }, () => job().then((v) => v, (e: unknown) => e));
  await new Promise((r) => setImmediate(r));
  assert.equal(limiter.running, 2);
  assert.equal(limiter.waiting, 3);
  while (releases.length || limiter.running) {
    releases.shift()?.();
    await new Promise((r) => setImmediate(r));
  }
  const settled = await Promise.all(results);
  assert.equal(settled.filter((v) => v === 'ok').length, 5);
  assert.equal(settled.filter((v) => v instanceof PasswordChecksBusyError).length, 3);
  assert.equal(peak, 2);
  assert.equal(limiter.running, 0);
});
