// The live status stream of `spacesync-api` under Deno 2.1.4 across the Edge runtime's wall-clock
// limit: each answer ends after STREAM_MAX_MS (here 1.2 s), the admin UI's own stream client
// (web/src/features/stream/api/openStream.ts, run here as the page runs it) reconnects with
// Last-Event-ID, and every change made meanwhile — while a stream was closing, between two, while one
// was opening — arrives: none missed, none twice, in order.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { issueToken } from '../../src/auth/issueToken.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { createFunctionSandbox, type RunningFunction } from './denoFunction.ts';

const JWT_SECRET = 'stream-reconnect-test-secret-0123456789abcdef';
const STREAM_MAX_MS = 1200;

const db = await createTestDatabase();
const sandbox = createFunctionSandbox();
let fn: RunningFunction;

before(async () => {
  fn = await sandbox.start('spacesync-api', { DATABASE_URL: db.url, JWT_SECRET, STREAM_MAX_MS: String(STREAM_MAX_MS), STRIPE_API_URL: 'http://127.0.0.1:9' });
});
after(async () => {
  await fn?.stop();
  sandbox.remove();
});

/** What the page provides the UI's modules: its location of the API, storage, window events, navigator. */
function asThePage(apiUrl: string, token: string): void {
  const storage = new Map<string, string>([['spacesync.token', token]]);
  Object.assign(globalThis, {
    document: { querySelector: (selector: string) => (selector === 'meta[name="spacesync-api-url"]' ? { content: apiUrl } : null) },
    localStorage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v), removeItem: (k: string) => void storage.delete(k) },
    window: new EventTarget(),
  });
  Object.defineProperty(globalThis, 'navigator', { value: { onLine: true }, configurable: true });
}

test('changes made across several stream windows all arrive once, in order, the client resuming with Last-Event-ID', async () => {
  const token = await issueToken({ id: '00000000-0000-4000-8000-0000000000a1', email: 'admin@example.com', role: 'admin' }, JWT_SECRET);
  asThePage(`${fn.url.replace(/\/spacesync-api$/, '')}/functions/v1/spacesync-api`, token);
  const { openStream } = await import('../../web/src/features/stream/api/openStream.ts');

  const events: Array<{ event: string; id: number; data: Record<string, unknown> }> = [];
  const opens: Array<{ reconnected: boolean; resumed: boolean; afterId: number | null }> = [];
  let state = '';
  const stream = openStream({
    onEvent: (e) => events.push({ event: e.event, id: Number(e.id), data: JSON.parse(e.data) as Record<string, unknown> }),
    onState: (s) => (state = s),
    onOpen: (reconnected, resumed) => opens.push({ reconnected, resumed, afterId: events.at(-1)?.id ?? null }),
    onRejected: (error) => assert.fail(`the stream was refused: ${error.message}`),
  });
  try {
    await waitFor('the stream to open', () => state === 'open' && events.some((e) => e.event === 'ready'));

    // A space every 20 ms for 8 s (windows of 1.2 s, each followed by the 1 s the server's `retry:`
    // asks before reconnecting), each renamed once a little later: a write lands at every moment of
    // a stream's life, and while none is open.
    const names = new Map<string, string>();
    const started = Date.now();
    let i = 0;
    while (Date.now() - started < 8000) {
      const { rows } = await db.pool.query<{ id: string }>(`insert into spaces (name) values ($1) returning id`, [`Space ${i}`]);
      names.set(rows[0].id, `Space ${i}`);
      const earlier = [...names.keys()][i - 5];
      if (earlier) {
        await db.pool.query(`update spaces set name = $2 where id = $1`, [earlier, `Space ${i - 5} renamed`]);
        names.set(earlier, `Space ${i - 5} renamed`);
      }
      i++;
      await new Promise((r) => setTimeout(r, 20));
    }
    const { rows: log } = await db.pool.query<{ last: string }>(`select max(id) as last from spacesync_changes`);
    const last = Number(log[0].last);
    await waitFor('every change to arrive', () => events.some((e) => e.id >= last), 20_000);

    // Several answers, each ended by the wall-clock limit, each resumed after the last event seen.
    const reconnections = opens.filter((o) => o.reconnected);
    assert.ok(reconnections.length >= 3, `reconnected ${reconnections.length} times`);
    assert.ok(reconnections.every((o) => o.resumed), 'every reconnection resumed after its Last-Event-ID');
    assert.ok(!events.some((e) => e.event === 'resync'), 'no reconnection had to resync');

    // None twice, none out of order: the change ids only go up, across connections.
    const changes = events.filter((e) => e.event === 'space');
    for (let k = 1; k < changes.length; k++) assert.ok(changes[k].id > changes[k - 1].id, `event ${changes[k].id} after ${changes[k - 1].id}`);
    // None missed: each space arrived, and the last word on each is its name now.
    const lastSeen = new Map<string, string>();
    for (const e of changes) lastSeen.set(e.data.id as string, e.data.name as string);
    assert.equal(lastSeen.size, names.size, `${names.size - lastSeen.size} of ${names.size} spaces never arrived`);
    for (const [id, name] of names) assert.equal(lastSeen.get(id), name, `space ${id}`);
    // Each change of the log was delivered, or folded into a later event of the same space (events
    // are re-read from the table: a burst on one space may arrive as its newest state).
    const { rows: all } = await db.pool.query<{ id: string; entity_id: string }>(`select id, entity_id::text from spacesync_changes where kind = 'space' order by id`);
    const delivered = new Set(changes.map((e) => e.id));
    for (const change of all) {
      const folded = changes.some((e) => e.id >= Number(change.id) && e.data.id === change.entity_id);
      assert.ok(delivered.has(Number(change.id)) || folded, `change ${change.id} of ${change.entity_id} never arrived`);
    }
  } finally {
    stream.close();
  }
});

async function waitFor(what: string, check: () => boolean, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
