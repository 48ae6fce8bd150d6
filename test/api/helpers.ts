// Shared by the API tests: an app on a test database, tokens for each kind of caller, a JSON request.
import { SignJWT } from 'jose';
import { createApp, type ApiDeps } from '../../src/api/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Pool } from '../../src/db/pool.ts';
import type { Logger } from '../../src/log.ts';
import { silentLogger } from '../../src/log.ts';
import { createStripeClient } from '../../src/stripe/createStripeClient.ts';

export const JWT_SECRET = 'test-jwt-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
export const WEBHOOK_SECRET = 'whsec_test_0123456789abcdefghijklmnop';
export const ADMIN_ID = '00000000-0000-4000-8000-00000000000a';
export const USER_ID = '00000000-0000-4000-8000-00000000000b';

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ JWT_SECRET, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'silent', ...env });
}

export function testApp(pool: Pool, overrides: Partial<ApiDeps> = {}) {
  const config = overrides.config ?? testConfig();
  const stripe = overrides.stripe ?? createStripeClient({ apiUrl: config.stripeApiUrl, maxNetworkRetries: 0, timeoutMs: 500 });
  return createApp({ config, pool, stripe, log: overrides.log ?? silentLogger, ...overrides });
}

export async function sign(claims: Record<string, unknown>, options: { secret?: string; expiresIn?: number | string } = {}): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  jwt.setExpirationTime(options.expiresIn ?? '1h');
  return jwt.sign(new TextEncoder().encode(options.secret ?? JWT_SECRET));
}

/** An HS256 token over `payload` exactly as given (JSON text), for claims jose would refuse to build. */
export async function signRaw(payload: string, secret = JWT_SECRET): Promise<string> {
  const enc = (text: string) => Buffer.from(text).toString('base64url');
  const input = `${enc('{"alg":"HS256","typ":"JWT"}')}.${enc(payload)}`;
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(input));
  return `${input}.${Buffer.from(mac).toString('base64url')}`;
}

/** `{"a":[{"a":[… "x" …]}]}` nested `depth` levels, as JSON text. */
export function deepJsonText(depth: number): string {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    open += i % 2 ? '[' : '{"a":';
    close = (i % 2 ? ']' : '}') + close;
  }
  return `${open}"x"${close}`;
}

export const adminToken = () => sign({ sub: ADMIN_ID, role: 'authenticated', aud: 'authenticated', email: 'admin@example.com', app_metadata: { role: 'admin' } });
export const userToken = () => sign({ sub: USER_ID, role: 'authenticated', aud: 'authenticated', email: 'user@example.com', app_metadata: { role: 'user' } });

export function json(method: string, body?: unknown, token?: string, headers: Record<string, string> = {}): RequestInit {
  const h: Record<string, string> = { ...headers };
  if (body !== undefined) h['content-type'] = 'application/json';
  if (token) h.authorization = `Bearer ${token}`;
  return { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) };
}

/** A logger that keeps every line (as JSON text) so tests can grep them. */
export function capturingLogger(lines: string[]): Logger {
  const make = (bindings: Record<string, unknown>): Logger => {
    const write = (level: string) => (obj: object | string, msg?: string) => {
      lines.push(JSON.stringify({ level, ...bindings, ...(typeof obj === 'string' ? { msg: obj } : obj), ...(msg ? { msg } : {}) }, (_k, v) => (v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v)));
    };
    return { trace: write('trace'), debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'), child: (b) => make({ ...bindings, ...b }) };
  };
  return make({});
}

export const validSpace = (over: Record<string, unknown> = {}) => ({
  name: 'Room A',
  description: 'A quiet meeting room',
  kind: 'meeting_room',
  capacity: 8,
  location: 'Floor 2',
  prices: [
    { pricing_type: 'hourly', unit_amount: 2500, currency: 'eur' },
    { pricing_type: 'monthly', unit_amount: 90000, currency: 'eur', recurring_interval: 'month' },
  ],
  ...over,
});
