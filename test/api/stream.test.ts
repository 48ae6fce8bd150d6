// GET /api/stream: Server-Sent Events fed by Postgres LISTEN/NOTIFY through one listening client.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../helpers/db.ts';
import { adminToken, json, testApp } from './helpers.ts';
import { startPgStatusFeed } from '../../src/node/pgStatusFeed.ts';
import { silentLogger } from '../../src/log.ts';
import { metrics } from '../../src/metrics.ts';

const db = await createTestDatabase();
const feed = startPgStatusFeed(db.url, silentLogger);
after(() => feed.close());
await feed.ready;
const app = testApp(db.pool, { statusFeed: feed, streamPingIntervalMs: 200 });
const admin = await adminToken();

/** Reads SSE frames from a response until `until` returns true or the timeout passes. */
async function readFrames(res: Response, until: (frames: string[]) => boolean, timeoutMs = 5000): Promise<string[]> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const frames: string[] = [];
  const deadline = Date.now() + timeoutMs;
  while (!until(frames) && Date.now() < deadline) {
    const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now()))]);
    if (!chunk || chunk.done) break;
    buffer += decoder.decode(chunk.value, { stream: true });
    let i;
    while ((i = buffer.indexOf('\n\n')) >= 0) {
      frames.push(buffer.slice(0, i));
      buffer = buffer.slice(i + 2);
    }
  }
  await reader.cancel();
  return frames;
}

function parse(frames: string[], event: string): Array<Record<string, unknown>> {
  return frames
    .filter((f) => f.split('\n').includes(`event: ${event}`))
    .map((f) => JSON.parse(f.split('\n').find((l) => l.startsWith('data: '))?.slice(6) ?? '{}'));
}

test('space sync changes, catalog run progress and new log lines arrive as SSE events', async () => {
  const res = await app.request('/api/stream', json('GET', undefined, admin));
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const reading = readFrames(res, (frames) => parse(frames, 'log').length > 0 && parse(frames, 'catalog_run').length > 1);
  await new Promise((r) => setTimeout(r, 100));
  const { rows: [space] } = await db.pool.query(`insert into spaces (name) values ('Streamed') returning id`);
  await db.pool.query(`update spaces set sync_status = 'synced', synced_version = version, stripe_product_id = 'prod_live', last_error = $2 where id = $1`, [space.id, 'e'.repeat(20_000)]);
  await db.pool.query(`update spaces set description = 'not a sync column, but bumps version' where id = $1`, [space.id]);
  const { rows: [run] } = await db.pool.query(`insert into catalog_runs (dry_run) values (true) returning id`);
  await db.pool.query(`update catalog_runs set status = 'applying', total = 10, done = 3, calls = 5 where id = $1`, [run.id]);
  await db.pool.query(`insert into application_logs (level, source, event, space_id, message) values ('info', 'sync', 'synced', $1, 'all good')`, [space.id]);
  const frames = await reading;
  const spaces = parse(frames, 'space').filter((s) => s.id === space.id);
  assert.deepEqual(spaces.map((s) => s.sync_status), ['pending', 'synced', 'pending']);
  assert.equal(spaces[1].stripe_product_id, 'prod_live');
  assert.equal((spaces[1].last_error as string).length, 2000, 'long texts are cut (NOTIFY payloads < 8000 bytes)');
  for (const key of ['id', 'sync_status', 'version', 'synced_version', 'last_error', 'last_synced_at', 'stripe_product_id', 'sync_attempt']) assert.ok(key in spaces[0], key);
  const runs = parse(frames, 'catalog_run');
  assert.deepEqual(runs.at(-1), { id: run.id, status: 'applying', total: 10, done: 3, failed: 0, calls: 5 });
  const logs = parse(frames, 'log');
  assert.equal(logs[0].message, 'all good');
  assert.equal(logs[0].space_id, space.id);
});

test('a `: ping` comment keeps the stream alive; closed streams unsubscribe', async () => {
  const res = await app.request('/api/stream', json('GET', undefined, admin));
  const frames = await readFrames(res, (f) => f.includes(': ping'), 3000);
  assert.ok(frames.includes(': ping'), JSON.stringify(frames));
  const deadline = Date.now() + 2000;
  while (feed.subscribers() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(feed.subscribers(), 0);
});

test('GET /metrics exposes the documented metrics in Prometheus text', async () => {
  metrics.syncs.inc({ result: 'synced' });
  metrics.syncDuration.observe(0.3);
  metrics.stripeRequests.inc({ endpoint: 'POST /v1/products', status: '200' });
  metrics.webhookEvents.inc({ type: 'product.updated', result: 'echo' });
  const res = await app.request('/metrics');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/plain; version=0.0.4/);
  const text = await res.text();
  for (const line of [
    'spacesync_syncs_total{result="synced"} 1',
    'spacesync_sync_duration_seconds_bucket{le="0.5"} 1',
    'spacesync_sync_duration_seconds_count 1',
    'spacesync_stripe_requests_total{endpoint="POST /v1/products",status="200"} 1',
    'spacesync_webhook_events_total{type="product.updated",result="echo"} 1',
    'spacesync_queue_depth{task="sync_space"} 1',
    '# TYPE spacesync_webhook_deliveries_total counter',
  ]) assert.ok(text.includes(line), `missing: ${line}\n${text}`);
});
