// The request body as JSON, or a 400 that says what is wrong and where: not JSON, nested too deep, or
// holding a string Postgres cannot store (NUL, unpaired surrogate), checked here once for every route.
import type { Context } from 'hono';
import { findJsonProblem } from '../catalog/storableText.ts';
import { HttpError } from './httpError.ts';

export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'validation_failed', 'the body is not valid JSON', undefined, { cause: error });
  }
  const problem = findJsonProblem(value);
  if (problem) {
    const field = problem.path || 'body';
    throw new HttpError(400, 'validation_failed', `${field} ${problem.message}`, { [problem.path]: problem.message });
  }
  return value;
}
