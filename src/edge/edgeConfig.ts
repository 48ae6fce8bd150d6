// Configuration of an Edge Function: the same variables as the Node service (src/config.ts), with
// Supabase's own defaults. A function's secrets come from `supabase secrets set`; Supabase adds
// SUPABASE_URL (whose JWKS verifies user tokens) and SUPABASE_DB_URL (the project's database).
import { ConfigError, loadConfig, type Config } from '../config.ts';

export type EdgeConfig = Config & { databaseUrl: string };

export function loadEdgeConfig(env: Record<string, string | undefined>): EdgeConfig {
  const databaseUrl = env.DATABASE_URL?.trim() || env.SUPABASE_DB_URL?.trim();
  const config = loadConfig({ ...env, DATABASE_URL: databaseUrl });
  if (!config.databaseUrl) {
    throw new ConfigError('DATABASE_URL', 'is not set, nor is SUPABASE_DB_URL (Supabase sets it in deployed functions): set DATABASE_URL to the project’s connection string.');
  }
  if (!config.stripeSecretKey && !config.stripeApiUrl) {
    throw new ConfigError('STRIPE_SECRET_KEY', 'is not set: `supabase secrets set STRIPE_SECRET_KEY=sk_test_…` (or STRIPE_API_URL for a Stripe emulator).');
  }
  return { ...config, databaseUrl: config.databaseUrl };
}
