// Starting a catalog run, as the caller (the database checks the admin): a dry run (a plan), an apply
// that plans afresh, or the apply of a computed plan through apply_catalog_plan(plan_id), once, which
// applies only that plan's entries still unchanged since (the others are stale: syncCatalog). The
// HTTP API (POST /api/catalog/runs) and the Edge Function create-stripe-catalog share it, so both
// take the same `plan_id` and refuse the same way: 400 for a malformed one, 404 for an unknown id,
// 409 for a plan already applied, not computed yet, or not a plan.
import type { Claims } from '../auth/claims.ts';
import type { Pool } from '../db/pool.ts';
import { withClaims } from '../db/withClaims.ts';
import { mapDbErrors } from './dbError.ts';
import { HttpError } from './httpError.ts';
import { isUuid } from './params.ts';

export interface StartedCatalogRun {
  run_id: string;
  job_id: number;
}

export interface CatalogRunRequest {
  dryRun: boolean;
  /** The computed plan (a finished dry run) to apply; absent: plan afresh. */
  planId?: string;
}

/** `plan_id` from a request body: a uuid, and only for an apply. */
export function parsePlanId(value: unknown, dryRun: boolean): string | undefined {
  if (value === undefined) return undefined;
  if (dryRun || typeof value !== 'string' || !isUuid(value)) {
    const rule = dryRun ? 'is only for an apply (dry_run false): leave it out of a dry run' : 'must be the id (uuid) of the plan to apply';
    throw new HttpError(400, 'validation_failed', `plan_id ${rule}`, { plan_id: rule });
  }
  return value.toLowerCase();
}

function isDbError(error: unknown): error is Error & { code: string; hint?: string } {
  return error instanceof Error && 'code' in error && typeof error.code === 'string';
}

export async function startCatalogRun(pool: Pool, claims: Claims | null, request: CatalogRunRequest): Promise<StartedCatalogRun> {
  return withClaims(pool, claims, (client) =>
    mapDbErrors(async () => {
      try {
        const { rows } =
          request.planId === undefined
            ? await client.query<{ r: StartedCatalogRun }>('select public.start_catalog_run($1) as r', [request.dryRun])
            : await client.query<{ r: StartedCatalogRun }>('select public.apply_catalog_plan($1) as r', [request.planId]);
        return rows[0].r;
      } catch (error) {
        // Applied already, still computing, or not a plan: the plan's state refuses it.
        if (isDbError(error) && error.code === '55000') throw new HttpError(409, 'conflict', error.message, { plan_id: error.hint ?? error.message }, { cause: error });
        throw error;
      }
    }),
  );
}
