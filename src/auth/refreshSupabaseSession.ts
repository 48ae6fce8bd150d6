// A Supabase Auth session refreshed: POST <SUPABASE_URL>/auth/v1/token?grant_type=refresh_token with
// {"refresh_token": …} and the project's `apikey`, as supabase-js does. Supabase Auth rotates refresh
// tokens: each one is exchanged once for a new access token and a new refresh token; the previous one
// is accepted again only within the project's reuse interval (10 s by default) or while it is the
// parent of the active one, and any other reuse revokes the whole session. Its refusals are 400s
// whose `error_code` (or `code`, in API version 2024-01-01) says why: refresh_token_not_found (the
// session was signed out or revoked), refresh_token_already_used, session_expired, session_not_found,
// user_banned. Web standards only: Node and Deno run it.

export interface SupabaseAuthTarget {
  /** The project URL (SUPABASE_URL). */
  supabaseUrl: string;
  /** The anon or publishable key, sent as `apikey`. */
  apiKey: string;
  fetch?: typeof fetch;
}

/** What Supabase Auth answers a refresh with (the `user` object is left out: the token carries the claims). */
export interface RefreshedSession {
  access_token: string;
  token_type: string;
  expires_in: number;
  expires_at: number;
  refresh_token: string;
}

export type RefreshOutcome =
  | { ok: true; session: RefreshedSession }
  /** The refresh token is no good any more: sign in again. */
  | { ok: false; kind: 'ended'; code: string; message: string }
  /** Supabase Auth refused for now (429), with its Retry-After in seconds when it sent one. */
  | { ok: false; kind: 'throttled'; message: string; retryAfterSeconds?: number }
  /** Supabase Auth could not be reached or failed (network, 5xx, an answer that is not a session). */
  | { ok: false; kind: 'unavailable'; message: string };

const API_VERSION = '2024-01-01';

interface AuthErrorBody {
  code?: unknown;
  error_code?: unknown;
  msg?: unknown;
  message?: unknown;
  error?: unknown;
  error_description?: unknown;
}

/** Reads Supabase Auth's error shapes: {code, message} (2024-01-01), {code: 400, error_code, msg}, OAuth's {error, error_description}. */
export function readAuthError(status: number, body: unknown): { code: string; message: string } {
  const b = (body && typeof body === 'object' ? body : {}) as AuthErrorBody;
  const code = typeof b.error_code === 'string' ? b.error_code : typeof b.code === 'string' ? b.code : typeof b.error === 'string' ? b.error : `http_${status}`;
  const text = [b.message, b.msg, b.error_description].find((v): v is string => typeof v === 'string' && v.length > 0);
  return { code, message: text ?? `Supabase Auth answered ${status}` };
}

/** A 2xx answer that really is a session; null otherwise. */
export function readRefreshedSession(body: unknown, nowSeconds: number): RefreshedSession | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as Record<string, unknown>;
  if (typeof b.access_token !== 'string' || !b.access_token || typeof b.refresh_token !== 'string' || !b.refresh_token) return null;
  const expiresIn = typeof b.expires_in === 'number' && Number.isFinite(b.expires_in) && b.expires_in > 0 ? b.expires_in : null;
  const expiresAt = typeof b.expires_at === 'number' && Number.isFinite(b.expires_at) ? b.expires_at : expiresIn !== null ? nowSeconds + expiresIn : null;
  if (expiresAt === null) return null;
  return {
    access_token: b.access_token,
    token_type: typeof b.token_type === 'string' ? b.token_type : 'bearer',
    expires_in: expiresIn ?? Math.max(0, expiresAt - nowSeconds),
    expires_at: expiresAt,
    refresh_token: b.refresh_token,
  };
}

function retryAfter(value: string | null): number | undefined {
  return value && /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

export async function refreshSupabaseSession(target: SupabaseAuthTarget, refreshToken: string): Promise<RefreshOutcome> {
  const url = `${target.supabaseUrl.replace(/\/+$/, '')}/auth/v1/token?grant_type=refresh_token`;
  let res: Response;
  try {
    res = await (target.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { apikey: target.apiKey, 'Content-Type': 'application/json', Accept: 'application/json', 'X-Supabase-Api-Version': API_VERSION },
      body: JSON.stringify({ refresh_token: refreshToken }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    return { ok: false, kind: 'unavailable', message: `Supabase Auth could not be reached (${error instanceof Error ? error.message : String(error)})` };
  }
  const text = await res.text().catch(() => '');
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null; // a proxy's page, say
  }
  if (res.ok) {
    const session = readRefreshedSession(body, Math.floor(Date.now() / 1000));
    return session ? { ok: true, session } : { ok: false, kind: 'unavailable', message: 'Supabase Auth answered the refresh without a session' };
  }
  const { code, message } = readAuthError(res.status, body);
  if (res.status === 429) return { ok: false, kind: 'throttled', message, retryAfterSeconds: retryAfter(res.headers.get('Retry-After')) };
  // 400 (the token or its session is no good) and 403 (the user is banned, say) end the session; 401
  // is the gateway refusing our apikey: ours to fix, not the admin's.
  if (res.status === 400 || res.status === 403) return { ok: false, kind: 'ended', code, message };
  if (res.status === 401) return { ok: false, kind: 'unavailable', message: `Supabase refused the API key (${message}): check SUPABASE_ANON_KEY` };
  return { ok: false, kind: 'unavailable', message: `Supabase Auth failed (${res.status}: ${message})` };
}
