// Idempotency keys, scoped per API key and kept 24 hours: a replay returns the stored response; other
// parameters give an idempotency_error; a concurrent request with an in-flight key gets a 409.
import { idempotencyInFlight, idempotencyMismatch, type StripeError } from './errors.ts';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** Memory bound: the oldest keys are forgotten first beyond this many. */
export const IDEMPOTENCY_MAX_KEYS = 100_000;

export interface StoredResponse {
  status: number;
  body: string;
  requestId: string;
}

interface Slot {
  fingerprint: string;
  createdAt: number;
  response: StoredResponse | null; // null while in flight
}

export type Begin =
  | { kind: 'new' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'error'; error: StripeError };

export class IdempotencyStore {
  private readonly slots = new Map<string, Slot>();

  private prune(now: number): void {
    for (const [k, slot] of this.slots) {
      const expired = now - slot.createdAt >= IDEMPOTENCY_TTL_MS;
      if (!expired && this.slots.size <= IDEMPOTENCY_MAX_KEYS) break;
      if (!expired && slot.response === null) continue; // never forget a request still in flight
      this.slots.delete(k);
    }
  }

  begin(scope: string, key: string, fingerprint: string, now = Date.now()): Begin {
    this.prune(now);
    const id = `${scope}\u0000${key}`;
    const slot = this.slots.get(id);
    if (!slot) {
      this.slots.set(id, { fingerprint, createdAt: now, response: null });
      return { kind: 'new' };
    }
    if (slot.fingerprint !== fingerprint) return { kind: 'error', error: idempotencyMismatch(key) };
    if (slot.response === null) return { kind: 'error', error: idempotencyInFlight(key) };
    return { kind: 'replay', response: slot.response };
  }

  complete(scope: string, key: string, response: StoredResponse): void {
    const slot = this.slots.get(`${scope}\u0000${key}`);
    if (slot) slot.response = response;
  }

  /** The request did not start executing (validation error, fault): nothing is kept, it may be retried. */
  abandon(scope: string, key: string): void {
    this.slots.delete(`${scope}\u0000${key}`);
  }

  clear(): void {
    this.slots.clear();
  }

  get size(): number {
    return this.slots.size;
  }
}
