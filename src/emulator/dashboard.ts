// "Dashboard" edits through the control API: the same rules and events as API calls, but with
// `request.id = null` and `request.idempotency_key = null`, as Stripe records dashboard changes.
import { DEFAULT_API_VERSION, type Emulator } from './emulator.ts';
import { renderPrice } from './expand.ts';
import { isObject } from './params.ts';
import { createPrice, deletePrice, updatePrice } from './prices.ts';
import { createProduct, createProductFromData, deleteProduct, getProduct, updateProduct } from './products.ts';
import type { Actor } from './types.ts';

export const dashboardActor = (): Actor => ({ requestId: null, idempotencyKey: null, apiVersion: DEFAULT_API_VERSION });

/** JSON `null` at the top level means "clear this field", like an empty form value. */
function normalize(body: unknown): Record<string, unknown> {
  if (!isObject(body)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) out[k] = v === null ? '' : v;
  return out;
}

export type DashboardResult = { status: number; body: unknown };

/** Returns null when the path is not a dashboard route. Throws StripeError on refusals. */
export function handleDashboard(emu: Emulator, method: string, rest: string[], body: unknown, query: URLSearchParams): DashboardResult | null {
  const actor = dashboardActor();
  const input = normalize(body);
  const [kind, id, extra] = rest;
  if (extra !== undefined) return null;
  if (kind === 'products') {
    if (method === 'POST' && !id) return { status: 200, body: createProduct(emu.store, input, actor) };
    if (method === 'POST' && id) return { status: 200, body: updateProduct(emu.store, id, input, actor) };
    if (method === 'DELETE' && id) {
      const archive = query.get('archive') === 'true' || query.get('archive') === '1' || input.archive === true;
      if (archive) {
        const p = getProduct(emu.store, id);
        return { status: 200, body: p.active ? updateProduct(emu.store, id, { active: false }, actor) : p };
      }
      return { status: 200, body: deleteProduct(emu.store, id, actor) };
    }
  }
  if (kind === 'prices') {
    if (method === 'POST' && !id) {
      const price = createPrice(emu.store, input, actor, (data) => createProductFromData(emu.store, data, actor));
      return { status: 200, body: renderPrice(emu.store, price) };
    }
    if (method === 'POST' && id) return { status: 200, body: renderPrice(emu.store, updatePrice(emu.store, id, input, actor)) };
    if (method === 'DELETE' && id) return { status: 200, body: deletePrice(emu.store, id, actor) };
  }
  return null;
}
