/**
 * ZodError → `{ "prices.0.unit_amount": "unit_amount must be at most ..." }`: one message per field
 * (the first), keyed by dotted path ('' for the whole value). The API answers 400 with it; the form
 * shows each under its field. fieldErrorCodes gives the stable codes and params for translation.
 */
import type { z } from 'zod';
import { formatMessage, isErrorCode, type ErrorCode, type Locale, type MessageVars } from './messages.ts';
import { typeMessage } from './spaceSchema.ts';

export interface FieldError {
  code: ErrorCode;
  params: MessageVars;
}

export function issuePath(issue: z.core.$ZodIssue): string {
  return issue.path.map(String).join('.');
}

/** Last named segment of a path: `prices.0.unit_amount` → `unit_amount`, `images.3` → `images`. */
function fieldName(path: readonly PropertyKey[]): string {
  for (let i = path.length - 1; i >= 0; i--) {
    if (typeof path[i] === 'string') return path[i] as string;
  }
  return 'value';
}

/** The code and params of one issue, or null for an issue spacesync's rules did not make. */
export function issueCode(issue: z.core.$ZodIssue): FieldError | null {
  if (issue.code === 'custom') {
    const { code, ...params } = (issue.params ?? {}) as Record<string, unknown>;
    if (!isErrorCode(code)) return null;
    const vars: MessageVars = {};
    for (const [k, v] of Object.entries(params)) if (typeof v === 'string' || typeof v === 'number') vars[k] = v;
    return { code, params: vars };
  }
  const field = fieldName(issue.path);
  if (issue.code === 'invalid_type') {
    const missing = issue.message === typeMessage(field, issue.expected, true);
    return missing ? { code: 'required', params: { field } } : { code: 'invalid_type', params: { field, expected: issue.expected } };
  }
  if (issue.code === 'invalid_value') {
    const byField: Record<string, ErrorCode> = {
      kind: 'kind_invalid',
      pricing_type: 'pricing_type_invalid',
      recurring_interval: 'recurring_interval_invalid',
      tax_behavior: 'tax_behavior_invalid',
    };
    const code = byField[field];
    if (code) return { code, params: { allowed: issue.values.map(String).join(', ') } };
  }
  return null;
}

/** Stable codes + params per dotted path (the first issue of each path). */
export function fieldErrorCodes(error: z.core.$ZodError): Record<string, FieldError> {
  const out: Record<string, FieldError> = {};
  for (const issue of error.issues) {
    const path = issuePath(issue);
    if (path in out) continue;
    const found = issueCode(issue);
    if (found) out[path] = found;
  }
  return out;
}

/** One message per dotted path, in `locale` (English by default). */
export function fieldErrors(error: z.core.$ZodError, locale: Locale = 'en'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issuePath(issue);
    if (path in out) continue;
    const found = issueCode(issue);
    out[path] = found ? formatMessage(found.code, found.params, locale) : issue.message;
  }
  return out;
}
