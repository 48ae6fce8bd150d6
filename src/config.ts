// Configuration, parsed once from an environment record into a typed object. A bad value stops the
// start with the variable's name and how to fix it. No IO here: the caller passes the environment.

export type StripeMode = 'live' | 'test' | 'emulator';
export type DriftPolicy = 'enforce' | 'adopt';
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface Config {
  /** Postgres connection string; undefined = start the embedded Postgres under dataDir. */
  databaseUrl?: string;
  /** Stripe secret key; undefined = the built-in emulator. */
  stripeSecretKey?: string;
  stripeMode: StripeMode;
  /** Another Stripe-compatible base URL (an emulator started alone, say). */
  stripeApiUrl?: string;
  stripeWebhookSecret?: string;
  /** Requests per second the gateway allows itself (90% of Stripe's limit by default). */
  stripeRateLimit: number;
  /** HS256 secret for API tokens (Supabase's JWT secret works as is). */
  jwtSecret?: string;
  jwksUrl?: string;
  /** Required `iss` of user tokens (and the `iss` of the embedded login's tokens); unset: not checked. */
  jwtIssuer?: string;
  /** Longest lifetime (exp − iat, and exp − now) accepted for a user token, in seconds. */
  jwtMaxLifetimeSeconds: number;
  supabaseUrl?: string;
  /** The project's anon or publishable key: sent as `apikey` to Supabase Auth (session refresh). */
  supabaseAnonKey?: string;
  port: number;
  emulatorPort: number;
  dataDir: string;
  logLevel: LogLevel;
  driftPolicy: DriftPolicy;
  workerConcurrency: number;
  adminEmail?: string;
  adminPassword?: string;
  /** Origin allowed by CORS besides the API's own (a Vite dev server, say). */
  corsOrigin?: string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** Documented variables: name, default, meaning. The README table is written from the same facts. */
export const configVariables = [
  ['DATABASE_URL', '(embedded Postgres)', 'Postgres connection string (any Postgres 15+, Supabase included). Unset: a real Postgres embedded under DATA_DIR.'],
  ['STRIPE_SECRET_KEY', '(built-in emulator)', 'Stripe secret key (sk_test_… or sk_live_…; restricted rk_… keys work too). Unset: the built-in Stripe emulator.'],
  ['STRIPE_API_URL', '', 'Base URL of another Stripe-compatible API, e.g. an emulator started alone (http://127.0.0.1:12111).'],
  ['STRIPE_WEBHOOK_SECRET', '(registered with the emulator)', 'Signing secret (whsec_…) of the webhook endpoint.'],
  ['STRIPE_RATE_LIMIT', '90 live, 22.5 test', 'Stripe requests per second the gateway allows itself.'],
  ['JWT_SECRET', '(generated, kept in DATA_DIR)', 'HS256 secret for API tokens; Supabase’s JWT secret works as is.'],
  ['JWKS_URL', '(SUPABASE_URL’s)', 'JWKS for asymmetric tokens; defaults to SUPABASE_URL/auth/v1/.well-known/jwks.json.'],
  ['JWT_ISSUER', '', 'Issuer (`iss`) that user tokens must carry, e.g. https://<project>.supabase.co/auth/v1; the embedded login issues its tokens with it. Unset: `iss` is not checked (the embedded login uses `spacesync`).'],
  ['JWT_MAX_LIFETIME', '604800', 'Longest lifetime of a user token that the API accepts, in seconds (one week, Supabase’s own ceiling).'],
  ['SUPABASE_URL', '', 'Supabase project URL, for its JWKS and its Auth API (POST /api/auth/refresh).'],
  ['SUPABASE_ANON_KEY', '', 'The project’s anon key, the `apikey` of POST /api/auth/refresh’s call to Supabase Auth. Supabase sets it in Edge Functions.'],
  ['SUPABASE_PUBLISHABLE_KEYS', '', 'The project’s publishable keys as Supabase sets them in Edge Functions (JSON, {"default": "sb_publishable_…"}); the `default` one is used before SUPABASE_ANON_KEY.'],
  ['PORT', '3000', 'Port of the API and the admin UI.'],
  ['EMULATOR_PORT', 'PORT + 1', 'Port of the built-in Stripe emulator when `spacesync start` runs one.'],
  ['DATA_DIR', '.spacesync', 'Where the embedded Postgres, the emulator’s state and generated secrets live.'],
  ['LOG_LEVEL', 'info', 'trace, debug, info, warn, error, fatal or silent.'],
  ['DRIFT_POLICY', 'enforce', 'What to do when a managed object is edited in Stripe: enforce (re-sync) or adopt (copy name, description and active back).'],
  ['WORKER_CONCURRENCY', '4', 'Jobs one worker process runs at once.'],
  ['ADMIN_EMAIL', 'admin@spacesync.local', 'Admin created on first start of the embedded login.'],
  ['ADMIN_PASSWORD', '(random, printed once)', 'Password of that admin.'],
  ['CORS_ORIGIN', '', 'Another origin allowed to call the API (a UI served elsewhere).'],
] as const;

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env): Config {
  const str = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const stripeSecretKey = str('STRIPE_SECRET_KEY');
  if (stripeSecretKey && !/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/.test(stripeSecretKey)) {
    throw new ConfigError('STRIPE_SECRET_KEY', 'is not a Stripe secret key: it should start with sk_test_, sk_live_, rk_test_ or rk_live_ (Dashboard → Developers → API keys).');
  }
  const stripeMode: StripeMode = !stripeSecretKey ? 'emulator' : stripeSecretKey.includes('_live_') ? 'live' : 'test';
  const port = int(env, 'PORT', 3000, 0, 65535);
  const databaseUrl = str('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// or postgresql:// connection string, e.g. postgres://user:password@host:5432/db.');
  }
  const stripeApiUrl = str('STRIPE_API_URL');
  if (stripeApiUrl) url(stripeApiUrl, 'STRIPE_API_URL');
  const webhookSecret = str('STRIPE_WEBHOOK_SECRET');
  if (webhookSecret && !webhookSecret.startsWith('whsec_')) {
    throw new ConfigError('STRIPE_WEBHOOK_SECRET', 'should start with whsec_: copy the signing secret of the webhook endpoint from the Stripe dashboard.');
  }
  const jwtSecret = str('JWT_SECRET');
  if (jwtSecret && jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET', 'must be at least 32 characters long: generate one with `openssl rand -base64 48`.');
  }
  const supabaseUrl = str('SUPABASE_URL');
  if (supabaseUrl) url(supabaseUrl, 'SUPABASE_URL');
  const supabaseAnonKey = publishableKey(str('SUPABASE_PUBLISHABLE_KEYS')) ?? str('SUPABASE_ANON_KEY');
  const jwksUrl = str('JWKS_URL') ?? (supabaseUrl ? `${supabaseUrl.replace(/\/$/, '')}/auth/v1/.well-known/jwks.json` : undefined);
  if (jwksUrl) url(jwksUrl, 'JWKS_URL');
  const jwtIssuer = str('JWT_ISSUER');
  const jwtMaxLifetimeSeconds = int(env, 'JWT_MAX_LIFETIME', 7 * 24 * 3600, 60, 366 * 24 * 3600);
  const logLevel = oneOf(env, 'LOG_LEVEL', ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const, 'info');
  const driftPolicy = oneOf(env, 'DRIFT_POLICY', ['enforce', 'adopt'] as const, 'enforce');
  const defaultRate = stripeMode === 'live' ? 90 : stripeMode === 'test' ? 22.5 : 90;
  const stripeRateLimit = num(env, 'STRIPE_RATE_LIMIT', defaultRate, 0.1, 10_000);
  const corsOrigin = str('CORS_ORIGIN');
  if (corsOrigin) url(corsOrigin, 'CORS_ORIGIN');
  const adminEmail = str('ADMIN_EMAIL');
  if (adminEmail && !/^[^@\s]+@[^@\s]+$/.test(adminEmail)) {
    throw new ConfigError('ADMIN_EMAIL', 'is not an email address.');
  }
  const adminPassword = str('ADMIN_PASSWORD');
  if (adminPassword && adminPassword.length < 10) {
    throw new ConfigError('ADMIN_PASSWORD', 'must be at least 10 characters long.');
  }
  return {
    databaseUrl,
    stripeSecretKey,
    stripeMode,
    stripeApiUrl,
    stripeWebhookSecret: webhookSecret,
    stripeRateLimit,
    jwtSecret,
    jwksUrl,
    jwtIssuer,
    jwtMaxLifetimeSeconds,
    supabaseUrl,
    supabaseAnonKey,
    port,
    emulatorPort: int(env, 'EMULATOR_PORT', port === 0 ? 0 : port + 1, 0, 65535),
    dataDir: str('DATA_DIR') ?? '.spacesync',
    logLevel,
    driftPolicy,
    workerConcurrency: int(env, 'WORKER_CONCURRENCY', 4, 1, 100),
    adminEmail,
    adminPassword,
    corsOrigin,
  };
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${raw}").`);
  }
  return n;
}

function num(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new ConfigError(name, `must be a number from ${min} to ${max} (got "${raw}").`);
  }
  return n;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!(values as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${values.join(', ')} (got "${raw}").`);
  }
  return raw as T;
}

/** The `default` key of SUPABASE_PUBLISHABLE_KEYS (else its only one); undefined when unset. */
function publishableKey(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let keys: unknown;
  try {
    keys = JSON.parse(raw);
  } catch {
    keys = undefined;
  }
  const values = keys && typeof keys === 'object' && !Array.isArray(keys) ? (keys as Record<string, unknown>) : undefined;
  const key = values?.default ?? (values && Object.keys(values).length === 1 ? Object.values(values)[0] : undefined);
  if (typeof key !== 'string' || !key.trim()) {
    throw new ConfigError('SUPABASE_PUBLISHABLE_KEYS', 'must be a JSON object of key names to publishable keys with a "default" one, e.g. {"default": "sb_publishable_…"} (or unset it and set SUPABASE_ANON_KEY).');
  }
  return key.trim();
}

function url(value: string, name: string): void {
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new ConfigError(name, `must be an http(s) URL (got "${value}").`);
  }
}
