// A log line in the admin's language. The engine writes application_logs in English; the UI says the
// steps it knows (keyed by the row's `event`, filled from its `context`) through i18n, and falls back to
// the stored text for any other, or when the context lacks what the sentence needs. English shows the
// stored text: it is the engine's own sentence.
import type { I18n, MessageKey } from '../../i18n/useI18n.tsx';
import { fieldLabel } from '../spaces/driftWords.ts';
import type { LogRow } from './types.ts';

type Words = Pick<I18n, 'locale' | 't' | 'tp' | 'formatNumber'>;
type Context = Record<string, unknown>;

const OPERATIONS = ['create_product', 'update_product', 'archive_product', 'create_price', 'update_price', 'archive_price'] as const;

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function operation(words: Words, kind: unknown): string | null {
  return typeof kind === 'string' && (OPERATIONS as readonly string[]).includes(kind) ? words.t(`log.op.${kind}` as MessageKey) : null;
}

function withId(value: unknown, say: (id: string) => string): string | null {
  const id = str(value);
  return id === null ? null : say(id);
}

type Render = (words: Words, c: Context, row: LogRow) => string | null;

const renderers: Record<string, Render> = {
  'sync.planned': (w, c) => {
    const version = num(c.version);
    const ops = Array.isArray(c.operations) ? c.operations : null;
    if (version === null || ops === null) return null;
    if (ops.length === 0) return w.t('log.sync.planned.none', { version });
    const names = ops.map((o) => operation(w, o) ?? String(o)).join(', ');
    return w.tp('log.sync.planned.calls', ops.length, { version, operations: names });
  },
  'sync.finished': (w, c) => {
    const version = num(c.version);
    const calls = num(c.calls);
    const ops = Array.isArray(c.operations) ? c.operations : null;
    if (version === null || calls === null || ops === null) return null;
    return `${w.tp('log.sync.finished', ops.length, { version })} ${w.tp('log.requests', calls)}`;
  },
  'sync.retry': (w, c, row) => {
    const attempt = num(c.attempt);
    return attempt === null ? null : w.t('log.sync.retry', { attempt, error: row.message });
  },
  'sync.failed': (w, _c, row) => w.t('log.sync.failed', { error: row.message }),
  'sync.product_missing': (w, c) => withId(c.product_id, (id) => w.t('log.sync.product_missing', { id })),
  'sync.adopted': (w, c) => withId(c.product_id, (id) => w.t('log.sync.adopted', { id })),
  'sync.product_id_taken': (w, c) => withId(c.product_id, (id) => w.t(c.reason === 'deleted' ? 'log.sync.product_id_taken.deleted' : 'log.sync.product_id_taken.other', { id })),
  'stripe.read': (w, c) => {
    const endpoint = str(c.endpoint);
    if (!endpoint) return null;
    const status = num(c.status);
    return w.t('log.stripe.read', { endpoint: str(c.object_id) ? `${endpoint} ${str(c.object_id)}` : endpoint, status: status === null ? w.t('log.noAnswer') : status });
  },
  drift_detected: (w, c) => {
    const object = c.object === 'product' || c.object === 'price' ? c.object : null;
    const id = str(c.object_id);
    const policy = c.policy === 'enforce' || c.policy === 'adopt' ? c.policy : null;
    if (!object || !id || !policy) return null;
    const fields = Array.isArray(c.fields) ? c.fields.map((f) => str((f as Context | null)?.field)).filter((f): f is string => f !== null) : [];
    const vars = { object: w.t(`drift.object.${object}`), id, policy: w.t(`driftPolicy.${policy}`), fields: fields.map((f) => fieldLabel(w as I18n, f)).join(', ') };
    if (c.removed === true) return w.t(fields[0] === 'deleted' ? 'log.drift.deleted' : 'log.drift.archived', vars);
    return w.t('log.drift.changed', vars);
  },
  'catalog.planned': (w, c) => catalogPlanned(w, c, 'log.catalog.planned'),
  'catalog.applying': (w, c) => catalogPlanned(w, c, 'log.catalog.applying'),
  'catalog.finished': (w, c) => {
    const done = num(c.done);
    const failed = num(c.failed);
    const calls = num(c.calls);
    if (done === null || failed === null || calls === null) return null;
    return `${w.t('log.catalog.finished', { done: w.formatNumber(done), failed: w.formatNumber(failed) })} ${w.tp('log.requests', calls)}`;
  },
};

function catalogPlanned(w: Words, c: Context, key: 'log.catalog.planned' | 'log.catalog.applying'): string | null {
  const totals = typeof c.totals === 'object' && c.totals !== null ? (c.totals as Record<string, unknown>) : null;
  const calls = num(c.calls);
  if (!totals || calls === null) return null;
  const counts = Object.entries(totals).map(([k, v]) => [k, num(v) ?? 0] as const);
  const all = counts.reduce((sum, [, v]) => sum + v, 0);
  const work = counts.reduce((sum, [k, v]) => (k === 'unchanged' ? sum : sum + v), 0);
  return `${w.t(key, { work: w.formatNumber(work), all: w.formatNumber(all) })} ${w.tp('log.calls', calls)}`;
}

/** Stripe's own step events: `stripe.create_product` and the like. */
function stripeStep(w: Words, row: LogRow, c: Context): string | null {
  const kind = row.event.slice('stripe.'.length);
  const op = operation(w, kind);
  const id = str(c.object_id);
  if (!op || !id) return null;
  return c.replayed === true ? w.t('log.stripe.stepReplayed', { operation: op, id }) : w.t('log.stripe.step', { operation: op, id });
}

export function logMessage(words: Words, row: LogRow): string {
  if (words.locale === 'en') return row.message;
  const context: Context = row.context ?? {};
  const render = renderers[row.event] ?? (row.event.startsWith('stripe.') ? (w: Words, c: Context) => stripeStep(w, row, c) : null);
  return render?.(words, context, row) ?? row.message;
}
