// The request body as JSON, or a 400 that says so.
import type { Context } from 'hono';
import { HttpError } from './httpError.ts';

export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'validation_failed', 'the body is not valid JSON', undefined, { cause: error });
  }
}
