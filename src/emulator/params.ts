// Typed readers over decoded parameters. Form values arrive as strings; control-API (JSON) values
// may arrive as native booleans and numbers, so both are accepted.
import { invalidParam, unknownParameter } from './errors.ts';
import type { FormObject, FormValue } from './formDecode.ts';

export type Input = FormObject | Record<string, unknown>;

const paramName = (prefix: string, key: string) => (prefix ? `${prefix}[${key}]` : key);

/** Refuses keys outside `allowed`, the way Stripe does ("Received unknown parameter: x"). */
export function assertKnown(input: Input, allowed: readonly string[], prefix = ''): void {
  for (const key of Object.keys(input)) {
    if (!allowed.includes(key)) throw unknownParameter(paramName(prefix, key));
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function has(input: Input, key: string): boolean {
  return Object.hasOwn(input, key) && (input as Record<string, unknown>)[key] !== undefined;
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export function str(input: Input, key: string, param = key, opts: { max?: number } = {}): string | undefined {
  const v = (input as Record<string, unknown>)[key];
  if (v === undefined) return undefined;
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') throw invalidParam(`Invalid string: ${show(v)}`, param);
  if (opts.max !== undefined && v.length > opts.max) {
    throw invalidParam(`Invalid ${param}: must be at most ${opts.max} characters`, param);
  }
  return v;
}

export function bool(input: Input, key: string, param = key): boolean | undefined {
  const v = (input as Record<string, unknown>)[key];
  if (v === undefined) return undefined;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw invalidParam(`Invalid boolean: ${show(v)}`, param);
}

export function int(input: Input, key: string, param = key): number | undefined {
  const v = (input as Record<string, unknown>)[key];
  if (v === undefined) return undefined;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,16}$/.test(v)) return Number(v);
  throw invalidParam(`Invalid integer: ${show(v)}`, param, 'parameter_invalid_integer');
}

export function num(input: Input, key: string, param = key): number | undefined {
  const v = (input as Record<string, unknown>)[key];
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw invalidParam(`Invalid decimal: ${show(v)}`, param);
  return n;
}

export function oneOf<T extends string>(input: Input, key: string, values: readonly T[], param = key): T | undefined {
  const v = str(input, key, param);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v)) {
    const list = values.length > 1 ? `${values.slice(0, -1).join(', ')}, or ${values[values.length - 1]}` : values[0];
    throw invalidParam(`Invalid ${param}: must be one of ${list}`, param);
  }
  return v as T;
}

export function obj(input: Input, key: string, param = key): Record<string, unknown> | undefined {
  const v = (input as Record<string, unknown>)[key];
  if (v === undefined) return undefined;
  if (isObject(v)) return v;
  throw invalidParam(`Invalid object`, param);
}

/** Arrays arrive as `a[]=x`, `a[0]=x` (an array) or, with sparse indices, as an object with numeric keys. */
export function arr(input: Input, key: string, param = key): unknown[] | undefined {
  const v = (input as Record<string, unknown>)[key];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v;
  if (isObject(v) && Object.keys(v).every((k) => /^\d+$/.test(k))) {
    return Object.keys(v)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => v[k]);
  }
  if (typeof v === 'string') return [v];
  throw invalidParam(`Invalid array`, param);
}

export function strArr(input: Input, key: string, param = key): string[] | undefined {
  const a = arr(input, key, param);
  if (a === undefined) return undefined;
  return a.map((x, i) => {
    if (typeof x !== 'string') throw invalidParam(`Invalid string: ${show(x)}`, `${param}[${i}]`);
    return x;
  });
}

/** `""` means "unset" for Stripe's emptyable parameters. */
export const isEmpty = (input: Input, key: string) => (input as Record<string, unknown>)[key] === '';

export type CreatedFilter = { gt?: number; gte?: number; lt?: number; lte?: number };

/** `created=123` or `created[gte]=..&created[lt]=..`. */
export function createdFilter(input: Input, key = 'created'): CreatedFilter | undefined {
  const v = (input as Record<string, unknown>)[key];
  if (v === undefined) return undefined;
  if (isObject(v)) {
    assertKnown(v as FormObject, ['gt', 'gte', 'lt', 'lte'], key);
    const f: CreatedFilter = {};
    for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
      const n = int(v, op, `${key}[${op}]`);
      if (n !== undefined) f[op] = n;
    }
    return f;
  }
  const exact = int(input, key);
  return exact === undefined ? undefined : { gte: exact, lte: exact };
}

export function matchesCreated(created: number, f: CreatedFilter | undefined): boolean {
  if (!f) return true;
  if (f.gt !== undefined && !(created > f.gt)) return false;
  if (f.gte !== undefined && !(created >= f.gte)) return false;
  if (f.lt !== undefined && !(created < f.lt)) return false;
  if (f.lte !== undefined && !(created <= f.lte)) return false;
  return true;
}

export type { FormValue };
