// What Postgres would refuse in a signed event, found before the database sees it, so that one bad
// event is answered 400 naming the problem and never shares a failed statement with good ones.
// Postgres refuses NUL and lone surrogates in text and jsonb, timestamps outside its range, and
// nesting deeper than its parser's stack.

/** Deeper than any event Stripe sends; far below what Postgres's jsonb parser can take. */
export const MAX_EVENT_DEPTH = 64;
/** Latest Unix time accepted for `created` / `updated`: the end of year 9999. */
export const MAX_EVENT_TIME = 253_402_300_799;
export const MAX_EVENT_ID_LENGTH = 255;

export interface StripeEventFacts {
  id: string;
  type: string;
  created: number;
  objectId: string | null;
  /** The object's `updated`, ISO, when it has one. */
  objectUpdated: string | null;
  livemode: boolean;
}

export type EventCheck = { ok: true; facts: StripeEventFacts } | { ok: false; problem: string };

/** How many `{` and `[` the text has, stopping past `limit` (a bound on the depth, found natively). */
function openings(text: string, limit: number): number {
  let n = 0;
  for (const c of ['{', '[']) {
    for (let i = text.indexOf(c); i >= 0 && n <= limit; i = text.indexOf(c, i + 1)) n++;
  }
  return n;
}

/** Deepest nesting of objects and arrays in JSON text (strings skipped). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const unstorable = (s: string) => s.includes('\u0000') || LONE_SURROGATE.test(s);

/** The path of the first string (key or value) Postgres cannot store, if any. */
function findUnstorableString(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return unstorable(value) ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableString(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, v] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (unstorable(key)) return `${path ? path + '.' : ''}(a key)`;
    const found = findUnstorableString(v, at);
    if (found) return found;
  }
  return undefined;
}

const validTime = (t: number) => Number.isInteger(t) && t >= 0 && t <= MAX_EVENT_TIME;

/**
 * Checks a parsed, signature-verified body: that it is an event (id, type, created) and that Postgres
 * can store it. `text` is the body as received (escapes only matter when it has `\u`).
 */
export function checkStorableEvent(text: string, event: unknown): EventCheck {
  const e = event as { id?: unknown; type?: unknown; created?: unknown; livemode?: unknown; data?: { object?: { id?: unknown; updated?: unknown } } } | null;
  if (typeof e !== 'object' || e === null || Array.isArray(e) || typeof e.id !== 'string' || typeof e.type !== 'string' || typeof e.created !== 'number') {
    return { ok: false, problem: 'the body is not a Stripe event (id, type and created are required)' };
  }
  if (e.id.length === 0 || e.id.length > MAX_EVENT_ID_LENGTH) return { ok: false, problem: `id must be 1 to ${MAX_EVENT_ID_LENGTH} characters` };
  if (!validTime(e.created)) {
    return { ok: false, problem: `created must be a whole number of Unix seconds between 0 and ${MAX_EVENT_TIME} (year 9999); got ${e.created}` };
  }
  const depth = openings(text, MAX_EVENT_DEPTH) <= MAX_EVENT_DEPTH ? 0 : jsonDepth(text);
  if (depth > MAX_EVENT_DEPTH) return { ok: false, problem: `the event nests ${depth} levels deep; at most ${MAX_EVENT_DEPTH} can be stored` };
  if (text.includes('\\u')) {
    const at = findUnstorableString(event, '');
    if (at) return { ok: false, problem: `the string at ${at} contains a NUL character (\\u0000) or a lone surrogate, which Postgres cannot store` };
  }
  const object = typeof e.data === 'object' && e.data !== null ? e.data.object : undefined;
  const objectId = typeof object?.id === 'string' ? object.id : null;
  let objectUpdated: string | null = null;
  if (typeof object?.updated === 'number') {
    if (!validTime(object.updated)) {
      return { ok: false, problem: `data.object.updated must be a whole number of Unix seconds between 0 and ${MAX_EVENT_TIME}; got ${object.updated}` };
    }
    objectUpdated = new Date(object.updated * 1000).toISOString();
  }
  return { ok: true, facts: { id: e.id, type: e.type, created: e.created, objectId, objectUpdated, livemode: e.livemode === true } };
}
