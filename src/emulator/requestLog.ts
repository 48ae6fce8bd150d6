// The API request log served at GET /_emulator/requests (control calls and HTML pages are not logged).
export interface LoggedRequest {
  index: number;
  time: string;
  method: string;
  path: string;
  params: unknown;
  idempotencyKey: string | null;
  status: number | null;
  requestId: string;
  /** An injected fault, when one applied. */
  fault?: string;
  replayed?: boolean;
}

export const REQUEST_LOG_CAP = 50_000;

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private nextIndex = 0;

  add(entry: Omit<LoggedRequest, 'index' | 'time'>): LoggedRequest {
    const full: LoggedRequest = { index: this.nextIndex++, time: new Date().toISOString(), ...entry };
    this.entries.push(full);
    if (this.entries.length > REQUEST_LOG_CAP) this.entries.splice(0, this.entries.length - REQUEST_LOG_CAP);
    return full;
  }

  /** `since` is an index (entries with index >= since) or an ISO time (entries at or after it). */
  list(since?: string | null): LoggedRequest[] {
    if (since === undefined || since === null || since === '') return [...this.entries];
    if (/^\d+$/.test(since)) {
      const n = Number(since);
      return this.entries.filter((e) => e.index >= n);
    }
    const t = Date.parse(since);
    if (Number.isNaN(t)) return [...this.entries];
    return this.entries.filter((e) => Date.parse(e.time) >= t);
  }

  get nextIndexValue(): number {
    return this.nextIndex;
  }

  clear(): void {
    this.entries = [];
  }

  reset(): void {
    this.entries = [];
    this.nextIndex = 0;
  }
}
