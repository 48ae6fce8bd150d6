// Stripe emulator throughput and memory.
// - HTTP: the emulator runs in its own child process (src/emulator/main.ts); this process is the
//   client, with a keep-alive http.Agent and 16 concurrent requests in flight. Measures product
//   creates/s (form-encoded POST /v1/products) and product list reads/s (GET /v1/products?limit=10),
//   the latter against the 100k-product catalogue so list cost is shown to be O(limit).
// - Memory: in-process, 100,000 products created through the store's own create path
//   (createProduct: same validation, ids, events as the API) then RSS and heap used after GC.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Emulator } from '../src/emulator/emulator.ts';
import { listProducts } from '../src/emulator/products.ts';
import { createProduct } from '../src/emulator/products.ts';
import { round, summarize, writeReport, type Row } from './lib.ts';

const here = dirname(fileURLToPath(import.meta.url));
const CONCURRENCY = 16;
const CREATES = 30_000;
const LIST_SECONDS = 5;
const MEMORY_PRODUCTS = 100_000;

function startChild(): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, '../src/emulator/main.ts'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('error', reject);
    child.stdout!.setEncoding('utf8');
    let buf = '';
    child.stdout!.on('data', (d: string) => {
      buf += d;
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(buf);
      if (m) resolve({ child, port: Number(m[1]) });
    });
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function request(port: number, method: string, path: string, body?: string): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: {
      authorization: 'Bearer sk_test_bench',
      ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {}),
    } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function runConcurrent(count: number | null, seconds: number | null, make: (i: number) => Promise<{ status: number; ms: number }>) {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const t0 = performance.now();
  const deadline = seconds === null ? Infinity : t0 + seconds * 1000;
  const worker = async () => {
    while ((count === null || next < count) && performance.now() < deadline) {
      const r = await make(next++);
      if (r.status !== 200) errors++;
      latencies.push(r.ms);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  return { n: latencies.length, perSecond: latencies.length / elapsed, errors, lat: summarize(latencies) };
}

const mb = (b: number) => round(b / 1024 / 1024, 1);

async function httpPhase(rows: Row[], details: Record<string, unknown>) {
  const { child, port } = await startChild();
  try {
    // Warm up (JIT, sockets).
    await runConcurrent(2000, null, (i) => request(port, 'POST', '/v1/products', `name=Warm+${i}`));
    const creates = await runConcurrent(CREATES, null, (i) =>
      request(port, 'POST', '/v1/products', `name=Bench+room+${i}&description=Seats+${i % 20}&metadata[space_id]=sp_${i}&metadata[tenant]=t_${i % 7}`));
    rows.push({ case: 'product create (HTTP, keep-alive, 16 in flight)', ops: creates.n, 'ops/s': Math.round(creates.perSecond), 'p50 ms': round(creates.lat.p50), 'p99 ms': round(creates.lat.p99), errors: creates.errors, target: '>= 3000/s' });
    // Fill to ~100k products so list runs against a large catalogue.
    const fill = MEMORY_PRODUCTS - CREATES - 2000;
    await runConcurrent(fill, null, (i) => request(port, 'POST', '/v1/products', `name=Fill+${i}`));
    const list = await runConcurrent(null, LIST_SECONDS, () => request(port, 'GET', '/v1/products?limit=10'));
    rows.push({ case: 'product list limit=10 over 100k products (HTTP)', ops: list.n, 'ops/s': Math.round(list.perSecond), 'p50 ms': round(list.lat.p50), 'p99 ms': round(list.lat.p99), errors: list.errors });
    const list100 = await runConcurrent(null, LIST_SECONDS, () => request(port, 'GET', '/v1/products?limit=100&active=true'));
    rows.push({ case: 'product list limit=100 active=true over 100k (HTTP)', ops: list100.n, 'ops/s': Math.round(list100.perSecond), 'p50 ms': round(list100.lat.p50), 'p99 ms': round(list100.lat.p99), errors: list100.errors });
    details.http = { concurrency: CONCURRENCY, creates, list, list100, server: 'child process (node --import tsx src/emulator/main.ts)' };
  } finally {
    child.kill('SIGTERM');
    agent.destroy();
  }
}

function memoryPhase(rows: Row[], details: Record<string, unknown>) {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  const emu = new Emulator({});
  const actor = { requestId: 'req_bench', idempotencyKey: null, apiVersion: '2024-04-10' };
  const t0 = performance.now();
  for (let i = 0; i < MEMORY_PRODUCTS; i++) {
    createProduct(emu.store, { name: `Bench room ${i}`, description: `Seats ${i % 20}`, metadata: { space_id: `sp_${i}`, tenant: `t_${i % 7}` } }, actor);
  }
  const createSeconds = (performance.now() - t0) / 1000;
  gc?.();
  const after = process.memoryUsage();
  // List cost does not grow with the catalogue: time 1,000 first pages and 1,000 deep pages.
  const mid = emu.store.products.at(MEMORY_PRODUCTS / 2)!.obj.id;
  const t1 = performance.now();
  for (let i = 0; i < 1000; i++) listProducts(emu.store, { limit: '100' });
  const firstPageUs = ((performance.now() - t1) / 1000) * 1000;
  const t2 = performance.now();
  for (let i = 0; i < 1000; i++) listProducts(emu.store, { limit: '100', starting_after: mid });
  const deepPageUs = ((performance.now() - t2) / 1000) * 1000;
  rows.push({ case: `memory with ${MEMORY_PRODUCTS.toLocaleString('en')} products (in-process store)`, 'rss before MB': mb(before.rss), 'rss MB': mb(after.rss), 'heap used MB': mb(after.heapUsed), 'heap delta MB': mb(after.heapUsed - before.heapUsed), target: '<= 300 MB' });
  rows.push({ case: 'in-process createProduct (store path, no HTTP)', ops: MEMORY_PRODUCTS, 'ops/s': Math.round(MEMORY_PRODUCTS / createSeconds) });
  rows.push({ case: 'in-process list limit=100: first page / deep page (µs per call)', 'first µs': round(firstPageUs), 'deep µs': round(deepPageUs) });
  details.memory = { products: MEMORY_PRODUCTS, eventsKept: emu.store.events.events.size, before, after, gcExposed: Boolean(gc) };
  emu.close();
}

const rows: Row[] = [];
const details: Record<string, unknown> = {};
// Memory first, in a fresh heap, so the HTTP client's buffers do not inflate RSS.
memoryPhase(rows, details);
await httpPhase(rows, details);
writeReport({
  name: 'emulator',
  description: 'Stripe emulator: product create and list throughput over keep-alive HTTP (server in a child process, 16 requests in flight) and memory with 100,000 products.',
  rows,
  details,
});
