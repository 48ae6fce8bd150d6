// The shared budget's arithmetic, without a database: leases, slot times, lateness, batch sizes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClockOffset, leaseSize, leaseSlots, localSlotTimes, SlotQueue } from '../../src/stripe/slotBudget.ts';

test('a lease from an idle budget starts now and moves the budget on by its slots', () => {
  const l = leaseSlots({ tatMs: 0, nowMs: 10_000, wanted: 4, ratePerSecond: 100, burst: 1 });
  assert.equal(l.firstMs, 10_000);
  assert.equal(l.intervalMs, 10);
  assert.equal(l.tatMs, 10_040);
  assert.equal(l.count, 4);
});

test('leases taken back to back by several processes never share a slot and hold the rate', () => {
  // Three processes asking in turn, faster than the rate: every slot is 1/rate after the one before.
  let tat = 0;
  const starts: number[] = [];
  let now = 1_000;
  for (let i = 0; i < 300; i++) {
    const l = leaseSlots({ tatMs: tat, nowMs: now, wanted: 1 + (i % 5), ratePerSecond: 97, burst: 1 });
    tat = l.tatMs;
    for (let k = 0; k < l.count; k++) starts.push(l.firstMs + k * l.intervalMs);
    now += 3; // asks come every 3 ms, slots are 10.3 ms apart: the budget runs ahead of the clock
  }
  for (let i = 1; i < starts.length; i++) assert.ok(Math.abs(starts[i] - starts[i - 1] - 1000 / 97) < 1e-6, `slot ${i} spaced 1/rate`);
  // In any one-second window: at most ceil(rate) starts.
  let j = 0;
  let best = 0;
  for (let i = 0; i < starts.length; i++) {
    while (starts[i] - starts[j] >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  assert.ok(best <= 98, `at most 98 starts in a second at 97/s (got ${best})`);
});

test('after an idle time the burst opens (burst - 1) slots in the past, never more', () => {
  const l = leaseSlots({ tatMs: 5_000, nowMs: 10_000, wanted: 3, ratePerSecond: 100, burst: 3 });
  assert.equal(l.firstMs, 10_000 - 20);
  const busy = leaseSlots({ tatMs: 10_050, nowMs: 10_000, wanted: 1, ratePerSecond: 100, burst: 3 });
  assert.equal(busy.firstMs, 10_050, 'a busy budget gives no burst');
});

test('bad arguments are refused with the argument named', () => {
  assert.throws(() => leaseSlots({ tatMs: 0, nowMs: 0, wanted: 0, ratePerSecond: 10, burst: 1 }), /wanted/);
  assert.throws(() => leaseSlots({ tatMs: 0, nowMs: 0, wanted: 1, ratePerSecond: 0, burst: 1 }), /ratePerSecond/);
  assert.throws(() => leaseSlots({ tatMs: 0, nowMs: 0, wanted: 1, ratePerSecond: 10, burst: 0 }), /burst/);
});

test('the clock offset comes from the answer with the shortest round trip', () => {
  const c = new ClockOffset(10_000);
  assert.equal(c.offsetMs, 0);
  // The database is 1,000 ms ahead. A 2 ms round trip: its "now" is within 1 ms of the middle.
  c.sample(1_101, 100, 102);
  assert.equal(c.offsetMs, 1_000);
  assert.equal(c.errorMs, 1);
  // A slow answer (40 ms, the database answered early in it) does not move the offset...
  c.sample(1_205, 200, 240);
  assert.equal(c.offsetMs, 1_000);
  // ...a quicker one does, and past maxAge any newer sample replaces an old one.
  c.sample(1_300.5, 300, 301);
  assert.equal(c.offsetMs, 1_000);
  assert.equal(c.errorMs, 0.5);
  c.sample(320_100, 20_000, 20_100);
  assert.equal(c.offsetMs, 300_050);
});

test('slot times are moved to the local clock by the offset', () => {
  assert.deepEqual(localSlotTimes({ firstMs: 5_000, intervalMs: 10, count: 3 }, 1_000), [4_000, 4_010, 4_020]);
});

test('lease size: what is waiting beyond the slots held, within the batch limit', () => {
  assert.equal(leaseSize(0, 0, { max: 4 }), 0);
  assert.equal(leaseSize(3, 3, { max: 4 }), 0);
  assert.equal(leaseSize(2, 0, { max: 4 }), 2);
  assert.equal(leaseSize(12, 1, { max: 4 }), 4);
  assert.equal(leaseSize(1, 0, { min: 2, max: 4 }), 2);
});

test('the slot queue serves slots in order, waits for future ones and drops those too late', () => {
  const q = new SlotQueue(20);
  q.add([100, 140, 180, 220]);
  assert.deepEqual(q.next(95), { kind: 'wait', ms: 5 });
  assert.deepEqual(q.next(100), { kind: 'now' });
  assert.equal(q.take(), 100);
  // 140 is 15 ms late: still usable. 180 and 220 at 250 are 70 and 30 ms late: dropped.
  assert.deepEqual(q.next(155), { kind: 'now' });
  assert.equal(q.take(), 140);
  assert.deepEqual(q.next(250), { kind: 'empty' });
  assert.equal(q.dropped, 2);
  assert.equal(q.size, 0);
});

test('a slot past due by more than maxLate when its lease arrives is dropped, never moved later', () => {
  const q = new SlotQueue(5);
  q.add([50, 98]);
  assert.deepEqual(q.next(100), { kind: 'now' });
  assert.equal(q.take(), 98);
  assert.equal(q.dropped, 1);
  assert.throws(() => new SlotQueue(-1), /maxLateMs/);
});

test('slots used at most one or two intervals late add at most one or two starts to any second, however late processes are', () => {
  // Three processes share slots 1/97 s apart (batches of 4, in turn), each held up at random by up
  // to six intervals. Counted at start, no window holds more than 97 + 1 (97 + 2 when slots may be used
  // two intervals late); letting slots be used six intervals late instead gives windows of 103.
  const interval = 1000 / 97;
  const run = (maxLateMs: number) => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const starts: number[] = [];
    for (let p = 0; p < 3; p++) {
      const q = new SlotQueue(maxLateMs);
      const own: number[] = [];
      for (let b = p; b < 3000 / 4; b += 3) for (let k = 0; k < 4; k++) own.push((b * 4 + k) * interval);
      q.add(own);
      let now = 0;
      for (;;) {
        const n = q.next(now);
        if (n.kind === 'empty') break;
        if (n.kind === 'wait') now += n.ms + (random() < 0.2 ? random() * 6 * interval : 0);
        else {
          q.take();
          starts.push(now);
        }
      }
    }
    starts.sort((x, y) => x - y);
    let j = 0;
    let best = 0;
    for (let i = 0; i < starts.length; i++) {
      while (starts[i] - starts[j] >= 1000) j++;
      best = Math.max(best, i - j + 1);
    }
    return { best, used: starts.length };
  };
  const strict = run(interval);
  assert.ok(strict.best <= 98, `at most 97 + 1 in any second (got ${strict.best})`);
  assert.ok(strict.used > 2000, `most slots used (${strict.used} of 3000)`);
  assert.ok(run(2 * interval).best <= 99, 'at most 97 + 2 with two intervals');
  assert.ok(run(6 * interval).best > 100, 'slots used later bunch past the limit');
});

test('clear drops every held slot', () => {
  const q = new SlotQueue(10);
  q.add([1, 2, 3]);
  q.clear();
  assert.equal(q.size, 0);
  assert.equal(q.dropped, 3);
});

test('limiters sharing one budget (kept in memory here) hold its rate together, and drop slots they are too late for', async () => {
  const { createSharedRateLimiter } = await import('../../src/stripe/sharedRateLimiter.ts');
  const rate = 50;
  let tat = 0;
  const clock = () => performance.timeOrigin + performance.now();
  const lease = async (wanted: number) => {
    await new Promise((r) => setTimeout(r, 1)); // a round trip
    const nowMs = clock();
    const l = leaseSlots({ tatMs: tat, nowMs, wanted, ratePerSecond: rate, burst: 1 });
    tat = l.tatMs;
    return { nowMs, firstMs: l.firstMs, intervalMs: l.intervalMs, count: l.count };
  };
  const limiters = [0, 1, 2].map(() => createSharedRateLimiter({ ratePerSecond: rate, lease }));
  const times: number[] = [];
  const started = performance.now();
  await Promise.all(limiters.flatMap((l) => Array.from({ length: 25 }, () => l.acquire().then(() => times.push(performance.now())))));
  const elapsed = performance.now() - started;
  assert.ok(elapsed >= 1400, `75 requests at 50/s together take about 1.5 s (took ${Math.round(elapsed)} ms)`);
  times.sort((a, b) => a - b);
  let j = 0;
  let best = 0;
  for (let i = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  assert.ok(best <= rate + 3, `at most rate + 3 in any second (got ${best})`);

  // A process that holds slots and then blocks its event loop for 200 ms drops them rather than
  // sending late: the next request waits for a new lease. (Leases of 8 here: slots are still held
  // when the loop blocks, even if a busy machine delayed the first ones.)
  const l = createSharedRateLimiter({ ratePerSecond: rate, lease, maxBatch: 8 });
  limiters.push(l);
  const waiters = Array.from({ length: 8 }, () => l.acquire());
  await waiters[0];
  const until = performance.now() + 200;
  while (performance.now() < until) {
    // blocked
  }
  await Promise.all(waiters);
  assert.ok(l.stats.dropped > 0, 'the slots it was too late for were dropped');
  await Promise.all(limiters.map((x) => x.close()));
  await assert.rejects(l.acquire(), /closed/);
});

test('leases that come back after their slots (an idle budget, a slow database) ask for more until one is in time', { timeout: 10_000 }, async () => {
  const { createSharedRateLimiter } = await import('../../src/stripe/sharedRateLimiter.ts');
  const rate = 100; // 10 ms a slot, dropped 10 ms late; each lease takes 35 ms to come back
  let tat = 0;
  const asked: number[] = [];
  const clock = () => performance.timeOrigin + performance.now();
  const l = createSharedRateLimiter({
    ratePerSecond: rate,
    lease: async (wanted) => {
      asked.push(wanted);
      const nowMs = clock();
      const r = leaseSlots({ tatMs: tat, nowMs, wanted, ratePerSecond: rate, burst: 1 });
      tat = r.tatMs;
      await new Promise((resolve) => setTimeout(resolve, 35));
      return { nowMs, firstMs: r.firstMs, intervalMs: r.intervalMs, count: r.count };
    },
  });
  try {
    const started = performance.now();
    await l.acquire();
    assert.ok(performance.now() - started < 2_000, `admitted (after ${Math.round(performance.now() - started)} ms)`);
    assert.ok(asked.length >= 2, `the first lease came back too late (${asked.join(', ')})`);
    assert.ok(asked.at(-1)! > asked[0], `later leases asked for more slots (${asked.join(', ')})`);
  } finally {
    await l.close();
  }
});
