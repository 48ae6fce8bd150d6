// A small typed client for the spacesync API (/api, same origin): JSON in and out, the bearer token
// of the session, and errors parsed from the contract's shape
// `{ error: { code, message, fields? } }` into one ApiError class. A 401 renews the session once
// (renewSession.ts) and sends the request again; a second 401, or a session that cannot be renewed,
// signs out.
import { renewSession } from './renewSession.ts';
import { getToken, signOut } from './session.ts';
import { apiOrigin } from './apiBase.ts';

export type ApiErrorCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'internal'
  | 'network'
  | (string & {});

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    /** Field errors keyed by dotted path (`prices.0.unit_amount`), on 400 validation_failed. */
    readonly fields: Record<string, string> = {},
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.name = 'ApiError';
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  /** The server's Retry-After (a 429's lock, a 503's pause), in seconds, when it sent one. */
  readonly retryAfterSeconds: number | undefined;
}

/** Retry-After in seconds: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /** Send no token (login). */
  anonymous?: boolean;
}

export const API_BASE = `${apiOrigin()}/api`;

export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; fields?: unknown };
}

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Turns a non-2xx response into an ApiError, whatever its body. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  let body: ErrorBody | null = null;
  try {
    body = text ? (JSON.parse(text) as ErrorBody) : null;
  } catch {
    body = null; // not JSON: a proxy's HTML page, say
  }
  const e = body?.error;
  const code = typeof e?.code === 'string' ? e.code : res.status === 401 ? 'unauthorized' : res.status >= 500 ? 'internal' : 'http_' + res.status;
  const message = typeof e?.message === 'string' && e.message ? e.message : `${res.status} ${res.statusText || 'error'}`.trim();
  return new ApiError(res.status, code, message, stringRecord(e?.fields), { retryAfterSeconds: parseRetryAfter(res.headers.get('Retry-After')) });
}

/**
 * After a 401 to `rejected`: whether to send the request again with a renewed token. Signs out when
 * the session cannot be renewed; a renewal that failed for now keeps the session (it is tried again).
 */
async function renewedAfter401(rejected: string | null): Promise<boolean> {
  if (rejected === null) return false;
  const result = await renewSession(rejected);
  if (result.kind === 'renewed') return true;
  if (result.kind === 'cannot') signOut();
  return false;
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}, renewed = false): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = options.anonymous ? null : getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(apiUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network', 'The server could not be reached: check that spacesync is running.', {}, { cause });
  }
  if (!res.ok) {
    const error = await errorFromResponse(res);
    if (res.status === 401 && !options.anonymous) {
      if (!renewed && (await renewedAfter401(token))) return apiRequest<T>(path, options, true);
      if (renewed) signOut();
    }
    throw error;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
