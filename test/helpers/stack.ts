// The whole of spacesync in-process for end-to-end tests: this file's own database, the Stripe
// emulator, the worker, and the API serving the admin UI — started the way `spacesync start` does.
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Stripe from 'stripe';
import { loadConfig, type Config } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { startServices } from '../../src/node/startServices.ts';
import { createStripeClient } from '../../src/stripe/createStripeClient.ts';
import type { Pool } from '../../src/db/pool.ts';
import { createTestDatabase } from './db.ts';

export interface Stack {
  apiUrl: string;
  emulatorUrl: string;
  databaseUrl: string;
  pool: Pool;
  stripe: Stripe;
  config: Config;
  adminEmail: string;
  adminPassword: string;
  adminToken: string;
  stop(): Promise<void>;
}

/**
 * Starts the stack. The caller stops it (`after(() => stack.stop())`): stop() ends the services, then
 * drops the database.
 */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const db = await createTestDatabase({ manual: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'spacesync-stack-'));
  chmodSync(dataDir, 0o755);
  const adminEmail = 'admin@example.com';
  const adminPassword = 'correct horse battery staple';
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    EMULATOR_PORT: '0',
    DATA_DIR: dataDir,
    ADMIN_EMAIL: adminEmail,
    ADMIN_PASSWORD: adminPassword,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const services = await startServices(config, silentLogger, { api: true, worker: true, emulator: true });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await services.stop();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const login = await fetch(`${services.apiUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: adminEmail, password: adminPassword }),
  });
  if (!login.ok) throw new Error(`admin login failed: ${login.status} ${await login.text()}`);
  const { access_token } = (await login.json()) as { access_token: string };
  return {
    apiUrl: services.apiUrl!,
    emulatorUrl: services.emulatorUrl!,
    databaseUrl: db.url,
    pool: db.pool,
    stripe: createStripeClient({ apiUrl: services.emulatorUrl, maxNetworkRetries: 0 }),
    config,
    adminEmail,
    adminPassword,
    adminToken: access_token,
    stop,
  };
}
