// Query and path parameters, checked: a bad one is a 400 naming it (a malformed id is a 404).
import { HttpError } from './httpError.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string | undefined): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** A path id that is not a uuid names nothing: 404. */
export function pathId(value: string | undefined, what: string): string {
  if (!isUuid(value)) throw new HttpError(404, 'not_found', `no ${what} has the id "${value ?? ''}"`);
  return value.toLowerCase();
}

export function intParam(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new HttpError(400, 'validation_failed', `${name} must be a whole number from ${min} to ${max}`, { [name]: `must be a whole number from ${min} to ${max}` });
  }
  return n;
}

export function enumParam<T extends string>(raw: string | undefined, name: string, values: readonly T[]): T | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!(values as readonly string[]).includes(raw)) {
    throw new HttpError(400, 'validation_failed', `${name} must be one of ${values.join(', ')}`, { [name]: `must be one of ${values.join(', ')}` });
  }
  return raw as T;
}

export function boolParam(raw: string | undefined, name: string): boolean {
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new HttpError(400, 'validation_failed', `${name} must be true or false`, { [name]: 'must be true or false' });
}

export function isoParam(raw: string | undefined, name: string): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new HttpError(400, 'validation_failed', `${name} must be an ISO 8601 date-time`, { [name]: 'must be an ISO 8601 date-time' });
  return new Date(ms).toISOString();
}
