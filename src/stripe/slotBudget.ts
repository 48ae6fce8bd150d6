// The arithmetic of a request budget shared by several processes, without IO.
//
// The budget is a schedule (GCRA): `tat` is the earliest time the next request may start. A process
// leases `wanted` consecutive start times ("slots") spaced 1/rate apart; the budget moves on by as
// many. Slots belong to the process that leased them; one it does not use within `maxLateMs` of
// its time is dropped, never used later, so no request ever starts further from its slot than that
// and a process that stops (or dies) holds nothing back beyond its last lease.
// `leaseSlots` is what the database function `spacesync_lease_stripe_slots` computes.

export interface LeaseInput {
  /** The budget's state: earliest start of the next request (ms, the budget's clock). */
  tatMs: number;
  nowMs: number;
  wanted: number;
  ratePerSecond: number;
  /** Requests allowed at once after an idle time (1: none). */
  burst: number;
}

export interface Lease {
  /** The budget's new state. */
  tatMs: number;
  /** First slot's time, then one every `intervalMs`. */
  firstMs: number;
  intervalMs: number;
  count: number;
}

export function leaseSlots(input: LeaseInput): Lease {
  const { tatMs, nowMs, wanted, ratePerSecond, burst } = input;
  if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) throw new Error(`leaseSlots: ratePerSecond must be a positive number (got ${ratePerSecond})`);
  if (!Number.isInteger(wanted) || wanted < 1) throw new Error(`leaseSlots: wanted must be an integer ≥ 1 (got ${wanted})`);
  if (!Number.isInteger(burst) || burst < 1) throw new Error(`leaseSlots: burst must be an integer ≥ 1 (got ${burst})`);
  const intervalMs = 1000 / ratePerSecond;
  const firstMs = Math.max(tatMs, nowMs - (burst - 1) * intervalMs);
  return { tatMs: firstMs + wanted * intervalMs, firstMs, intervalMs, count: wanted };
}

/**
 * The database clock against the local one, as NTP does: each lease answer carries the database's
 * "now", which lies within the round trip; the sample with the shortest round trip among the recent
 * ones gives the offset (error at most half that round trip). A slow answer under load then does
 * not move every slot it carries.
 */
export class ClockOffset {
  private best: { offset: number; rtt: number; at: number } | null = null;

  /** Samples older than this are replaced by any newer one (clocks drift). */
  constructor(private readonly maxAgeMs = 10_000) {}

  /** Records one answer; `dbNowMs` on the database's clock, the others on the local one. */
  sample(dbNowMs: number, sentAt: number, receivedAt: number): void {
    const rtt = Math.max(0, receivedAt - sentAt);
    const offset = dbNowMs - (sentAt + receivedAt) / 2;
    const b = this.best;
    if (b === null || rtt <= b.rtt || receivedAt - b.at > this.maxAgeMs) this.best = { offset, rtt, at: receivedAt };
  }

  /** Database time minus local time (ms); 0 before any sample. */
  get offsetMs(): number {
    return this.best?.offset ?? 0;
  }

  /** Half the round trip of the sample in use: the offset's possible error. */
  get errorMs(): number {
    return (this.best?.rtt ?? 0) / 2;
  }
}

/** Slot times of a lease (first slot at `firstMs` on the database's clock), on the local clock. */
export function localSlotTimes(answer: { firstMs: number; intervalMs: number; count: number }, offsetMs: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < answer.count; i++) times.push(answer.firstMs - offsetMs + i * answer.intervalMs);
  return times;
}

/**
 * How many slots to ask for: enough for the requests waiting beyond the slots already held, at
 * least `min`, at most `max` (a lease longer than that would hold the budget back from others).
 */
export function leaseSize(waiting: number, held: number, limits: { min?: number; max: number }): number {
  const need = Math.max(0, waiting - held);
  if (need === 0) return 0;
  return Math.min(limits.max, Math.max(limits.min ?? 1, need));
}

/**
 * Slots held by one process, oldest first. A slot more than `maxLateMs` past its time is dropped,
 * never used later: then a start that comes late can only be one of the slots of the last
 * `maxLateMs` before a window, so late starts add at most ceil(maxLateMs × rate / 1000) to any
 * window of time, whatever the number of processes. `next(now)` drops the slots too late to use and
 * says whether the oldest one may be used now, in how long, or that none is left.
 */
export class SlotQueue {
  private times: number[] = [];
  private head = 0;
  /** Slots dropped unused (too late). */
  dropped = 0;

  constructor(readonly maxLateMs: number) {
    if (!(maxLateMs >= 0) || !Number.isFinite(maxLateMs)) throw new Error(`SlotQueue: maxLateMs must be a number ≥ 0 (got ${maxLateMs})`);
  }

  get size(): number {
    return this.times.length - this.head;
  }

  /** Adds a lease's slots (their times on the local clock). */
  add(times: readonly number[]): void {
    for (const due of times) this.times.push(due);
  }


  next(now: number): { kind: 'now' } | { kind: 'wait'; ms: number } | { kind: 'empty' } {
    while (this.head < this.times.length && now - this.times[this.head] > this.maxLateMs) {
      this.head++;
      this.dropped++;
    }
    if (this.head >= this.times.length) {
      this.compact();
      return { kind: 'empty' };
    }
    const t = this.times[this.head];
    return t <= now ? { kind: 'now' } : { kind: 'wait', ms: t - now };
  }

  /** Uses the oldest slot (after `next` said `now`); returns its time. */
  take(): number {
    const t = this.times[this.head];
    this.head++;
    this.compact();
    return t;
  }

  /** Drops every slot (the process stops). */
  clear(): void {
    this.dropped += this.size;
    this.times = [];
    this.head = 0;
  }

  private compact(): void {
    if (this.head > 64 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
}
