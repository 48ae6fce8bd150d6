// A small Prometheus registry, portable (no node:*), shared by the API, the webhook ingestion and the
// sync engine. Metrics are process-wide: each process exposes its own counts on GET /metrics.

type Labels = Record<string, string>;

function labelKey(names: readonly string[], labels: Labels): string {
  return names.map((n) => labels[n] ?? '').join('\u0000');
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function renderLabels(names: readonly string[], values: readonly string[], extra?: [string, string]): string {
  const parts = names.map((n, i) => `${n}="${escapeLabel(values[i] ?? '')}"`);
  if (extra) parts.push(`${extra[0]}="${escapeLabel(extra[1])}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function formatNumber(n: number): string {
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

interface Metric {
  readonly name: string;
  render(): string;
}

export class Counter<L extends string = string> implements Metric {
  private readonly values = new Map<string, { labels: string[]; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[] = [],
  ) {}

  inc(labels: Partial<Record<L, string>> = {}, by = 1): void {
    const key = labelKey(this.labelNames, labels as Labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels: this.labelNames.map((n) => (labels as Labels)[n] ?? ''), value: by });
  }

  get(labels: Partial<Record<L, string>> = {}): number {
    return this.values.get(labelKey(this.labelNames, labels as Labels))?.value ?? 0;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.values.values()) lines.push(`${this.name}${renderLabels(this.labelNames, labels)} ${formatNumber(value)}`);
    return lines.join('\n');
  }
}

export class Gauge<L extends string = string> implements Metric {
  private readonly values = new Map<string, { labels: string[]; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[] = [],
  ) {}

  set(value: number, labels: Partial<Record<L, string>> = {}): void {
    this.values.set(labelKey(this.labelNames, labels as Labels), { labels: this.labelNames.map((n) => (labels as Labels)[n] ?? ''), value });
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`];
    for (const { labels, value } of this.values.values()) lines.push(`${this.name}${renderLabels(this.labelNames, labels)} ${formatNumber(value)}`);
    return lines.join('\n');
  }
}

export class Histogram<L extends string = string> implements Metric {
  private readonly values = new Map<string, { labels: string[]; buckets: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
    readonly labelNames: readonly L[] = [],
  ) {}

  observe(value: number, labels: Partial<Record<L, string>> = {}): void {
    const key = labelKey(this.labelNames, labels as Labels);
    let entry = this.values.get(key);
    if (!entry) {
      entry = { labels: this.labelNames.map((n) => (labels as Labels)[n] ?? ''), buckets: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.values.set(key, entry);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]) entry.buckets[i]++;
    entry.sum += value;
    entry.count++;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { labels, buckets, sum, count } of this.values.values()) {
      this.buckets.forEach((le, i) => lines.push(`${this.name}_bucket${renderLabels(this.labelNames, labels, ['le', formatNumber(le)])} ${buckets[i]}`));
      lines.push(`${this.name}_bucket${renderLabels(this.labelNames, labels, ['le', '+Inf'])} ${count}`);
      lines.push(`${this.name}_sum${renderLabels(this.labelNames, labels)} ${formatNumber(sum)}`);
      lines.push(`${this.name}_count${renderLabels(this.labelNames, labels)} ${count}`);
    }
    return lines.join('\n');
  }
}

/** Every metric spacesync exposes. Increment them from anywhere in the process. */
export const metrics = {
  /** Space syncs finished, by result: synced | error | skipped | retry. */
  syncs: new Counter('spacesync_syncs_total', 'Space syncs finished, by result.', ['result']),
  /** Wall time of one space sync in seconds. */
  syncDuration: new Histogram('spacesync_sync_duration_seconds', 'Duration of one space sync.', [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]),
  /** Stripe API calls, by endpoint (e.g. `POST /v1/products`) and HTTP status (or `network`). */
  stripeRequests: new Counter('spacesync_stripe_requests_total', 'Stripe API requests, by endpoint and status.', ['endpoint', 'status']),
  /** Jobs waiting in the queue (ready to run), sampled on every scrape. */
  queueDepth: new Gauge('spacesync_queue_depth', 'Jobs ready to run in graphile-worker, by task.', ['task']),
  /** Webhook events processed by the worker, by Stripe event type and result: processed | ignored | drift | stale | failed. */
  webhookEvents: new Counter('spacesync_webhook_events_total', 'Stripe webhook events processed, by type and result.', ['type', 'result']),
  /** Webhook deliveries received by the API, by result: accepted | duplicate | invalid | error. */
  webhookDeliveries: new Counter('spacesync_webhook_deliveries_total', 'Stripe webhook deliveries received, by result.', ['result']),
  /** HTTP responses of the API, by method, route pattern and status class. */
  httpRequests: new Counter('spacesync_http_requests_total', 'HTTP requests answered, by method, route and status.', ['method', 'route', 'status']),
} as const;

/** Prometheus text exposition of every metric. */
export function renderMetrics(): string {
  return Object.values(metrics).map((m: Metric) => m.render()).join('\n') + '\n';
}
