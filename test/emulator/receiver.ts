// A tiny local webhook receiver (node:http on 127.0.0.1, port 0) recording what it gets.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  body: string;
  signature: string;
  headers: IncomingMessage['headers'];
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Status to answer for the nth request (0-based); default 200. */
  statusFor: (n: number) => number;
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(statusFor: (n: number) => number = () => 200): Promise<Receiver> {
  const received: Received[] = [];
  const state = { statusFor };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n = received.length;
      received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['stripe-signature'] ?? ''), headers: req.headers });
      res.writeHead(state.statusFor(n), { connection: 'close' });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    get statusFor() {
      return state.statusFor;
    },
    set statusFor(f) {
      state.statusFor = f;
    },
    async waitFor(count, timeoutMs = 3000) {
      const until = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > until) throw new Error(`receiver got ${received.length} of ${count} deliveries`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return received;
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
