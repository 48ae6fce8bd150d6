// The emulator's state and machinery, independent of HTTP: catalog store, idempotency, rate limit,
// faults, request log, webhook dispatcher and optional persistence.
import { Faults, type FaultRule, type WebhookShuffle } from './faults.ts';
import { IdempotencyStore } from './idempotency.ts';
import { Persistence } from './persist.ts';
import { RateLimiter } from './rateLimit.ts';
import { RequestLog } from './requestLog.ts';
import { Store } from './store.ts';
import { WebhookDispatcher, type WebhookRetry } from './webhooks.ts';

/** The API version the emulator renders events in when a request does not send `Stripe-Version`. */
export const DEFAULT_API_VERSION = '2024-04-10';

export interface EmulatorConfig {
  apiKeys?: string[];
  /** The account the keys belong to (GET /v1/account). */
  accountId?: string;
  rateLimit?: number;
  searchDelayMs?: number;
  seed?: number;
  persistFile?: string;
  webhookRetry?: WebhookRetry;
  logRequests?: boolean;
  /** Initial fault rules (also settable at run time through POST /_emulator/faults). */
  faults?: FaultRule[];
  /** Initial webhook shuffle (out-of-order and duplicate deliveries). */
  webhookShuffle?: WebhookShuffle | null;
  /** Offset of webhook signature timestamps in seconds (e.g. -400: signed as if sent 400 s ago). */
  webhookClockSkewSeconds?: number;
}

export class Emulator {
  readonly store = new Store();
  readonly idempotency = new IdempotencyStore();
  readonly rateLimiter: RateLimiter;
  readonly faults: Faults;
  readonly requestLog = new RequestLog();
  readonly webhooks: WebhookDispatcher;
  readonly persistence: Persistence | null;
  readonly apiKeys: string[] | null;
  readonly logRequests: boolean;
  searchDelayMs: number;

  constructor(readonly config: EmulatorConfig = {}) {
    const seed = config.seed ?? 1;
    this.apiKeys = config.apiKeys && config.apiKeys.length > 0 ? [...config.apiKeys] : null;
    this.logRequests = config.logRequests ?? false;
    this.searchDelayMs = Math.max(0, config.searchDelayMs ?? 0);
    this.rateLimiter = new RateLimiter(config.rateLimit ?? 0);
    this.faults = new Faults(seed);
    if (config.faults) this.faults.setRules(config.faults);
    this.webhooks = new WebhookDispatcher(this.store, config.webhookRetry, seed);
    this.webhooks.shuffle = config.webhookShuffle ?? null;
    this.webhooks.clockSkewSeconds = config.webhookClockSkewSeconds ?? 0;
    this.store.events.subscriber = this.webhooks.onEvent;
    this.persistence = config.persistFile ? new Persistence(this.store, config.persistFile) : null;
    if (this.persistence) {
      this.persistence.load();
      this.store.onWrite = this.persistence.markDirty;
    }
  }

  /** Default: any key starting with `sk_test_`; with `apiKeys`, exactly those. */
  acceptsKey(key: string): boolean {
    return this.apiKeys ? this.apiKeys.includes(key) : key.startsWith('sk_test_') && key.length > 'sk_test_'.length;
  }

  setSeed(seed: number): void {
    this.faults.setSeed(seed);
    this.webhooks.reseed(seed);
  }

  /** Clears everything: catalog, events, request log, faults, idempotency keys, deliveries. */
  reset(): void {
    this.webhooks.cancelAll();
    this.webhooks.clearLog();
    this.webhooks.shuffle = null;
    this.webhooks.clockSkewSeconds = this.config.webhookClockSkewSeconds ?? 0;
    this.store.clear();
    this.idempotency.clear();
    this.requestLog.reset();
    this.faults.clear();
    this.setSeed(this.config.seed ?? 1);
    this.rateLimiter.setRate(this.config.rateLimit ?? 0);
    this.searchDelayMs = Math.max(0, this.config.searchDelayMs ?? 0);
  }

  close(): void {
    this.webhooks.stop();
    this.persistence?.flush();
  }
}
