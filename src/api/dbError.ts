// A Postgres error met while serving a request → the HttpError the contract asks for. Data problems
// (constraints) are 400 with the field, like the zod validation; privilege is 403; anything else rethrown.
import { describeDbError } from '../db/describeDbError.ts';
import { HttpError } from './httpError.ts';

function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** `prefix` names where the offending row sits in the body, e.g. `prices.2.`. */
export function toHttpError(error: unknown, prefix = ''): unknown {
  if (error instanceof HttpError) return error;
  const code = sqlState(error);
  if (code === '42501') return new HttpError(403, 'forbidden', 'only an admin may do this', undefined, { cause: error });
  if (code === 'P0002') return new HttpError(404, 'not_found', error instanceof Error ? error.message : 'not found', undefined, { cause: error });
  if (code === '40001' || code === '40P01') return new HttpError(409, 'conflict', 'another change got there first: try again', undefined, { cause: error });
  const problem = describeDbError(error);
  if (problem && code && (code.startsWith('23') || code.startsWith('22'))) {
    const field = `${prefix}${problem.field.replace(/^[a-z_]+\./, '')}`;
    if (code === '23505') return new HttpError(409, 'conflict', problem.message, { [field]: problem.message }, { cause: error });
    return new HttpError(400, 'validation_failed', problem.message, { [field]: problem.message }, { cause: error });
  }
  if (code === '23505') return new HttpError(409, 'conflict', 'this conflicts with an existing row', undefined, { cause: error });
  return error;
}

/** Runs `fn`, turning its Postgres errors into HttpErrors (prefixing fields with `prefix`). */
export async function mapDbErrors<T>(fn: () => Promise<T>, prefix = ''): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toHttpError(error, prefix);
  }
}
