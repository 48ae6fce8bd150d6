// The HTTP front: routes /v1 API calls (auth, rate limit, faults, idempotency, dispatch),
// /_emulator control calls and the HTML page.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { matchRoute } from './api.ts';
import { handleControl } from './control.ts';
import { canonicalJson } from './diff.ts';
import { DEFAULT_API_VERSION, type Emulator } from './emulator.ts';
import { apiError, invalidApiKey, noApiKey, rateLimited, StripeError, unrecognizedUrl } from './errors.ts';
import { decodeForm, type FormObject } from './formDecode.ts';
import { BodyTooLarge, header, readBody, send, splitUrl } from './http.ts';
import { newRequestId } from './ids.ts';
import { handlePage } from './page.ts';
import type { LoggedRequest } from './requestLog.ts';
import type { Actor } from './types.ts';

const IDEMPOTENT_METHODS = new Set(['POST', 'DELETE']);
const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

function apiKeyOf(req: IncomingMessage): string | null {
  const auth = header(req, 'authorization');
  if (!auth) return null;
  const m = /^(Bearer|Basic)\s+(.*)$/i.exec(auth.trim());
  if (!m) return auth.trim();
  if (m[1].toLowerCase() === 'bearer') return m[2].trim();
  const decoded = Buffer.from(m[2], 'base64').toString('utf8');
  return decoded.split(':')[0];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string>;
}

export function createRequestHandler(emu: Emulator): (req: IncomingMessage, res: ServerResponse) => void {
  const log = (entry: Omit<LoggedRequest, 'index' | 'time'>) => {
    emu.requestLog.add(entry);
    if (emu.logRequests) {
      console.error(`[emulator] ${entry.method} ${entry.path} → ${entry.status ?? entry.fault} ${entry.requestId}${entry.idempotencyKey ? ` key=${entry.idempotencyKey}` : ''}`);
    }
  };

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string, path: string, rawQuery: string): Promise<void> {
    const requestId = newRequestId();
    const apiVersion = header(req, 'stripe-version') ?? DEFAULT_API_VERSION;
    const idempotencyKey = IDEMPOTENT_METHODS.has(method) ? (header(req, 'idempotency-key') ?? null) : null;
    let input: FormObject;
    try {
      const body = method === 'GET' ? '' : await readBody(req);
      input = decodeForm(rawQuery);
      if (body) Object.assign(input, decodeForm(body));
    } catch (e) {
      if (e instanceof BodyTooLarge) {
        send(res, 413, JSON.stringify({ error: { type: 'invalid_request_error', message: 'Request body too large.' } }));
      }
      return;
    }
    const entry: Omit<LoggedRequest, 'index' | 'time'> = { method, path, params: input, idempotencyKey, status: null, requestId };
    const baseHeaders: Record<string, string> = { 'request-id': requestId, 'stripe-version': apiVersion, 'access-control-allow-origin': '*' };
    if (idempotencyKey) baseHeaders['idempotency-key'] = idempotencyKey;
    const errorReply = (err: StripeError): Reply => ({ status: err.status, body: JSON.stringify(err.toJSON(requestId)), headers: baseHeaders });
    const respond = (r: Reply, extra: Partial<LoggedRequest> = {}) => {
      log({ ...entry, status: r.status, ...extra });
      send(res, r.status, r.body, r.headers);
    };

    // 1. Injected faults (network and infrastructure level).
    const fault = emu.faults.decide(method, path);
    if (fault.kind !== null && fault.kind !== 'fail_after_commit' && fault.latencyMs > 0) await sleep(fault.latencyMs);
    switch (fault.kind) {
      case 'drop':
        log({ ...entry, fault: 'drop' });
        req.socket.destroy();
        return;
      case 'timeout': {
        log({ ...entry, fault: 'timeout' });
        const t = setTimeout(() => req.socket.destroy(), fault.timeoutMs);
        req.socket.once('close', () => clearTimeout(t));
        return;
      }
      case 'error':
        return respond({ ...errorReply(apiError()), headers: { ...baseHeaders, 'stripe-should-retry': 'true' } }, { fault: 'error' });
      case 'rate_limit':
        return respond(errorReply(rateLimited()), { fault: 'rate_limit' });
      default:
        break;
    }

    // 2. Authentication.
    const key = apiKeyOf(req);
    if (!key) return respond(errorReply(noApiKey()));
    if (!emu.acceptsKey(key)) return respond(errorReply(invalidApiKey(key)));

    // 3. Rate limit.
    if (!emu.rateLimiter.take()) return respond(errorReply(rateLimited()));

    const route = matchRoute(method, path);
    if (!route) return respond(errorReply(unrecognizedUrl(method, path)));

    // 4. Idempotency.
    if (idempotencyKey !== null) {
      if (idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
        return respond(errorReply(new StripeError(400, { type: 'invalid_request_error', message: `Idempotency-Key must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters long.` }, true)));
      }
      const begun = emu.idempotency.begin(key, idempotencyKey, `${method} ${path} ${canonicalJson(input)}`);
      if (begun.kind === 'error') return respond(errorReply(begun.error));
      if (begun.kind === 'replay') {
        const stored = begun.response;
        return respond(
          {
            status: stored.status,
            body: stored.body,
            headers: { ...baseHeaders, 'request-id': stored.requestId, 'idempotent-replayed': 'true', 'original-request': stored.requestId },
          },
          { replayed: true, requestId: stored.requestId },
        );
      }
    }

    // 5. Execute (added latency counts as processing time: the idempotency key is in flight meanwhile).
    if (fault.latencyMs > 0 && (fault.kind === null || fault.kind === 'fail_after_commit')) await sleep(fault.latencyMs);
    const actor: Actor = { requestId, idempotencyKey, apiVersion };
    let reply: Reply;
    let keep = true;
    try {
      const result = route.handler({ emu, input, id: route.id, actor });
      reply = { status: 200, body: JSON.stringify(result), headers: baseHeaders };
    } catch (e) {
      if (e instanceof StripeError) {
        reply = errorReply(e);
        keep = !e.validation;
      } else {
        console.error('[emulator] internal error', e);
        reply = errorReply(apiError());
        keep = false;
      }
    }
    if (idempotencyKey !== null) {
      if (keep) emu.idempotency.complete(key, idempotencyKey, { status: reply.status, body: reply.body, requestId });
      else emu.idempotency.abandon(key, idempotencyKey);
    }
    if (fault.kind === 'fail_after_commit') {
      log({ ...entry, status: reply.status, fault: 'fail_after_commit' });
      req.socket.destroy();
      return;
    }
    respond(reply);
  }

  return (req, res) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const { path, query } = splitUrl(req.url ?? '/');
    let work: Promise<void>;
    if (path.startsWith('/_emulator/') || path === '/_emulator') work = handleControl(emu, req, res, method, path, query);
    else if (path.startsWith('/v1/') || path === '/v1') work = handleApi(req, res, method, path, query);
    else work = handlePage(emu, res, method, path);
    work.catch((e: unknown) => {
      console.error('[emulator] unhandled', e);
      if (!res.headersSent) send(res, 500, JSON.stringify(apiError().toJSON()));
    });
  };
}
