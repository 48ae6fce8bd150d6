// Public entry of the Stripe emulator: start it on a port (standalone or in-process).
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Emulator } from './emulator.ts';
import type { FaultRule, WebhookShuffle } from './faults.ts';
import { createRequestHandler } from './server.ts';

export interface EmulatorOptions {
  port?: number; // 0 = ephemeral (default 0)
  host?: string; // default '127.0.0.1'
  apiKeys?: string[]; // accepted secret keys; default: any key starting with 'sk_test_' is accepted
  accountId?: string; // the account GET /v1/account names (default acct_1SpacesyncEmulator)
  rateLimit?: number; // requests/s; 0 or undefined = unlimited
  searchDelayMs?: number; // indexing delay for search (default 0)
  seed?: number; // seed for faults
  persistFile?: string; // optional JSON persistence file
  webhookRetry?: { maxAttempts?: number; baseDelayMs?: number }; // delivery retries (default small for tests)
  logRequests?: boolean;
  /** Initial fault rules (see README); also settable at run time via POST /_emulator/faults. */
  faults?: FaultRule[];
  /** Initial webhook shuffle: random delays and duplicates. */
  webhookShuffle?: WebhookShuffle | null;
  /** Offset of webhook signature timestamps in seconds: -400 signs as if sent 400 s ago (past a 300 s tolerance). */
  webhookClockSkewSeconds?: number;
}

export interface RunningEmulator {
  url: string;
  port: number;
  host: string;
  stop(): Promise<void>;
}

export interface RunningEmulatorWithState extends RunningEmulator {
  /** The in-process state (store, faults, request log…), for embedding and benchmarks. */
  emulator: Emulator;
  server: Server;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulatorWithState> {
  const host = opts.host ?? '127.0.0.1';
  const emulator = new Emulator({
    apiKeys: opts.apiKeys,
    accountId: opts.accountId,
    rateLimit: opts.rateLimit,
    searchDelayMs: opts.searchDelayMs,
    seed: opts.seed,
    persistFile: opts.persistFile,
    webhookRetry: opts.webhookRetry,
    logRequests: opts.logRequests,
    faults: opts.faults,
    webhookShuffle: opts.webhookShuffle,
    webhookClockSkewSeconds: opts.webhookClockSkewSeconds,
  });
  const server = createServer({ keepAliveTimeout: 5_000 }, createRequestHandler(emulator));
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let stopped: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    host,
    emulator,
    server,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        emulator.close();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

export { Emulator, DEFAULT_API_VERSION, type EmulatorConfig } from './emulator.ts';
export { createRequestHandler } from './server.ts';
export { signPayload } from './webhooks.ts';
export { decodeForm, encodeForm } from './formDecode.ts';
export type { FaultRule, WebhookShuffle, Latency } from './faults.ts';
export type { FaultsBody } from './control.ts';
export type { LoggedRequest } from './requestLog.ts';
export type { Product, Price, StripeEvent, WebhookEndpoint } from './types.ts';
