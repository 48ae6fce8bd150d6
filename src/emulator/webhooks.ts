// Webhook delivery: signed like Stripe (`Stripe-Signature: t=<unix>,v1=<hmac-sha256 hex of "t.payload">`),
// asynchronous (never delays the API response), retried with exponential backoff, and optionally
// shuffled (random order and duplicates, from a seeded PRNG).
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { WebhookShuffle } from './faults.ts';
import { deriveSeed, mulberry32, type Rng } from './prng.ts';
import type { Store } from './store.ts';
import { nowSeconds, type StripeEvent, type WebhookEndpoint } from './types.ts';
import { endpointWants } from './webhookEndpoints.ts';

export function signPayload(payload: string, secret: string, timestamp = nowSeconds()): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

export interface WebhookRetry {
  maxAttempts?: number;
  baseDelayMs?: number;
}

export interface DeliveryRecord {
  time: string;
  eventId: string;
  eventType: string;
  endpointId: string;
  url: string;
  attempt: number;
  duplicate: boolean;
  status: number | null;
  error?: string;
}

interface Job {
  event: StripeEvent;
  endpoint: WebhookEndpoint;
  delivered: boolean;
}

const DELIVERY_LOG_CAP = 10_000;
const ATTEMPT_TIMEOUT_MS = 10_000;

export class WebhookDispatcher {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inflight = new Set<http.ClientRequest>();
  private rng: Rng;
  readonly log: DeliveryRecord[] = [];
  maxAttempts: number;
  baseDelayMs: number;
  shuffle: WebhookShuffle | null = null;
  /** Added to the signature timestamp: e.g. -400 signs as if the delivery were sent 400 s ago (stale). */
  clockSkewSeconds = 0;
  private stopped = false;
  /** Bumped by cancelAll(): callbacks of older deliveries become no-ops. */
  private generation = 0;

  constructor(
    private readonly store: Store,
    retry: WebhookRetry = {},
    seed = 1,
  ) {
    this.maxAttempts = Math.max(1, retry.maxAttempts ?? 3);
    this.baseDelayMs = Math.max(0, retry.baseDelayMs ?? 100);
    this.rng = mulberry32(deriveSeed(seed, 1));
  }

  reseed(seed: number): void {
    this.rng = mulberry32(deriveSeed(seed, 1));
  }

  /** The event log's subscriber: schedules deliveries, returns how many endpoints will get the event. */
  readonly onEvent = (event: StripeEvent): number => {
    if (this.stopped) return 0;
    let n = 0;
    for (const endpoint of this.store.webhookEndpoints.values()) {
      if (!endpointWants(endpoint, event.type)) continue;
      n++;
      const job: Job = { event, endpoint, delivered: false };
      if (this.shuffle) {
        const max = this.shuffle.maxDelayMs ?? 50;
        this.later(Math.floor(this.rng() * max), () => this.attempt(job, 1, false));
        if (this.rng() < (this.shuffle.duplicateRate ?? 0.3)) {
          this.later(Math.floor(this.rng() * max), () => this.attempt(job, 1, true));
        }
      } else {
        this.later(0, () => this.attempt(job, 1, false));
      }
    }
    return n;
  };

  private later(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private record(r: Omit<DeliveryRecord, 'time'>): void {
    this.log.push({ time: new Date().toISOString(), ...r });
    if (this.log.length > DELIVERY_LOG_CAP) this.log.splice(0, this.log.length - DELIVERY_LOG_CAP);
  }

  private attempt(job: Job, attempt: number, duplicate: boolean): void {
    if (this.stopped) return;
    const payload = JSON.stringify(job.event, null, 2);
    const { endpoint, event } = job;
    const base = { eventId: event.id, eventType: event.type, endpointId: endpoint.id, url: endpoint.url, attempt, duplicate };
    const gen = this.generation;
    const done = (status: number | null, error?: string) => {
      if (gen !== this.generation) return;
      this.record({ ...base, status, error });
      if (status !== null && status >= 200 && status < 300) {
        if (!job.delivered) {
          job.delivered = true;
          event.pending_webhooks = Math.max(0, event.pending_webhooks - 1);
        }
        return;
      }
      if (attempt < this.maxAttempts && !this.stopped) {
        this.later(this.baseDelayMs * 2 ** (attempt - 1), () => this.attempt(job, attempt + 1, duplicate));
      }
    };
    let url: URL;
    try {
      url = new URL(endpoint.url);
    } catch {
      done(null, 'invalid url');
      return;
    }
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, {
      method: 'POST',
      agent: false,
      timeout: ATTEMPT_TIMEOUT_MS,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(payload),
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        'stripe-signature': signPayload(payload, endpoint.secret, nowSeconds() + this.clockSkewSeconds),
        'cache-control': 'no-cache',
      },
    });
    this.inflight.add(req);
    let settled = false;
    const settle = (status: number | null, error?: string) => {
      if (settled) return;
      settled = true;
      this.inflight.delete(req);
      done(status, error);
    };
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => settle(res.statusCode ?? null));
      res.on('error', (e) => settle(res.statusCode ?? null, e.message));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => settle(null, e.message));
    req.end(payload);
  }

  /** Resolves once no delivery is scheduled or in flight (or after `timeoutMs`). */
  async idle(timeoutMs = 5000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (this.timers.size > 0 || this.inflight.size > 0) {
      if (Date.now() > until) return false;
      await new Promise((r) => setTimeout(r, 5));
    }
    return true;
  }

  /** Cancels pending deliveries (used by reset). */
  cancelAll(): void {
    this.generation++;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const r of this.inflight) r.destroy();
    this.inflight.clear();
  }

  clearLog(): void {
    this.log.length = 0;
  }

  stop(): void {
    this.stopped = true;
    this.cancelAll();
  }
}
