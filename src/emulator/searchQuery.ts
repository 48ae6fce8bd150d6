// Stripe's search query language, for the fields the emulator indexes:
// `field:'value'`, `field~'sub'`, `metadata['key']:'value'`, `-field:'v'` (negation), `AND` / `OR`.
import { invalidParam } from './errors.ts';

export interface Clause {
  field: string;
  metadataKey?: string;
  op: ':' | '~' | '>' | '<' | '>=' | '<=';
  value: string;
  negate: boolean;
}

export interface Query {
  clauses: Clause[];
  join: 'AND' | 'OR';
}

export const MAX_CLAUSES = 10;

export function queryError(detail?: string): never {
  throw invalidParam(
    `We were unable to parse your search query.${detail ? ` ${detail}` : ''} Try using the format \`metadata["key"]:"value"\` to query for metadata or \`key:"value"\` to query for other fields.`,
    'query',
  );
}

class Lexer {
  i = 0;
  constructor(readonly s: string) {}

  skipSpace(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  done(): boolean {
    this.skipSpace();
    return this.i >= this.s.length;
  }

  peekWord(): string {
    this.skipSpace();
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(this.s.slice(this.i));
    return m ? m[0] : '';
  }

  word(): string {
    const w = this.peekWord();
    if (!w) queryError();
    this.i += w.length;
    return w;
  }

  quoted(): string {
    this.skipSpace();
    const q = this.s[this.i];
    if (q !== "'" && q !== '"') queryError('String values must be quoted.');
    let out = '';
    this.i++;
    while (this.i < this.s.length) {
      const c = this.s[this.i++];
      if (c === '\\' && this.i < this.s.length) {
        out += this.s[this.i++];
        continue;
      }
      if (c === q) return out;
      out += c;
    }
    return queryError('Unterminated string.');
  }

  value(): string {
    this.skipSpace();
    const c = this.s[this.i];
    if (c === "'" || c === '"') return this.quoted();
    const m = /^-?\d+(\.\d+)?/.exec(this.s.slice(this.i));
    if (m) {
      this.i += m[0].length;
      return m[0];
    }
    return queryError('String values must be quoted.');
  }

  expect(ch: string): void {
    this.skipSpace();
    if (this.s[this.i] !== ch) queryError();
    this.i++;
  }

  op(): Clause['op'] {
    const two = this.s.slice(this.i, this.i + 2);
    if (two === '>=' || two === '<=') {
      this.i += 2;
      return two;
    }
    const one = this.s[this.i];
    if (one === ':' || one === '~' || one === '>' || one === '<') {
      this.i++;
      return one;
    }
    return queryError();
  }
}

export function parseQuery(input: string): Query {
  const lx = new Lexer(input);
  const clauses: Clause[] = [];
  let join: Query['join'] | undefined;
  if (lx.done()) queryError('The query is empty.');
  for (;;) {
    lx.skipSpace();
    let negate = false;
    if (lx.s[lx.i] === '-') {
      negate = true;
      lx.i++;
    }
    const field = lx.word();
    let metadataKey: string | undefined;
    if (field === 'metadata') {
      lx.expect('[');
      metadataKey = lx.quoted();
      lx.expect(']');
    }
    const op = lx.op();
    const value = lx.value();
    clauses.push({ field, metadataKey, op, value, negate });
    if (clauses.length > MAX_CLAUSES) queryError(`A query can have at most ${MAX_CLAUSES} clauses.`);
    if (lx.done()) break;
    const conj = lx.word();
    if (conj !== 'AND' && conj !== 'OR') queryError();
    if (join && join !== conj) queryError('A query cannot combine AND and OR.');
    join = conj;
  }
  return { clauses, join: join ?? 'AND' };
}

export type FieldGetter<T> = (obj: T, clause: Clause) => string | number | boolean | null | undefined;

function compare(actual: string | number | boolean | null | undefined, c: Clause): boolean {
  if (actual === null || actual === undefined) return false;
  if (c.op === ':') return String(actual).toLowerCase() === c.value.toLowerCase();
  if (c.op === '~') return String(actual).toLowerCase().includes(c.value.toLowerCase());
  const a = Number(actual);
  const b = Number(c.value);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  switch (c.op) {
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    default:
      return a <= b;
  }
}

/** Checks the fields against the resource's supported fields, then returns a predicate. */
export function compileQuery<T>(q: Query, resource: string, fields: Record<string, FieldGetter<T>>, numeric: readonly string[] = []): (obj: T) => boolean {
  for (const c of q.clauses) {
    if (!Object.hasOwn(fields, c.field)) {
      throw invalidParam(
        `Field \`${c.field}\` is an unsupported search field for resource \`${resource}\`. See https://stripe.com/docs/search#query-fields-for-${resource} for a list of supported fields.`,
        'query',
      );
    }
    if (c.op === '~' && c.value.length < 3) queryError('Substring matching (~) requires a value of at least 3 characters.');
    if ((c.op === '>' || c.op === '<' || c.op === '>=' || c.op === '<=') && !numeric.includes(c.field)) {
      queryError(`Field \`${c.field}\` does not support numeric comparisons.`);
    }
  }
  const test = (obj: T, c: Clause) => compare(fields[c.field](obj, c), c) !== c.negate;
  return q.join === 'AND' ? (obj) => q.clauses.every((c) => test(obj, c)) : (obj) => q.clauses.some((c) => test(obj, c));
}
