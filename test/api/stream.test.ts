// GET /api/stream: Server-Sent Events read from the change log (spacesync_changes), woken by one
// LISTEN connection. Events are re-read from the tables (a forged NOTIFY carries nothing anywhere),
// numbered by the log, and a client resumes after its Last-Event-ID from any process.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
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

interface Frame {
  id?: string;
  event?: string;
  data?: Record<string, unknown>;
  comment?: string;
}

/** Reads SSE frames from a response until `until` returns true or the timeout passes. */
async function readFrames(res: Response, until: (frames: Frame[]) => boolean, timeoutMs = 5000): Promise<Frame[]> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const frames: Frame[] = [];
  const deadline = Date.now() + timeoutMs;
  while (!until(frames) && Date.now() < deadline) {
    const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now()))]);
    if (!chunk || chunk.done) break;
    buffer += decoder.decode(chunk.value, { stream: true });
    let i;
    while ((i = buffer.indexOf('\n\n')) >= 0) {
      const frame: Frame = {};
      for (const line of buffer.slice(0, i).split('\n')) {
        if (line.startsWith(':')) frame.comment = line.slice(1).trim();
        else if (line.startsWith('id: ')) frame.id = line.slice(4);
        else if (line.startsWith('event: ')) frame.event = line.slice(7);
        else if (line.startsWith('data: ')) frame.data = JSON.parse(line.slice(6));
      }
      frames.push(frame);
      buffer = buffer.slice(i + 2);
    }
  }
  await reader.cancel().catch(() => {});
  return frames;
}

const events = (frames: Frame[], event: string) => frames.filter((f) => f.event === event);
const open = (headers: Record<string, string> = {}, target = app) => target.request('/api/stream', json('GET', undefined, admin, headers));

test('inserts, updates of any field and deletes of spaces and prices, catalog runs and log lines arrive, re-read from the tables', async () => {
  const res = await open();
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const reading = readFrames(res, (f) => events(f, 'log').length > 0 && events(f, 'space').some((e) => e.data?.removed === true || e.data?.deleted_at));
  await new Promise((r) => setTimeout(r, 150));
  const { rows: [space] } = await db.pool.query(`insert into spaces (name) values ('Streamed') returning id`);
  await db.pool.query(`insert into space_prices (space_id, pricing_type, unit_amount, currency) values ($1, 'hourly', 2500, 'eur')`, [space.id]);
  await db.pool.query(`update spaces set location = 'Bastille' where id = $1`, [space.id]);
  const { rows: [run] } = await db.pool.query(`insert into catalog_runs (dry_run) values (true) returning id`);
  await db.pool.query(`update catalog_runs set status = 'applying', total = 10, done = 3, calls = 5 where id = $1`, [run.id]);
  await db.pool.query(`insert into application_logs (level, source, event, space_id, message) values ('info', 'sync', 'synced', $1, 'all good')`, [space.id]);
  await db.pool.query(`delete from spaces where id = $1`, [space.id]);
  const frames = await reading;
  const spaces = events(frames, 'space').filter((f) => f.data?.id === space.id);
  assert.ok(spaces.length > 0, JSON.stringify(frames));
  const ids = frames.filter((f) => f.id).map((f) => Number(f.id));
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'event ids increase');
  const all = spaces.map((f) => f.data as Record<string, unknown>);
  assert.ok(all.some((s) => s.name === 'Streamed' && s.location === 'Bastille'), 'an update of any field is sent, as the whole row');
  assert.ok(all.some((s) => Array.isArray(s.prices) && (s.prices as unknown[]).length === 1), 'with its prices');
  assert.ok(all.at(-1)?.deleted_at, 'a delete is sent');
  const runs = events(frames, 'catalog_run');
  assert.equal(runs.at(-1)?.data?.status, 'applying');
  assert.equal(runs.at(-1)?.data?.done, 3);
  assert.equal(events(frames, 'log')[0].data?.message, 'all good');
  assert.equal(events(frames, 'log')[0].data?.space_name, 'Streamed');
});

test('a NOTIFY forged by anon on spacesync_status reaches no stream', async () => {
  const res = await open();
  const reading = readFrames(res, (f) => events(f, 'space').length > 0, 2500);
  await new Promise((r) => setTimeout(r, 150));
  const anon = new pg.Client({ connectionString: db.url });
  await anon.connect();
  try {
    await anon.query('set role anon');
    await anon.query(`select pg_notify('spacesync_status', $1)`, [JSON.stringify({ type: 'space', data: { id: '00000000-0000-4000-8000-000000000001', last_error: 'FORGED BY ANON' } })]);
    await anon.query(`select pg_notify('spacesync_status', '999999')`);
    await assert.rejects(anon.query(`insert into spacesync_changes (kind, entity_id) values ('log', '1')`), /permission denied/);
    await assert.rejects(anon.query(`select public.spacesync_log_change('log', '1')`), /permission denied/);
  } finally {
    await anon.end();
  }
  const frames = await reading;
  assert.deepEqual(frames.filter((f) => f.event && f.event !== 'ready'), [], 'nothing but the ready event');
  assert.ok(!JSON.stringify(frames).includes('FORGED'));
});

