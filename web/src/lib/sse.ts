// A Server-Sent Events parser for streams read with fetch (EventSource cannot send an
// Authorization header). Feed it decoded text chunks; it calls onEvent per complete event.
// Follows the WHATWG rules: `field: value` lines, `:` comments, a blank line dispatches,
// multi-line `data` joined with "\n", CR, LF and CRLF line endings. An `id` counts from the event's
// blank line on: a stream cut in the middle of an event (a runtime's wall-clock limit) neither
// dispatches it nor resumes after it.

export interface SseEvent {
  event: string;
  data: string;
  id: string | null;
}

export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private sawData = false;
  private idBuffer: string | null = null;
  /** The id of the last event dispatched (or id-only block ended): where a reconnection resumes. */
  lastEventId: string | null = null;
  retryMs: number | null = null;

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  push(chunk: string): void {
    this.buffer += chunk;
    let start = 0;
    for (;;) {
      const cr = this.buffer.indexOf('\r', start);
      const lf = this.buffer.indexOf('\n', start);
      if (cr === -1 && lf === -1) break;
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        // A CR at the very end may be the first half of CRLF: wait for more.
        if (cr === this.buffer.length - 1) break;
        end = cr;
        next = this.buffer[cr + 1] === '\n' ? cr + 2 : cr + 1;
      } else {
        end = lf;
        next = lf + 1;
      }
      this.line(this.buffer.slice(start, end));
      start = next;
    }
    this.buffer = this.buffer.slice(start);
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) return; // comment (keep-alive ping)
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.event = value;
        break;
      case 'data':
        this.data.push(value);
        this.sawData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.idBuffer = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  private dispatch(): void {
    if (this.idBuffer !== null) this.lastEventId = this.idBuffer;
    if (this.sawData) {
      this.onEvent({ event: this.event || 'message', data: this.data.join('\n'), id: this.lastEventId });
    }
    this.event = '';
    this.data = [];
    this.sawData = false;
  }
}
