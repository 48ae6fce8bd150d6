// A stand-in for a Supabase project's URL (https://<ref>.supabase.co) for the browser tests: Supabase
// Auth's JWKS at /auth/v1/.well-known/jwks.json (an ES256 signing key, as new projects have), tokens
// signed with it, /auth/v1/user (the token's user, for supabase-js's auth.setSession), sessions and
// their refresh endpoint /auth/v1/token?grant_type=refresh_token (supabaseAuthStandIn.ts), and
// /functions/v1/<name>/… routed to that function running under Deno, as the
// project's gateway does: the function sees /<name>/…, every header and the body as sent (the
// preflight included: the function answers CORS itself), its answer streamed back. Each request is
// recorded (method, path, origin, apikey, authorization).
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { createSupabaseAuthStandIn, type SupabaseAuthStandIn } from './supabaseAuthStandIn.ts';

export interface GatewayRequest {
  method: string;
  path: string;
  origin: string | null;
  apikey: string | null;
  authorization: string | null;
  accessControlRequestMethod: string | null;
}

export interface SupabaseGatewayStandIn {
  /** The "Supabase URL" (SUPABASE_URL). */
  url: string;
  /** The project's anon key as supabase-js is given it (the gateway checks nothing of it; recorded). */
  anonKey: string;
  requests: GatewayRequest[];
  /** Routes /functions/v1/<name> to a function listening on 127.0.0.1:<port>. */
  route(name: string, port: number): void;
  /** An access token as Supabase Auth issues it (ES256, the project's key, 1 h). */
  accessToken(user: { id: string; email: string; admin: boolean }): Promise<string>;
  /** Supabase Auth's sessions: sign-ins with refresh tokens, their refreshes, revocation. */
  auth: SupabaseAuthStandIn;
  stop(): Promise<void>;
}

export async function startSupabaseGatewayStandIn(options: { reuseIntervalSeconds?: number } = {}): Promise<SupabaseGatewayStandIn> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'stand-in-key-1', alg: 'ES256', use: 'sig' };
  const routes = new Map<string, number>();
  const requests: GatewayRequest[] = [];
  const anonKey = 'stand-in-anon-key';
  let url = '';
  const auth = createSupabaseAuthStandIn({
    anonKey,
    reuseIntervalSeconds: options.reuseIntervalSeconds,
    signAccessToken: (user, sessionId, expiresIn) => signAccessToken(privateKey, url, user, { sessionId, expiresIn }),
  });
  const server: Server = createServer((req, res) => {
    const reqUrl = new URL(req.url ?? '/', 'http://gateway');
    requests.push({
      method: req.method ?? 'GET',
      path: reqUrl.pathname,
      origin: req.headers.origin ?? null,
      apikey: (req.headers.apikey as string | undefined) ?? null,
      authorization: req.headers.authorization ?? null,
      accessControlRequestMethod: (req.headers['access-control-request-method'] as string | undefined) ?? null,
    });
    if (reqUrl.pathname === '/auth/v1/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      return;
    }
    if (auth.handle(req, res, reqUrl)) return;
    if (req.method === 'OPTIONS' && reqUrl.pathname.startsWith('/auth/v1/')) {
      res.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'authorization, x-client-info, apikey, content-type, x-supabase-api-version', 'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS' }).end();
      return;
    }
    if (reqUrl.pathname === '/auth/v1/user') {
      // What supabase-js's auth.setSession asks: the user the access token belongs to.
      void jwtVerify((req.headers.authorization ?? '').replace(/^Bearer /, ''), publicKey).then(
        ({ payload }) => res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end(JSON.stringify({ id: payload.sub, aud: payload.aud, role: payload.role, email: payload.email, app_metadata: payload.app_metadata, user_metadata: {}, created_at: '2026-01-01T00:00:00Z' })),
        () => res.writeHead(401, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end(JSON.stringify({ code: 401, error_code: 'bad_jwt', msg: 'invalid JWT' })),
      );
      return;
    }
    const match = /^\/functions\/v1\/([a-z0-9_-]+)(\/.*)?$/.exec(reqUrl.pathname);
    const port = match ? routes.get(match[1]) : undefined;
    if (!match || port === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'NOT_FOUND', message: 'Requested function was not found' }));
      return;
    }
    const upstream = httpRequest(
      { host: '127.0.0.1', port, method: req.method, path: `/${match[1]}${match[2] ?? ''}${reqUrl.search}`, headers: { ...req.headers, host: `127.0.0.1:${port}` } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.flushHeaders();
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'function unreachable' }));
      else res.destroy();
    });
    // The browser went away (a stream closed): so does the upstream request.
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    anonKey,
    auth,
    requests,
    route: (name, port) => void routes.set(name, port),
    accessToken: (user) => signAccessToken(privateKey, url, user),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function signAccessToken(key: CryptoKey, url: string, user: { id: string; email: string; admin: boolean }, session: { sessionId?: string; expiresIn?: number } = {}): Promise<string> {
  return new SignJWT({ role: 'authenticated', aud: 'authenticated', email: user.email, app_metadata: { provider: 'email', providers: ['email'], ...(user.admin ? { role: 'admin' } : {}) }, user_metadata: {}, aal: 'aal1', is_anonymous: false, ...(session.sessionId ? { session_id: session.sessionId } : {}) })
    .setProtectedHeader({ alg: 'ES256', kid: 'stand-in-key-1', typ: 'JWT' })
    .setSubject(user.id)
    .setIssuer(`${url}/auth/v1`)
    .setIssuedAt()
    .setExpirationTime(`${session.expiresIn ?? 3600}s`)
    .sign(key);
}
