// Seeded, reproducible fault injection per route: 500s, 429s, latency, dropped connections,
// timeouts and "fail after commit". Same seed and same request sequence → same outcomes.
import { mulberry32, type Rng } from './prng.ts';

export type Latency = number | { min: number; max: number };

export interface FaultRule {
  /** `METHOD /path`, e.g. `POST /v1/products`, `GET /v1/products/:id`, `* /v1/prices*`; omitted = every API route. */
  route?: string;
  /** Probability (0..1) of a 500 `api_error`. */
  errorRate?: number;
  /** Probability of a 429 `rate_limit` error. */
  rateLimitRate?: number;
  /** Probability the connection is destroyed without a reply (the request is not applied). */
  dropRate?: number;
  /** Probability the request is never answered (until the client gives up, at most `timeoutMs`). */
  timeoutRate?: number;
  /** Probability the request is applied, then the connection destroyed without a reply. */
  failAfterCommitRate?: number;
  /** Added latency: fixed ms, or uniform between min and max (drawn from the seeded PRNG). */
  latencyMs?: Latency;
  /** Bound of a timeout fault before the emulator closes the socket itself (default 30 s). */
  timeoutMs?: number;
  /** The rule stops injecting faults after this many. */
  times?: number;
}

export interface WebhookShuffle {
  /** Each delivery waits a random 0..maxDelayMs first, so deliveries arrive out of order (default 50). */
  maxDelayMs?: number;
  /** Probability that a delivery is also sent a second time (default 0.3). */
  duplicateRate?: number;
}

export type FaultKind = 'error' | 'rate_limit' | 'drop' | 'timeout' | 'fail_after_commit';

export interface FaultDecision {
  kind: FaultKind | null;
  latencyMs: number;
  timeoutMs: number;
}

interface CompiledRule {
  rule: FaultRule;
  method: string;
  path: RegExp;
  remaining: number;
}

const NONE: FaultDecision = { kind: null, latencyMs: 0, timeoutMs: 0 };
export const DEFAULT_TIMEOUT_MS = 30_000;

export function compileRoute(route: string | undefined): { method: string; path: RegExp } {
  if (!route || route.trim() === '*') return { method: '*', path: /^\/v1\// };
  const parts = route.trim().split(/\s+/);
  const [method, pattern] = parts.length === 1 ? ['*', parts[0]] : [parts[0].toUpperCase(), parts[1]];
  const re = pattern
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')))
    .join('/');
  return { method, path: new RegExp(`^${re}$`) };
}

export function validateRule(rule: FaultRule): FaultRule {
  for (const k of ['errorRate', 'rateLimitRate', 'dropRate', 'timeoutRate', 'failAfterCommitRate'] as const) {
    const v = rule[k];
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && v <= 1)) throw new Error(`${k} must be a number between 0 and 1`);
  }
  const l = rule.latencyMs;
  if (l !== undefined && !(typeof l === 'number' ? l >= 0 : typeof l === 'object' && l.min >= 0 && l.max >= l.min)) {
    throw new Error('latencyMs must be a number or { min, max } with 0 <= min <= max');
  }
  return rule;
}

export class Faults {
  private rules: CompiledRule[] = [];
  private rng: Rng;
  seed: number;
  webhookShuffle: WebhookShuffle | null = null;

  constructor(seed = 1) {
    this.seed = seed;
    this.rng = mulberry32(seed);
  }

  setSeed(seed: number): void {
    this.seed = seed;
    this.rng = mulberry32(seed);
  }

  setRules(rules: FaultRule[]): void {
    this.rules = rules.map((r) => {
      const { method, path } = compileRoute(validateRule(r).route);
      return { rule: r, method, path, remaining: r.times ?? Infinity };
    });
  }

  get activeRules(): (FaultRule & { remaining: number | null })[] {
    return this.rules.map((r) => ({ ...r.rule, remaining: Number.isFinite(r.remaining) ? r.remaining : null }));
  }

  clear(): void {
    this.rules = [];
    this.webhookShuffle = null;
  }

  decide(method: string, path: string): FaultDecision {
    if (this.rules.length === 0) return NONE;
    const c = this.rules.find((r) => r.remaining > 0 && (r.method === '*' || r.method === method) && r.path.test(path));
    if (!c) return NONE;
    const { rule } = c;
    const r = this.rng();
    let kind: FaultKind | null = null;
    let acc = 0;
    const order: [FaultKind, number | undefined][] = [
      ['drop', rule.dropRate],
      ['timeout', rule.timeoutRate],
      ['error', rule.errorRate],
      ['rate_limit', rule.rateLimitRate],
      ['fail_after_commit', rule.failAfterCommitRate],
    ];
    for (const [k, p] of order) {
      acc += p ?? 0;
      if (r < acc) {
        kind = k;
        break;
      }
    }
    let latencyMs = 0;
    const l = rule.latencyMs;
    if (typeof l === 'number') latencyMs = l;
    else if (l) latencyMs = l.min + Math.floor(this.rng() * (l.max - l.min + 1));
    if (kind) c.remaining--;
    return { kind, latencyMs, timeoutMs: rule.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  }
}
