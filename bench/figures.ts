// Headline figures of each benchmark, derived from its rows, each beside its peer, limit, aim or
// minimum. writeReport adds them to bench/results/<name>.json; `npm run bench:refigure` recomputes
// them for results already on disk (no rerun). Benchmarks that measure a peer in the same run (the
// webhook comparison) pass their own figures instead.
import { figure, type Figure, type Row } from './lib.ts';

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const find = (rows: Row[], key: string, value: string): Row | undefined => rows.find((r) => r[key] === value);

function fromRow(rows: Row[], key: string, value: string, make: (row: Row) => Figure[]): Figure[] {
  const row = find(rows, key, value);
  return row ? make(row) : [];
}

export const figuresFor: Record<string, (rows: Row[]) => Figure[]> = {
  'space-search': (rows) => {
    const aim = { kind: 'aim' as const, name: 'interactive', value: 50 };
    const p50 = (c: string, name: string) => fromRow(rows, 'case', c, (r) => [figure(`${name}, p50`, num(r.p50_ms), 'ms', 'lower', aim)]);
    return [
      ...fromRow(rows, 'case', 'admin, ?q=reunion', (r) => [
        figure('GET /api/spaces?q=reunion over 100,000 spaces (admin), p50', num(r.p50_ms), 'ms', 'lower', aim),
        figure('GET /api/spaces?q=reunion over 100,000 spaces (admin), p95', num(r.p95_ms), 'ms', 'lower', aim),
        ...fromRow(rows, 'case', 'peer: before 000096 (folded expression index), count and page ids, admin, ?q=reunion', (p) => [
          figure('GET /api/spaces?q=reunion over 100,000 spaces (admin), p50, against the search before the stored column', num(r.p50_ms), 'ms', 'lower', { kind: 'peer', name: 'its count and page before migration 000096', value: num(p.p50_ms) }),
        ]),
      ]),
      ...p50('anon, ?q=reunion', 'GET /api/spaces?q=reunion over 100,000 spaces (anon)'),
      ...p50('admin, ?q=etage (every space)', 'GET /api/spaces?q=etage, a term in all 100,000 spaces (admin)'),
      ...p50('anon, ?q=etage (every space)', 'GET /api/spaces?q=etage, a term in all 100,000 spaces (anon)'),
    ];
  },
  api: (rows) => [
    ...fromRow(rows, 'case', 'anon, first page (50)', (r) => [figure('GET /api/spaces, first page as anon, p99', num(r.p99_ms), 'ms', 'lower', { kind: 'aim', name: 'interactive', value: 50 })]),
    ...fromRow(rows, 'case', 'admin, search ?q=space 12', (r) => [figure('GET /api/spaces search over 10,000 spaces, p99', num(r.p99_ms), 'ms', 'lower', { kind: 'aim', name: 'interactive', value: 50 })]),
    ...fromRow(rows, 'case', 'admin, page at offset 9,000', (r) => [figure('GET /api/spaces at offset 9,000, p99', num(r.p99_ms), 'ms', 'lower', { kind: 'aim', name: 'interactive', value: 50 })]),
  ],
  emulator: (rows) => [
    ...fromRow(rows, 'case', 'product create (HTTP, keep-alive, 16 in flight)', (r) => [figure('emulator product creates', num(r['ops/s']), 'requests/s', 'higher', { kind: 'aim', name: 'load tests need', value: 3000 })]),
    ...fromRow(rows, 'case', 'memory with 100,000 products (in-process store)', (r) => [figure('emulator RSS with 100,000 products', num(r['rss MB']), 'MB', 'lower', { kind: 'limit', name: 'memory budget', value: 300 })]),
  ],
  outbox: (rows) => [
    ...fromRow(rows, 'measure', 'trigger overhead', (r) => [figure('sync job enqueued with the edit (trigger overhead per update)', num(r.value), 'µs', 'lower', { kind: 'aim', name: 'under a millisecond', value: 1000 })]),
    ...fromRow(rows, 'measure', 'commit → job started, p99', (r) => [figure('edit committed → sync job started, p99', num(r.value), 'ms', 'lower', { kind: 'aim', name: 'feels instant', value: 10 })]),
  ],
  'sync-calls': (rows) => {
    const changes = rows.filter((r) => r.change !== 'all changes' && r['calls/change'] !== null);
    if (changes.length === 0) return [];
    const calls = changes.reduce((s, r) => s + num(r['calls/change']), 0);
    const minimum = changes.reduce((s, r) => s + num(r['minimum/change']), 0);
    return [figure(`Stripe calls for one of each of ${changes.length} kinds of change`, calls, 'calls', 'lower', { kind: 'minimum', name: 'what Stripe\'s API allows', value: minimum })];
  },
  'sync-catalog': (rows) => {
    const out: Figure[] = [];
    const accepted = rows.find((r) => String(r.measure).startsWith('accepted writes/s ÷ Stripe limit'));
    if (accepted) out.push(figure('catalog apply, accepted Stripe writes/s', Math.round(num(accepted.value) * 1000) / 10, 'requests/s', 'higher', { kind: 'aim', name: '0.95 of Stripe\'s 100/s', value: 95 }));
    const sent = rows.find((r) => String(r.measure).startsWith('requests sent/s ÷ limit'));
    if (sent) out.push(figure('catalog apply, requests sent/s (429s included)', Math.round(num(sent.value) * 1000) / 10, 'requests/s', 'lower', { kind: 'limit', name: 'Stripe\'s rate limit', value: 100 }));
    const noop = find(rows, 'measure', 'time (s)');
    if (noop) out.push(figure('catalog no-op run over 10,000 spaces', num(noop.value), 's', 'lower', { kind: 'aim', name: 'a reconcile you can run often', value: 10 }));
    const calls = find(rows, 'measure', 'Stripe calls (list pages only)');
    if (calls) out.push(figure('catalog no-op run, Stripe calls', num(calls.value), 'calls', 'lower', { kind: 'minimum', name: 'list pages of 100', value: num(calls.aim) }));
    const rss = find(rows, 'measure', 'peak RSS (MB)');
    if (rss) out.push(figure('catalog no-op run, peak RSS', num(rss.value), 'MB', 'lower', { kind: 'limit', name: 'memory budget', value: 256 }));
    return out;
  },
  'sync-latency': (rows) => [
    ...fromRow(rows, 'measure', 'p50', (r) => [figure('edit committed → Stripe updated, p50', num(r.value), 'ms', 'lower', { kind: 'aim', name: 'near real time', value: 20 })]),
    ...fromRow(rows, 'measure', 'p99', (r) => [figure('edit committed → Stripe updated, p99', num(r.value), 'ms', 'lower', { kind: 'aim', name: 'near real time', value: 60 })]),
  ],
  ui: (rows) => [
    ...fromRow(rows, 'measure', 'navigation → first rows (in-page mark), p50', (r) => [figure('UI: spaces page with 5,000 spaces, first rows, p50', num(r.value), 'ms', 'lower', { kind: 'aim', name: 'page budget', value: num(r.budget) })]),
    ...fromRow(rows, 'measure', 'last commit → shown on the page', (r) => [figure('UI: status change committed → shown', num(r.value), 'ms', 'lower', { kind: 'aim', name: 'live', value: 100 })]),
  ],
  webhooks: (rows) => [
    ...fromRow(rows, 'figure', 'deliveries/s', (r) => [figure('webhook deliveries, 64 connections (alone)', num(r.value), 'events/s', 'higher', { kind: 'aim', name: 'Stripe bursts', value: 2000 })]),
  ],
};

/** The figures of a report: its own when it brings them, else derived from its rows. */
export function figuresOf(name: string, rows: Row[], own?: Figure[]): Figure[] {
  return own ?? figuresFor[name]?.(rows) ?? [];
}
