/** Quoting for generated SQL (standard_conforming_strings on, as in every supported Postgres). */

export function quoteIdent(name: string): string {
  if (name.includes('\0')) throw new RangeError(`identifier ${JSON.stringify(name)} contains a NUL byte`);
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(text: string): string {
  if (text.includes('\0')) throw new RangeError(`text ${JSON.stringify(text)} contains a NUL byte, which Postgres cannot store`);
  return `'${text.replaceAll("'", "''")}'`;
}

/** "public.rooms" → `"public"."rooms"`. */
export function quoteTable(t: { schema: string; table: string }): string {
  return `${quoteIdent(t.schema)}.${quoteIdent(t.table)}`;
}

/** A JSON constant as an SQL literal of the given type. */
export function sqlConstant(value: unknown, type: string): string {
  if (value === null || value === undefined) return `null::${type}`;
  if (typeof value === 'string') return `${quoteLiteral(value)}::${type}`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`constant ${value} is not a finite number`);
    return `${String(value)}::${type}`;
  }
  if (typeof value === 'boolean') return `${value}::${type}`;
  if (Array.isArray(value)) return `array[${value.map((v) => quoteLiteral(String(v))).join(', ')}]::text[]`;
  throw new RangeError(`constant ${JSON.stringify(value)} is not a string, number, boolean or list of strings`);
}
