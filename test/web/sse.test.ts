// The admin UI's SSE parser on what a stream ended by a wall-clock limit may deliver: an event cut
// after its id line is not dispatched and not resumed after; whole events, in any chunking, are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser, type SseEvent } from '../../web/src/lib/sse.ts';

function parse(chunks: string[]) {
  const events: SseEvent[] = [];
  const parser = new SseParser((e) => events.push(e));
  for (const c of chunks) parser.push(c);
  return { events, lastEventId: parser.lastEventId };
}

test('an event cut before its blank line is neither dispatched nor resumed after', () => {
  const { events, lastEventId } = parse(['event: space\ndata: {"a":1}\nid: 41\n\n', 'event: space\ndata: {"a":2}\nid: 42\n']);
  assert.deepEqual(events, [{ event: 'space', data: '{"a":1}', id: '41' }]);
  assert.equal(lastEventId, '41', 'a reconnection asks for what follows 41: 42 again');
});

test('whole events in any chunking; an id-only block moves the resume point; CRLF', () => {
  const text = 'retry: 1000\n: connected\n\nevent: ready\ndata: {}\nid: 7\n\nevent: space\r\ndata: x\r\ndata: y\r\nid: 8\r\n\r\nid: 9\n\n';
  for (const size of [1, 2, 5, text.length]) {
    const chunks = text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g'))!;
    const { events, lastEventId } = parse(chunks);
    assert.deepEqual(events, [
      { event: 'ready', data: '{}', id: '7' },
      { event: 'space', data: 'x\ny', id: '8' },
    ], `chunks of ${size}`);
    assert.equal(lastEventId, '9');
  }
});
