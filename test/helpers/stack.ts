// TEMPORARY shim of the lead's test/helpers/stack.ts (not part of the repo): API + emulator + status
// feed + UI, on a fresh database of the running embedded Postgres; the worker when available.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import pg from 'pg';
import { createApp } from '../../src/api/app.ts';
import { createUser } from '../../src/auth/createUser.ts';
import { issueToken } from '../../src/auth/issueToken.ts';
import { loadConfig } from '../../src/config.ts';
import { createPool } from '../../src/db/pool.ts';
import { migrate } from '../../src/db/migrate.ts';
import { startEmulator } from '../../src/emulator/index.ts';
import { createLogger } from '../../src/node/logger.ts';
import { startPgStatusFeed } from '../../src/node/pgStatusFeed.ts';
import { uiRoutes } from '../../src/node/serveUi.ts';
import { createStripeClient } from '../../src/stripe/createStripeClient.ts';
import { startWorker } from '../../src/sync/worker.ts';
import type { Hono } from 'hono';

export async function startStack() {
  const adminUrl = process.env.SHIM_ADMIN_URL!;
  const name = `spacesync_shim_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const pool = createPool(url, { max: 20 });
  await migrate(pool);
  const jwtSecret = 'shim-secret-shim-secret-shim-secret-0123456789';
  const config = loadConfig({ JWT_SECRET: jwtSecret, LOG_LEVEL: 'warn', PORT: '0' });
  const log = createLogger('warn');
  const emu = await startEmulator({ port: 0 });
  const stripe = createStripeClient({ apiUrl: emu.url, secretKey: 'sk_test_shim' });
  const statusFeed = startPgStatusFeed(url, log);
  await statusFeed.ready;
  let app: Hono | undefined;
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: (req) => app!.fetch(req), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address() as { port: number };
  const endpoint = await stripe.webhookEndpoints.create({ url: `http://127.0.0.1:${address.port}/webhooks/stripe`, enabled_events: ['*'] });
  app = createApp({ config: { ...config, stripeApiUrl: emu.url }, pool, stripe, log, statusFeed, emulatorDashboardUrl: emu.url, webhookSecret: endpoint.secret }) as unknown as Hono;
  app.route('/', uiRoutes(join(import.meta.dirname, '../../web/dist')));
  const worker = await startWorker({ pool, stripe, config: { ...config, stripeRateLimit: 90, workerConcurrency: 4 }, log, pollInterval: 500 });
  const adminEmail = 'admin@example.com';
  const adminPassword = 'correct-horse-battery';
  const user = await createUser(pool, { email: adminEmail, password: adminPassword, admin: true, iterations: 1000 });
  const adminToken = await issueToken({ id: user.id, email: user.email, role: 'admin' }, jwtSecret);
  return {
    apiUrl: `http://127.0.0.1:${address.port}`,
    emulatorUrl: emu.url,
    pool,
    stripe,
    adminToken,
    adminEmail,
    adminPassword,
    async stop() {
      await worker.stop();
      await new Promise<void>((r) => server.close(() => r()));
      await statusFeed.close();
      await emu.stop();
      await pool.end();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
