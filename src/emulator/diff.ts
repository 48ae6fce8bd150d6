// `data.previous_attributes` of an `*.updated` event: the old values of the top-level keys that
// changed; for metadata, only the changed keys (a key that did not exist before shows as null).
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k)) return false;
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

const NESTED_DIFF_KEYS = new Set(['metadata']);

export function previousAttributes(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> | null {
  const prev: Record<string, unknown> = {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const k of keys) {
    const a = before[k];
    const b = after[k];
    if (deepEqual(a, b)) continue;
    if (NESTED_DIFF_KEYS.has(k) && typeof a === 'object' && a && typeof b === 'object' && b) {
      const nested: Record<string, unknown> = {};
      const am = a as Record<string, unknown>;
      const bm = b as Record<string, unknown>;
      for (const mk of new Set([...Object.keys(am), ...Object.keys(bm)])) {
        if (!deepEqual(am[mk], bm[mk])) nested[mk] = Object.hasOwn(am, mk) ? am[mk] : null;
      }
      prev[k] = nested;
    } else {
      prev[k] = a === undefined ? null : a;
    }
  }
  return Object.keys(prev).length ? prev : null;
}

/** Canonical JSON (sorted keys) used to compare request parameters. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}
