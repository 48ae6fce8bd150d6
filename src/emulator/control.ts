// The control API under /_emulator/ (JSON, no auth): reset, request log, faults, state, dashboard edits.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleDashboard } from './dashboard.ts';
import type { Emulator } from './emulator.ts';
import { StripeError } from './errors.ts';
import { renderPrice, renderWebhookEndpoint } from './expand.ts';
import { validateRule, type FaultRule, type WebhookShuffle } from './faults.ts';
import { readBody, sendJson } from './http.ts';
import { isObject } from './params.ts';

export interface FaultsBody {
  /** Replaces the fault rules (null or [] clears them). */
  rules?: FaultRule[] | null;
  /** Clears rules, webhook shuffle and webhook clock skew before applying the rest. */
  clear?: boolean;
  rateLimit?: number;
  searchDelayMs?: number;
  seed?: number;
  webhookShuffle?: WebhookShuffle | null;
  /** Offset of webhook signature timestamps in seconds (negative = in the past); null or 0 = none. */
  webhookClockSkewSeconds?: number | null;
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req);
  if (!raw.trim()) return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new ControlError(400, 'Control API bodies must be JSON.');
  }
}

function faultsView(emu: Emulator) {
  return {
    seed: emu.faults.seed,
    rules: emu.faults.activeRules,
    rateLimit: emu.rateLimiter.rate,
    searchDelayMs: emu.searchDelayMs,
    webhookShuffle: emu.webhooks.shuffle,
    webhookClockSkewSeconds: emu.webhooks.clockSkewSeconds,
  };
}

function applyFaults(emu: Emulator, body: unknown): void {
  if (!isObject(body)) throw new ControlError(400, 'Expected a JSON object.');
  const b = body as FaultsBody;
  const num = (v: unknown, name: string) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ControlError(400, `${name} must be a non-negative number`);
    return v;
  };
  if (b.clear) {
    emu.faults.clear();
    emu.webhooks.shuffle = null;
    emu.webhooks.clockSkewSeconds = 0;
  }
  if (b.seed !== undefined) emu.setSeed(num(b.seed, 'seed'));
  if (b.rules !== undefined) {
    const rules = b.rules ?? [];
    if (!Array.isArray(rules)) throw new ControlError(400, 'rules must be an array');
    try {
      rules.forEach(validateRule);
    } catch (e) {
      throw new ControlError(400, (e as Error).message);
    }
    emu.faults.setRules(rules);
  }
  if (b.rateLimit !== undefined) emu.rateLimiter.setRate(num(b.rateLimit, 'rateLimit'));
  if (b.searchDelayMs !== undefined) emu.searchDelayMs = num(b.searchDelayMs, 'searchDelayMs');
  if (b.webhookShuffle !== undefined) emu.webhooks.shuffle = b.webhookShuffle;
  if (b.webhookClockSkewSeconds !== undefined) {
    const skew = b.webhookClockSkewSeconds ?? 0;
    if (typeof skew !== 'number' || !Number.isInteger(skew)) throw new ControlError(400, 'webhookClockSkewSeconds must be a whole number of seconds');
    emu.webhooks.clockSkewSeconds = skew;
  }
}

function state(emu: Emulator) {
  const s = emu.store;
  return {
    products: s.products.values(),
    prices: s.prices.values().map((p) => renderPrice(s, p, new Map([['currency_options', new Map()]]))),
    webhookEndpoints: s.webhookEndpoints.values().map((w) => renderWebhookEndpoint(w, true)),
    counts: { products: s.products.size, prices: s.prices.size, webhookEndpoints: s.webhookEndpoints.size, events: s.events.events.size },
  };
}

export async function handleControl(emu: Emulator, req: IncomingMessage, res: ServerResponse, method: string, path: string, rawQuery: string): Promise<void> {
  const query = new URLSearchParams(rawQuery);
  const parts = path.split('/').filter(Boolean).slice(1); // drop "_emulator"
  const route = `${method} ${parts[0] ?? ''}`;
  try {
    switch (route) {
      case 'POST reset':
        emu.reset();
        return sendJson(res, 200, { ok: true });
      case 'GET requests':
        return sendJson(res, 200, { requests: emu.requestLog.list(query.get('since')), next: emu.requestLog.nextIndexValue });
      case 'DELETE requests':
        emu.requestLog.clear();
        return sendJson(res, 200, { ok: true, next: emu.requestLog.nextIndexValue });
      case 'GET faults':
        return sendJson(res, 200, faultsView(emu));
      case 'POST faults':
        applyFaults(emu, await jsonBody(req));
        return sendJson(res, 200, faultsView(emu));
      case 'GET state':
        return sendJson(res, 200, state(emu));
      case 'GET webhooks': {
        if (query.get('wait') === 'true' || query.get('wait') === '1') await emu.webhooks.idle(Number(query.get('timeoutMs') ?? 5000));
        return sendJson(res, 200, { deliveries: emu.webhooks.log });
      }
      case 'GET health':
        return sendJson(res, 200, { ok: true });
      default:
        break;
    }
    if (parts[0] === 'dashboard') {
      const body = method === 'POST' || method === 'DELETE' ? await jsonBody(req) : {};
      const result = handleDashboard(emu, method, parts.slice(1), body, query);
      if (result) return sendJson(res, result.status, result.body);
    }
    return sendJson(res, 404, { error: { message: `Unknown control route: ${method} ${path}` } });
  } catch (e) {
    if (e instanceof StripeError) return sendJson(res, e.status, e.toJSON());
    if (e instanceof ControlError) return sendJson(res, e.status, { error: { message: e.message } });
    throw e;
  }
}
