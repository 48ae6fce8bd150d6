// Query and path parameters, checked: a bad one is a 400 naming it (a malformed id is a 404). Nothing
// Postgres would refuse (a NUL, an unpaired surrogate, a date outside its range) gets past these.
import { TEXT_PROBLEM_MESSAGES, textProblem } from '../catalog/storableText.ts';
import { HttpError } from './httpError.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string | undefined): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** A path id that is not a uuid names nothing: 404. */
export function pathId(value: string | undefined, what: string): string {
  if (!isUuid(value)) throw new HttpError(404, 'not_found', `no ${what} has the id "${(value ?? '').slice(0, 100)}"`);
  return value.toLowerCase();
}

function invalid(name: string, rule: string): HttpError {
  return new HttpError(400, 'validation_failed', `${name} ${rule}`, { [name]: rule });
}

/** Free text: at most `maxLength` characters (longer is cut), none that Postgres refuses. */
export function textParam(raw: string | undefined, name: string, maxLength: number): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  const problem = textProblem(raw);
  if (problem) throw invalid(name, TEXT_PROBLEM_MESSAGES[problem]);
  return raw.slice(0, maxLength);
}

export function intParam(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = /^\s*[+-]?\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw invalid(name, `must be a whole number from ${min} to ${max}`);
  return n;
}

export function enumParam<T extends string>(raw: string | undefined, name: string, values: readonly T[]): T | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!(values as readonly string[]).includes(raw)) throw invalid(name, `must be one of ${values.join(', ')}`);
  return raw as T;
}

export function boolParam(raw: string | undefined, name: string): boolean {
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw invalid(name, 'must be true or false');
}

/** Years Postgres and ISO 8601 agree on without an era or an expanded year. */
const MIN_TIME = new Date(0).setUTCFullYear(1, 0, 1);
const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export function isoParam(raw: string | undefined, name: string): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  const ms = textProblem(raw) ? Number.NaN : Date.parse(raw);
  if (Number.isNaN(ms)) throw invalid(name, 'must be an ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z');
  if (ms < MIN_TIME || ms > MAX_TIME) throw invalid(name, 'must be a date-time between the years 0001 and 9999');
  return new Date(ms).toISOString();
}
