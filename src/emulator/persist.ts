// Optional persistence of the catalog to a JSON file: loaded on start, written debounced after writes
// (atomically, through a temporary file), flushed on stop.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Store } from './store.ts';
import type { Price, Product, StripeEvent, WebhookEndpoint } from './types.ts';

interface Snapshot {
  version: 1;
  savedAt: string;
  products: Product[];
  prices: Price[];
  webhookEndpoints: WebhookEndpoint[];
  events: StripeEvent[];
}

export class Persistence {
  private timer: NodeJS.Timeout | null = null;
  private dirty = false;

  constructor(
    private readonly store: Store,
    private readonly file: string,
    private readonly debounceMs = 200,
  ) {}

  /** Loads the file into the (empty) store; returns whether anything was loaded. */
  load(): boolean {
    if (!existsSync(this.file)) return false;
    const snap = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<Snapshot>;
    const onWrite = this.store.onWrite;
    this.store.onWrite = () => {};
    try {
      for (const p of snap.products ?? []) this.store.insertProduct(p);
      for (const p of snap.prices ?? []) this.store.insertPrice({ ...p, currency_options: p.currency_options ?? {} });
      for (const w of snap.webhookEndpoints ?? []) this.store.insertWebhookEndpoint(w);
      for (const e of snap.events ?? []) this.store.events.events.insert(e);
    } finally {
      this.store.onWrite = onWrite;
    }
    return true;
  }

  readonly markDirty = (): void => {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.debounceMs);
    this.timer.unref();
  };

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.dirty) return;
    this.dirty = false;
    const snap: Snapshot = {
      version: 1,
      savedAt: new Date().toISOString(),
      products: this.store.products.values(),
      prices: this.store.prices.values(),
      webhookEndpoints: this.store.webhookEndpoints.values(),
      events: this.store.events.events.values(),
    };
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(snap));
    renameSync(tmp, this.file);
  }
}
