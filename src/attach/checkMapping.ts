/**
 * A mapping file's text → a `Mapping`, or every problem found, each naming the field path
 * ("fields.name", "prices.columns[1].column") and what to write instead. Pure: the checks against
 * the app's live schema are in checkAgainstSchema.ts.
 */
import type { z } from 'zod';
import { isColumn, isTablePrices, mappingSchema, qualifiedTable, type Mapping, type ValueSource } from './mapping.ts';

export interface MappingProblem {
  /** "fields.name", "prices.columns[1].column", "" for the whole file. */
  path: string;
  message: string;
}

export type MappingCheck = { ok: true; mapping: Mapping } | { ok: false; problems: MappingProblem[] };

/** A mapping file is a few kilobytes; beyond this it is not a mapping. */
export const MAX_MAPPING_BYTES = 256 * 1024;

/** Keys spacesync writes into Stripe metadata itself (spaces_metadata_valid refuses them). */
const RESERVED_METADATA_KEYS = ['space_id', 'managed_by', 'kind', 'capacity', 'location', 'pricing_type', 'space_price_id'];
const MAX_METADATA_KEYS = 45;

/** Lengths the catalog accepts (src/db/migrations/000002_catalog.sql), for constants. */
const MAX_CONSTANT_LENGTH: Record<string, number> = { name: 250, description: 5000, location: 500 };

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}

function at(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

/** Which form of a union the value has: its index in the union, or -1 when it has none of them. */
function unionBranch(path: string, v: unknown): number {
  const has = (k: string) => !!v && typeof v === 'object' && !Array.isArray(v) && k in v;
  if (path === 'prices') return has('columns') ? 0 : has('table') ? 1 : -1;
  if (path === 'delete') return has('softDeleteColumn') ? 0 : -1;
  return typeof v === 'string' ? 0 : has('sql') ? 1 : has('value') ? 2 : -1;
}

const UNION_FORMS: Record<string, string> = {
  delete: 'delete must be "hard" or {"softDeleteColumn": "deleted_at"}',
  prices: 'prices must be {"columns": [{"column", "pricingType", "units"}]} or a rates table {"table", "key", "spaceKey", "pricingType", "amount", "units"}',
};

/** One message per zod issue; a union (a value source, prices, delete) reports on the form the value has. */
function issueProblems(issue: z.core.$ZodIssue, input: unknown, prefix: readonly PropertyKey[] = []): MappingProblem[] {
  const fullPath = [...prefix, ...issue.path];
  const path = formatPath(fullPath);
  const v = at(input, fullPath);
  if (issue.code === 'invalid_union') {
    const branch = unionBranch(path, v);
    const chosen = branch >= 0 ? issue.errors[branch] : undefined;
    if (chosen && chosen.length > 0) return chosen.flatMap((sub) => issueProblems(sub, input, fullPath));
    return [{ path, message: UNION_FORMS[path] ?? `${path} must be a column name ("title"), an SQL expression ({"sql": "city || ', ' || district"}) or a constant ({"value": …})` }];
  }
  if (UNION_FORMS[path] && issue.code !== 'unrecognized_keys') return [{ path, message: UNION_FORMS[path]! }];
  if (issue.code === 'unrecognized_keys') {
    return [{ path, message: `unknown key(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}${path ? ` in ${path}` : ''}: check the spelling against the mapping reference` }];
  }
  if (issue.code === 'invalid_type' && v === undefined) return [{ path, message: `${path} is required` }];
  if (issue.code === 'invalid_value') {
    return [{ path, message: `${path} must be one of ${issue.values.map((x) => JSON.stringify(x)).join(', ')} (got ${JSON.stringify(v)})` }];
  }
  const named = issue.message.startsWith(path.split(/[.[]/)[0]!) && path !== '';
  return [{ path, message: named || !path ? issue.message : `${path}: ${issue.message}` }];
}

/** Every string of the value with its path (for NUL bytes). */
function* strings(value: unknown, path: PropertyKey[] = []): Generator<[PropertyKey[], string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, [...path, i]);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\0')) yield [[...path, k], k];
      yield* strings(v, [...path, k]);
    }
  }
}

