// Starts what `spacesync start` (or `api`, `worker`) runs, in order, and stops it in reverse order.
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { createApp } from '../api/app.ts';
import { createStripeClient } from '../stripe/createStripeClient.ts';
import { startEmulator } from '../emulator/index.ts';
import { openDatabase } from './openDatabase.ts';
import { ensureAdmin } from '../auth/ensureAdmin.ts';
import { resolveJwtSecret } from './resolveJwtSecret.ts';
import { startPgStatusFeed } from './pgStatusFeed.ts';
import { registerEmulatorWebhook } from './registerEmulatorWebhook.ts';
import { startWorker } from '../sync/worker.ts';
import { uiRoutes } from './serveUi.ts';

export interface Services {
  apiUrl?: string;
  emulatorUrl?: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

export interface ServiceParts {
  api: boolean;
  worker: boolean;
  /** Run the built-in emulator when no Stripe key or URL is configured. */
  emulator: boolean;
}

export async function startServices(config: Config, log: Logger, parts: ServiceParts): Promise<Services> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) {
      await s().catch((error: unknown) => log.error({ err: error }, 'error while stopping'));
    }
  };
  try {
    const db = await openDatabase(config, log);
    stops.push(() => db.close());

    let stripeApiUrl = config.stripeApiUrl;
    let emulatorUrl: string | undefined;
    if (parts.emulator && !config.stripeSecretKey && !stripeApiUrl) {
      const emulator = await startEmulator({ port: config.emulatorPort, persistFile: join(config.dataDir, 'emulator.json') });
      stops.push(() => emulator.stop());
      emulatorUrl = stripeApiUrl = emulator.url;
      log.info({ url: emulator.url }, 'Stripe emulator started');
    }
    const stripe = createStripeClient({ secretKey: config.stripeSecretKey, apiUrl: stripeApiUrl });

    if (parts.worker) {
      const worker = await startWorker({ pool: db.pool, stripe, config, log });
      stops.push(() => worker.stop());
    }

    let apiUrl: string | undefined;
    if (parts.api) {
      // Embedded login: a JWT secret (generated once into DATA_DIR when unset) and a first admin.
      const apiConfig = { ...config, jwtSecret: resolveJwtSecret(config, config.dataDir) };
      if (!config.supabaseUrl) {
        const admin = await ensureAdmin(db.pool, config);
        if (admin?.password) console.log(`\nCreated the admin ${admin.email} with the password ${admin.password}\n(shown once; set ADMIN_PASSWORD to choose it, or run \`spacesync user create\`)\n`);
        else if (admin) log.info({ email: admin.email }, 'created the admin from ADMIN_EMAIL / ADMIN_PASSWORD');
      }
      const statusFeed = startPgStatusFeed(db.url, log);
      stops.push(() => statusFeed.close());
      let webhookSecret = config.stripeWebhookSecret;
      const app = createApp({ config: apiConfig, pool: db.pool, stripe, log, statusFeed, webhookSecret: () => webhookSecret, emulatorDashboardUrl: emulatorUrl });
      // The admin UI, built into web/dist, answers every path the API leaves alone.
      app.route('/', uiRoutes(join(import.meta.dirname, '../../web/dist')));
      const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
        const s = serve({ fetch: app.fetch, port: config.port }, () => resolve(s));
        s.once('error', reject);
      });
      stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      apiUrl = `http://localhost:${port}`;
      if (!webhookSecret && emulatorUrl) webhookSecret = await registerEmulatorWebhook(stripe, `http://127.0.0.1:${port}/webhooks/stripe`);
    }
    return { apiUrl, emulatorUrl, databaseUrl: db.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resolves when the process receives SIGINT or SIGTERM. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
