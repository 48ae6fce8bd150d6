// An id-keyed collection kept in insertion order: O(1) lookup, O(limit) newest-first pages,
// O(log n) cursor positioning (entries carry a monotonic sequence number).
export interface Entry<T> {
  seq: number;
  obj: T;
  /** ms timestamp of the last write; search only sees objects once they are old enough. */
  writtenAt: number;
}

export class Collection<T extends { id: string }> {
  private readonly byId = new Map<string, Entry<T>>();
  /** Ascending by seq (oldest first). */
  private readonly order: Entry<T>[] = [];
  private nextSeq = 1;
  private readonly cap: number;

  constructor(cap = Infinity) {
    this.cap = cap;
  }

  get size(): number {
    return this.order.length;
  }

  get(id: string): T | undefined {
    return this.byId.get(id)?.obj;
  }

  entry(id: string): Entry<T> | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Appends a new object; drops the oldest when over capacity. */
  insert(obj: T, now = Date.now()): void {
    const entry: Entry<T> = { seq: this.nextSeq++, obj, writtenAt: now };
    this.byId.set(obj.id, entry);
    this.order.push(entry);
    if (this.order.length > this.cap) {
      const dropped = this.order.shift();
      if (dropped) this.byId.delete(dropped.obj.id);
    }
  }

  /** Replaces an object in place (same position); objects themselves are treated as immutable. */
  replace(obj: T, now = Date.now()): void {
    const entry = this.byId.get(obj.id);
    if (!entry) throw new Error(`replace of unknown id ${obj.id}`);
    entry.obj = obj;
    entry.writtenAt = now;
  }

  remove(id: string): T | undefined {
    const entry = this.byId.get(id);
    if (!entry) return undefined;
    this.byId.delete(id);
    const i = this.indexOfSeq(entry.seq);
    if (i >= 0) this.order.splice(i, 1);
    return entry.obj;
  }

  clear(): void {
    this.byId.clear();
    this.order.length = 0;
  }

  /** Index in `order` of the entry with this seq, or -1. */
  indexOfSeq(seq: number): number {
    let lo = 0;
    let hi = this.order.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.order[mid].seq;
      if (s === seq) return mid;
      if (s < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Index of the first entry whose seq is > seq (used by search cursors that may point at removed entries). */
  upperBound(seq: number): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.order[mid].seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  at(index: number): Entry<T> | undefined {
    return this.order[index];
  }

  /** Oldest first, a snapshot. */
  values(): T[] {
    return this.order.map((e) => e.obj);
  }
}
