// Supabase Auth's sessions and its refresh endpoint, as the gateway stand-in serves them:
// POST /auth/v1/token?grant_type=refresh_token with {"refresh_token": …} and the project's `apikey`.
// Follows supabase/auth (internal/tokens/service.go, RefreshTokenGrant): refresh tokens rotate (each
// exchange revokes the token and issues a child); a revoked token is accepted again while it is the
// parent of the active one (the answer then carries the active token, nothing new), or within the
// reuse interval; any other reuse revokes the whole session and answers 400 refresh_token_already_used.
// A token of a signed-out (revoked) session: 400 refresh_token_not_found. Errors in the shape the
// request's X-Supabase-Api-Version asks for ({code, message} for 2024-01-01, else {code: 400,
// error_code, msg}), with the x-sb-error-code header. A missing or wrong apikey is refused by the
// gateway (401), as Supabase's is.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';

export interface AuthUser {
  id: string;
  email: string;
  admin: boolean;
}

/** What a sign-in link puts in the URL fragment (and what a refresh answers, besides the user). */
export interface IssuedSession {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  expires_at: number;
  token_type: 'bearer';
}

interface RefreshTokenRow {
  token: string;
  sessionId: string;
  parent: string | null;
  revoked: boolean;
  updatedAt: number;
}

interface SessionRow {
  id: string;
  user: AuthUser;
  expiresIn: number;
}

export interface RefreshRecord {
  refreshToken: string;
  status: number;
  /** error_code of a refusal; `reused_parent` when the active token was handed back again. */
  outcome: string;
  at: number;
}

export interface SupabaseAuthStandIn {
  /** A session as a sign-in link brings it, its access tokens living `expiresIn` seconds (3600 by default). */
  signIn(user: AuthUser, options?: { expiresIn?: number }): Promise<IssuedSession>;
  /** Signs out every session of the user (what "Sign out all sessions" or a password change does). */
  revokeSessions(userId: string): void;
  /** Every refresh request answered, in order. */
  refreshes: RefreshRecord[];
  /** Serves POST /auth/v1/token?grant_type=refresh_token; false when the request is not one. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
}

const CORS = { 'access-control-allow-origin': '*' };

export function createSupabaseAuthStandIn(options: {
  anonKey: string;
  reuseIntervalSeconds?: number;
  signAccessToken: (user: AuthUser, sessionId: string, expiresIn: number) => Promise<string>;
}): SupabaseAuthStandIn {
  const reuseMs = (options.reuseIntervalSeconds ?? 10) * 1000;
  const sessions = new Map<string, SessionRow>();
  const tokens = new Map<string, RefreshTokenRow>();
  const refreshes: RefreshRecord[] = [];

  const newToken = (sessionId: string, parent: string | null): RefreshTokenRow => {
    // The legacy format: 12 lower-case letters and digits.
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    const token = [...randomBytes(12)].map((b) => alphabet[b % alphabet.length]).join('');
    const row = { token, sessionId, parent, revoked: false, updatedAt: Date.now() };
    tokens.set(token, row);
    return row;
  };

  const issue = async (session: SessionRow, refreshToken: string): Promise<IssuedSession> => {
    const now = Math.floor(Date.now() / 1000);
    return {
      access_token: await options.signAccessToken(session.user, session.id, session.expiresIn),
      token_type: 'bearer',
      expires_in: session.expiresIn,
      expires_at: now + session.expiresIn,
      refresh_token: refreshToken,
    };
  };

  const userJson = (user: AuthUser) => ({
    id: user.id,
    aud: 'authenticated',
    role: 'authenticated',
    email: user.email,
    app_metadata: { provider: 'email', providers: ['email'], ...(user.admin ? { role: 'admin' } : {}) },
    user_metadata: {},
    created_at: '2026-01-01T00:00:00Z',
  });

  async function refresh(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const versioned = req.headers['x-supabase-api-version'] === '2024-01-01';
    const fail = (status: number, code: string, message: string, presented: string) => {
      refreshes.push({ refreshToken: presented, status, outcome: code, at: Date.now() });
      const body = versioned ? { code, message } : { code: status, error_code: code, msg: message };
      res.writeHead(status, { 'content-type': 'application/json', 'x-sb-error-code': code, ...CORS }).end(JSON.stringify(body));
    };
    if (req.headers.apikey !== options.anonKey) {
      res.writeHead(401, { 'content-type': 'application/json', ...CORS }).end(JSON.stringify({ message: req.headers.apikey ? 'Invalid API key' : 'No API key found in request' }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let presented = '';
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { refresh_token?: unknown };
      presented = typeof body.refresh_token === 'string' ? body.refresh_token : '';
    } catch {
      presented = '';
    }
    if (!presented) {
      refreshes.push({ refreshToken: '', status: 400, outcome: 'invalid_request', at: Date.now() });
      res.writeHead(400, { 'content-type': 'application/json', ...CORS }).end(JSON.stringify({ error: 'invalid_request', error_description: 'refresh_token required' }));
      return;
    }
    const row = tokens.get(presented);
    const session = row ? sessions.get(row.sessionId) : undefined;
    if (!row || !session) return fail(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found', presented);
    let issued: string;
    let outcome = 'ok';
    if (row.revoked) {
      const active = [...tokens.values()].find((t) => t.sessionId === session.id && !t.revoked);
      if (active && active.parent === row.token) {
        issued = active.token;
        outcome = 'reused_parent';
      } else if (Date.now() <= row.updatedAt + reuseMs) {
        issued = newToken(session.id, row.token).token;
        outcome = 'reused_within_interval';
      } else {
        // Reuse outside the interval: possible theft, the whole session goes.
        for (const [token, t] of tokens) if (t.sessionId === session.id) tokens.delete(token);
        sessions.delete(session.id);
        return fail(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used', presented);
      }
    } else {
      row.revoked = true;
      row.updatedAt = Date.now();
      issued = newToken(session.id, row.token).token;
    }
    refreshes.push({ refreshToken: presented, status: 200, outcome, at: Date.now() });
    const answer = { ...(await issue(session, issued)), user: userJson(session.user) };
    res.writeHead(200, { 'content-type': 'application/json', 'sb-auth-session-id': session.id, ...CORS }).end(JSON.stringify(answer));
  }

  return {
    refreshes,
    async signIn(user, signInOptions = {}) {
      const session: SessionRow = { id: randomUUID(), user, expiresIn: signInOptions.expiresIn ?? 3600 };
      sessions.set(session.id, session);
      return issue(session, newToken(session.id, null).token);
    },
    revokeSessions(userId) {
      for (const [id, session] of sessions) {
        if (session.user.id !== userId) continue;
        sessions.delete(id);
        for (const [token, t] of tokens) if (t.sessionId === id) tokens.delete(token);
      }
    },
    handle(req, res, url) {
      if (url.pathname !== '/auth/v1/token' || req.method !== 'POST' || url.searchParams.get('grant_type') !== 'refresh_token') return false;
      refresh(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 500, error_code: 'unexpected_failure', msg: String(error) }));
      });
      return true;
    },
  };
}
