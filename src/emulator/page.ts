// A small read-only HTML view of the catalog: `/` lists products with their prices, `/products/:id`
// shows one, roughly what the Stripe dashboard would show in a demo. All output is escaped.
import type { ServerResponse } from 'node:http';
import type { Emulator } from './emulator.ts';
import { send } from './http.ts';
import type { Price, Product } from './types.ts';

export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const MAX_LISTED = 200;

function formatAmount(p: Price): string {
  const amount = p.unit_amount_decimal !== null ? `${(Number(p.unit_amount_decimal) / 100).toFixed(2)} ${p.currency.toUpperCase()}` : 'customer chooses';
  const per = p.recurring ? ` / ${p.recurring.interval_count > 1 ? `${p.recurring.interval_count} ` : ''}${p.recurring.interval}` : '';
  return amount + per;
}

function priceRows(emu: Emulator, product: Product): string {
  const ids = [...(emu.store.pricesByProduct.get(product.id) ?? [])];
  if (ids.length === 0) return '<p class="muted">No prices</p>';
  const rows = ids
    .map((id) => emu.store.prices.get(id))
    .filter((p): p is Price => p !== undefined)
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(p.id)}</code>${product.default_price === p.id ? ' <span class="tag">default</span>' : ''}</td><td>${escapeHtml(formatAmount(p))}</td><td>${escapeHtml(p.nickname ?? '')}</td><td>${escapeHtml(p.lookup_key ?? '')}</td><td>${p.active ? 'active' : 'archived'}</td></tr>`,
    )
    .join('');
  return `<table><tr><th>Price</th><th>Amount</th><th>Nickname</th><th>Lookup key</th><th>Status</th></tr>${rows}</table>`;
}

function metadataList(m: Record<string, string>): string {
  const entries = Object.entries(m);
  if (entries.length === 0) return '';
  return `<dl>${entries.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

function productSection(emu: Emulator, p: Product, link: boolean): string {
  const title = link ? `<a href="/products/${encodeURIComponent(p.id)}">${escapeHtml(p.name)}</a>` : escapeHtml(p.name);
  return `<section><h2>${title} ${p.active ? '' : '<span class="tag">archived</span>'}</h2><p class="muted"><code>${escapeHtml(p.id)}</code></p>${p.description ? `<p>${escapeHtml(p.description)}</p>` : ''}${metadataList(p.metadata)}${priceRows(emu, p)}</section>`;
}

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>body{font:14px system-ui,sans-serif;margin:2rem;max-width:960px}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}.muted{color:#777}.tag{background:#eee;border-radius:4px;padding:0 4px;font-size:12px}dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}dt{color:#555}</style></head><body><header><a href="/">Stripe emulator</a> · test mode</header>${body}</body></html>`;
}

export async function handlePage(emu: Emulator, res: ServerResponse, method: string, path: string): Promise<void> {
  const html = (status: number, body: string) => send(res, status, body, {}, 'text/html; charset=utf-8');
  if (method !== 'GET') return html(405, layout('Not allowed', '<p>Read-only.</p>'));
  if (path === '/') {
    const products = emu.store.products.values().reverse();
    const shown = products.slice(0, MAX_LISTED);
    const more = products.length > MAX_LISTED ? `<p class="muted">and ${products.length - MAX_LISTED} more…</p>` : '';
    const body = shown.length ? shown.map((p) => productSection(emu, p, true)).join('') + more : '<p>No products yet.</p>';
    return html(200, layout('Products', `<h1>Products (${products.length})</h1>${body}`));
  }
  const m = /^\/products\/([^/]+)$/.exec(path);
  if (m) {
    let id = m[1];
    try {
      id = decodeURIComponent(id);
    } catch {
      /* keep raw */
    }
    const p = emu.store.products.get(id);
    if (!p) return html(404, layout('Not found', `<p>No such product: ${escapeHtml(id)}</p>`));
    return html(200, layout(p.name, productSection(emu, p, false) + `<pre>${escapeHtml(JSON.stringify(p, null, 2))}</pre>`));
  }
  return html(404, layout('Not found', '<p>Not found.</p>'));
}
