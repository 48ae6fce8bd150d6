// Starts what `spacesync start` (or `api`, `worker`) runs, in order, and stops it in reverse order.
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { createApp } from '../api/app.ts';
import { createStripeClient } from '../stripe/createStripeClient.ts';
import { startEmulator } from '../emulator/index.ts';
import { openDatabase } from './openDatabase.ts';

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

    let apiUrl: string | undefined;
    if (parts.api) {
      const app = createApp({ config, pool: db.pool, stripe, log });
      const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
        const s = serve({ fetch: app.fetch, port: config.port, hostname: '0.0.0.0' }, () => resolve(s));
        s.once('error', reject);
      });
      stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      apiUrl = `http://localhost:${port}`;
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