/** Rules across fields that the format alone does not say. */
function crossChecks(m: Mapping): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const table = qualifiedTable(m.table);
  // Columns the mapping reads from the source row: write-back must not touch any of them.
  const read = new Map<string, string>([[m.key, 'key']]);
  for (const [field, v] of Object.entries(m.fields)) {
    if (field !== 'metadata' && isColumn(v as ValueSource)) read.set(v as string, `fields.${field}`);
  }
  for (const [k, v] of Object.entries(m.fields.metadata ?? {})) if (isColumn(v)) read.set(v, `fields.metadata.${k}`);
  if (m.delete !== 'hard') read.set(m.delete.softDeleteColumn, 'delete.softDeleteColumn');
  if (m.prices && !isTablePrices(m.prices)) {
    const seen = new Map<string, number>();
    m.prices.columns.forEach((c, i) => {
      const first = seen.get(c.column);
      if (first !== undefined) {
        problems.push({ path: `prices.columns[${i}].column`, message: `prices.columns[${i}].column repeats "${c.column}" (already prices.columns[${first}]): one price per column` });
      } else seen.set(c.column, i);
      read.set(c.column, `prices.columns[${i}].column`);
    });
  }
  if (isTablePrices(m.prices)) {
    const rates = qualifiedTable(m.prices.table);
    if (rates.schema === table.schema && rates.table === table.table) {
      problems.push({ path: 'prices.table', message: `prices.table is the source table itself: name the child table of rates, or use {"columns": [...]} for prices in the row` });
    }
  }
  const written = new Map<string, string>();
  for (const [k, col] of Object.entries(m.writeBack ?? {})) {
    if (!col) continue;
    const path = `writeBack.${k}`;
    const mapped = read.get(col);
    if (mapped) problems.push({ path, message: `${path} "${col}" is also read by ${mapped}: write-back needs columns of its own (e.g. "stripe_product_id")` });
    const other = written.get(col);
    if (other) problems.push({ path, message: `${path} "${col}" is also ${other}: one column per value` });
    written.set(col, path);
  }
  const sources: [string, ValueSource | undefined][] = [
    ...Object.entries(m.fields).filter(([f]) => f !== 'metadata').map(([f, v]) => [`fields.${f}`, v as ValueSource] as [string, ValueSource]),
    ...Object.entries(m.fields.metadata ?? {}).map(([k, v]) => [`fields.metadata.${k}`, v as ValueSource] as [string, ValueSource]),
  ];
  for (const [path, v] of sources) {
    if (v && typeof v === 'object' && 'sql' in v && v.sql.includes('$spacesync$')) {
      problems.push({ path: `${path}.sql`, message: `${path}.sql must not contain "$spacesync$" (it quotes the generated functions)` });
    }
  }
  const metadata = Object.keys(m.fields.metadata ?? {});
  if (metadata.length > MAX_METADATA_KEYS) {
    problems.push({ path: 'fields.metadata', message: `fields.metadata has ${metadata.length} keys: at most ${MAX_METADATA_KEYS}` });
  }
  for (const k of metadata) {
    const path = `fields.metadata.${k}`;
    if (RESERVED_METADATA_KEYS.includes(k)) problems.push({ path, message: `${path}: "${k}" is written by spacesync itself: pick another key` });
    if (/[[\]]/.test(k)) problems.push({ path, message: `${path}: Stripe metadata keys cannot contain "[" or "]"` });
  }
  for (const [field, max] of Object.entries(MAX_CONSTANT_LENGTH)) {
    const v = m.fields[field as 'name'] as ValueSource | undefined;
    if (v && typeof v === 'object' && 'value' in v && typeof v.value === 'string' && v.value.length > max) {
      problems.push({ path: `fields.${field}.value`, message: `fields.${field}.value is ${v.value.length} characters: at most ${max}` });
    }
  }
  for (const [k, v] of Object.entries(m.fields.metadata ?? {})) {
    if (typeof v === 'object' && 'value' in v && typeof v.value === 'string' && v.value.length > 500) {
      problems.push({ path: `fields.metadata.${k}.value`, message: `fields.metadata.${k}.value is ${v.value.length} characters: Stripe takes at most 500` });
    }
  }
  const images = m.fields.images;
  if (images && typeof images === 'object' && 'value' in images) {
    if (images.value.length > 8) problems.push({ path: 'fields.images.value', message: `fields.images.value has ${images.value.length} URLs: at most 8` });
    images.value.forEach((u, i) => {
      if (!/^https?:\/\/[^\s/]+/.test(u) || u.length > 2048) {
        problems.push({ path: `fields.images.value[${i}]`, message: `fields.images.value[${i}] must be an http(s) URL of at most 2,048 characters` });
      }
    });
  }
  return problems;
}

/** A parsed JSON value → the mapping or its problems. */
export function checkMappingValue(input: unknown): MappingCheck {
  const nul = [...strings(input)].filter(([, s]) => s.includes('\0'));
  if (nul.length > 0) {
    return {
      ok: false,
      problems: nul.map(([p]) => ({ path: formatPath(p), message: `${formatPath(p) || 'the mapping'} contains a NUL byte (\\u0000), which Postgres cannot store: remove it` })),
    };
  }
  const parsed = mappingSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.flatMap((i) => issueProblems(i, input)) };
  const problems = crossChecks(parsed.data);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, mapping: parsed.data };
}

/** A mapping file's text → the mapping or its problems (`file` names it in messages). */
export function checkMapping(text: string, file = 'the mapping file'): MappingCheck {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_MAPPING_BYTES) {
    return { ok: false, problems: [{ path: '', message: `${file} is ${bytes} bytes: a mapping is at most ${MAX_MAPPING_BYTES / 1024} KiB (is it the right file?)` }] };
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ path: '', message: `${file} is not JSON: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, problems: [{ path: '', message: `${file} must hold one JSON object: {"name", "table", "key", "fields", …}` }] };
  }
  return checkMappingValue(input);
}

/** Problems as lines: `  fields.name: …`. */
export function formatProblems(problems: MappingProblem[]): string {
  return problems.map((p) => `  ${p.message}`).join('\n');
}
