// The columns a Supabase project's own migrations give a table, read from their SQL (create table,
// alter table … add/drop/rename column), so `spacesync supabase install --mapping` can name a mapped
// column the table does not have before anything is pushed. A reading, not a parser: a table made
// some other way (the dashboard, a function, dynamic SQL) is "unknown", and the attach migration's
// own check against the live schema then has the last word.
import { qualifiedTable } from '../attach/mapping.ts';

const IDENT = String.raw`(?:"[^"]+"|[a-z_][a-z0-9_$]*)`;
const TABLE_KEYWORDS = new Set(['constraint', 'primary', 'unique', 'check', 'foreign', 'exclude', 'like']);

function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1) : name.toLowerCase();
}

function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}

/** `public.rooms`, `"public"."rooms"` or `rooms` (public) as a pattern matching that table. */
function tablePattern(table: string): string {
  const { schema, table: name } = qualifiedTable(table);
  const part = (s: string) => `(?:"${s}"|${s})`;
  const schemaPart = schema === 'public' ? `(?:${part('public')}\\s*\\.\\s*)?` : `${part(schema)}\\s*\\.\\s*`;
  return `${schemaPart}${part(name)}(?![a-z0-9_$"])`;
}

/** The text between the parenthesis at `open` and its match. */
function parenthesised(sql: string, open: number): string | undefined {
  let depth = 0;
  for (let i = open; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      if (end < 0) return undefined;
      i = end;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return sql.slice(open + 1, i);
  }
  return undefined;
}

/** Splits a create table's body at its top-level commas. */
function topLevelParts(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "'" || c === '"') i = Math.max(i, body.indexOf(c, i + 1));
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/**
 * The table's columns after the migrations (in order), or undefined when none of them creates it.
 * `sqls` are the migrations' texts, oldest first.
 */
export function tableColumnsInMigrations(sqls: string[], table: string): string[] | undefined {
  const t = tablePattern(table);
  const create = new RegExp(`create\\s+(?:unlogged\\s+)?table\\s+(?:if\\s+not\\s+exists\\s+)?${t}\\s*\\(`, 'gi');
  const alter = new RegExp(`alter\\s+table\\s+(?:if\\s+exists\\s+)?(?:only\\s+)?${t}\\s+([^;]+);`, 'gi');
  let columns: string[] | undefined;
  for (const raw of sqls) {
    const sql = stripComments(raw);
    // Statements in the order the file runs them.
    const found: Array<{ at: number; apply: () => void }> = [];
    for (const m of sql.matchAll(create)) {
      const body = parenthesised(sql, m.index + m[0].length - 1);
      if (body === undefined) continue;
      found.push({
        at: m.index,
        apply: () => {
          columns = topLevelParts(body)
            .map((part) => new RegExp(`^(${IDENT})`, 'i').exec(part)?.[1])
            .filter((name): name is string => !!name && !TABLE_KEYWORDS.has(name.toLowerCase()))
            .map(unquote);
        },
      });
    }
    for (const m of sql.matchAll(alter)) {
      found.push({
        at: m.index,
        apply: () => {
          if (!columns) return;
          for (const action of topLevelParts(m[1])) {
            const add = new RegExp(`^add\\s+(?:column\\s+)?(?:if\\s+not\\s+exists\\s+)?(${IDENT})`, 'i').exec(action);
            const drop = new RegExp(`^drop\\s+(?:column\\s+)?(?:if\\s+exists\\s+)?(${IDENT})`, 'i').exec(action);
            const rename = new RegExp(`^rename\\s+(?:column\\s+)?(${IDENT})\\s+to\\s+(${IDENT})`, 'i').exec(action);
            if (add && !TABLE_KEYWORDS.has(add[1].toLowerCase())) columns.push(unquote(add[1]));
            else if (drop && !['constraint'].includes(drop[1].toLowerCase())) columns = columns.filter((c) => c !== unquote(drop[1]));
            else if (rename) columns = columns.map((c) => (c === unquote(rename[1]) ? unquote(rename[2]) : c));
          }
        },
      });
    }
    for (const f of found.sort((a, b) => a.at - b.at)) f.apply();
  }
  return columns;
}
