/**
 * What Postgres cannot store, found before it gets there: a NUL character (text and jsonb refuse
 * it), an unpaired UTF-16 surrogate (no UTF-8 form: jsonb refuses its escape, text would get U+FFFD),
 * and JSON nested deeper than any value spacesync reads. Shared by the API (400 naming the field),
 * the token checks and the admin form.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type TextProblem = 'nul' | 'lone_surrogate';

/** Why this string cannot be stored, or null when it can. */
export function textProblem(text: string): TextProblem | null {
  if (text.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(text)) return 'lone_surrogate';
  return null;
}

export const TEXT_PROBLEM_MESSAGES: Record<TextProblem, string> = {
  nul: 'contains a NUL character (\\u0000), which cannot be stored: remove it',
  lone_surrogate: 'contains an unpaired UTF-16 surrogate, which is not valid Unicode: remove it',
};

/** JSON values deeper than this are refused. */
export const MAX_JSON_DEPTH = 32;

export interface JsonProblem {
  /** Dotted path of the offending value ('' for the whole value). */
  path: string;
  message: string;
}

/**
 * The first problem in a parsed JSON value: a string or key that cannot be stored, or nesting deeper
 * than `maxDepth`. Iterative, so a value nested a million levels deep costs no stack.
 */
export function findJsonProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonProblem | null {
  const stack: Array<{ value: unknown; path: string[]; depth: number }> = [{ value, path: [], depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    const v = item.value;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return { path: item.path.join('.'), message: TEXT_PROBLEM_MESSAGES[problem] };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (item.depth >= maxDepth) return { path: item.path.join('.'), message: `is nested more than ${maxDepth} levels deep: flatten it` };
    const entries: Array<[string, unknown]> = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      const keyProblem = textProblem(key);
      if (keyProblem) return { path: [...item.path, printable(key)].join('.'), message: `key ${TEXT_PROBLEM_MESSAGES[keyProblem]}` };
      stack.push({ value: child, path: [...item.path, key], depth: item.depth + 1 });
    }
  }
  return null;
}

/** A key fit to name in an error message (its NULs and lone surrogates shown as escapes). */
function printable(key: string): string {
  return key.replace(/\u0000/g, '\\u0000').replace(/[\uD800-\uDFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}