test('a client resumes after its Last-Event-ID in another process: nothing missed, nothing repeated', async () => {
  const first = await open();
  const { rows: [a] } = await db.pool.query(`insert into spaces (name) values ('Before the cut') returning id`);
  const seen = await readFrames(first, (f) => events(f, 'space').some((e) => e.data?.id === a.id));
  const lastId = seen.filter((f) => f.id).at(-1)?.id as string;
  assert.ok(lastId);
  // While the client is away, changes happen; then it reconnects to a fresh app with its own feed.
  const { rows: [b] } = await db.pool.query(`insert into spaces (name) values ('While away') returning id`);
  await db.pool.query(`insert into application_logs (level, source, event, message) values ('warn', 'sync', 'x', 'missed?')`);
  const otherFeed = startPgStatusFeed(db.url, silentLogger);
  try {
    await otherFeed.ready;
    const otherApp = testApp(db.pool, { statusFeed: otherFeed });
    const res = await open({ 'Last-Event-ID': lastId }, otherApp);
    const frames = await readFrames(res, (f) => events(f, 'log').some((e) => e.data?.message === 'missed?'));
    assert.ok(events(frames, 'space').some((e) => e.data?.id === b.id), 'the space created while away');
    assert.ok(!events(frames, 'space').some((e) => e.data?.id === a.id), 'what was seen is not sent again');
    assert.ok(frames.filter((f) => f.id && f.event !== 'ready').every((f) => Number(f.id) > Number(lastId)));
  } finally {
    await otherFeed.close();
  }
  // An id the log no longer holds (or never held): the client is told to reload.
  const stale = await open({ 'Last-Event-ID': '999999999' });
  const frames = await readFrames(stale, (f) => f.some((x) => x.event), 2000);
  assert.equal(frames.find((f) => f.event)?.event, 'resync');
});

test('a change committed after a later one is not skipped (ids are taken in order, committed in any order)', async () => {
  const res = await open();
  const reading = readFrames(res, (f) => ['First taken', 'Second taken'].every((n) => events(f, 'space').some((e) => e.data?.name === n)), 8000);
  await new Promise((r) => setTimeout(r, 150));
  const slow = await db.pool.connect();
  try {
    await slow.query('begin');
    await slow.query(`insert into spaces (name) values ('First taken')`);
    await db.pool.query(`insert into spaces (name) values ('Second taken')`);
    await new Promise((r) => setTimeout(r, 300));
    await slow.query('commit');
  } finally {
    slow.release();
  }
  const frames = await reading;
  const names = events(frames, 'space').map((e) => e.data?.name);
  assert.ok(names.includes('First taken') && names.includes('Second taken'), JSON.stringify(names));
  // A rolled-back write leaves a hole that does not stop the stream.
  const res2 = await open();
  const reading2 = readFrames(res2, (f) => events(f, 'space').some((e) => e.data?.name === 'After a rollback'), 5000);
  await new Promise((r) => setTimeout(r, 150));
  const c = await db.pool.connect();
  try {
    await c.query('begin');
    await c.query(`insert into spaces (name) values ('Rolled back')`);
    await c.query('rollback');
  } finally {
    c.release();
  }
  await db.pool.query(`insert into spaces (name) values ('After a rollback')`);
  const frames2 = await reading2;
  assert.ok(events(frames2, 'space').some((e) => e.data?.name === 'After a rollback'));
  assert.ok(!events(frames2, 'space').some((e) => e.data?.name === 'Rolled back'));
});

test('HEAD /api/stream answers the headers and holds nothing open', async () => {
  const before = feed.subscribers();
  const res = await app.request('/api/stream', json('HEAD', undefined, admin));
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  assert.equal(await res.text(), '');
  assert.equal(feed.subscribers(), before);
});

test('a `: ping` comment keeps the stream alive; closed streams unsubscribe', async () => {
  const res = await open();
  const frames = await readFrames(res, (f) => f.some((x) => x.comment === 'ping'), 3000);
  assert.ok(frames.some((x) => x.comment === 'ping'), JSON.stringify(frames));
  const deadline = Date.now() + 2000;
  while (feed.subscribers() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(feed.subscribers(), 0);
});

test('closing the feed (shutdown) ends every open stream', async () => {
  const ownFeed = startPgStatusFeed(db.url, silentLogger);
  await ownFeed.ready;
  const ownApp = testApp(db.pool, { statusFeed: ownFeed, streamPingIntervalMs: 60_000 });
  const streams = await Promise.all([open({}, ownApp), open({}, ownApp), open({}, ownApp)]);
  const ended = streams.map(async (res) => {
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    for (;;) if ((await reader.read()).done) return true;
  });
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(ownFeed.subscribers(), 3);
  await ownFeed.close();
  const results = await Promise.race([Promise.all(ended), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000))]);
  assert.deepEqual(results, [true, true, true]);
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
    '# TYPE spacesync_webhook_deliveries_total counter',
  ]) assert.ok(text.includes(line), `missing: ${line}\n${text}`);
});
