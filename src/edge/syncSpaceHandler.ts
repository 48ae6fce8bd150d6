// POST sync-space-stripe {space_id, force?, wait?}: an admin syncs one space with Stripe now.
//   wait (default true): runs the sync here (syncSpace, as the worker would) and answers with its
//     outcome and the space's sync state: 200 synced, 422 refused by Stripe, 503 transient (the
//     queued job retries it), 404 no such space.
//   wait false: enqueues it like the API's "sync now" (sync_space_with_stripe, as the caller) → 202.
import type { Hono } from 'hono';
import { requireAdmin, type AuthEnv } from '../api/auth.ts';
import { mapDbErrors } from '../api/dbError.ts';
import { HttpError } from '../api/httpError.ts';
import { isUuid } from '../api/params.ts';
import { readJson } from '../api/readJson.ts';
import { withClaims } from '../db/withClaims.ts';
import { SyncRetryError, syncSpace, type SyncSpaceOutcome } from '../sync/syncSpace.ts';
import { createEdgeApp, type FetchHandler } from './edgeApp.ts';
import type { EdgeDeps } from './edgeDeps.ts';

interface SyncSpaceBody {
  space_id: string;
  force: boolean;
  wait: boolean;
}

function parseBody(body: unknown): SyncSpaceBody {
  const b = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (typeof b.space_id !== 'string' || !isUuid(b.space_id)) {
    throw new HttpError(400, 'validation_failed', 'space_id must be the uuid of a space', { space_id: 'must be a uuid' });
  }
  for (const key of ['force', 'wait'] as const) {
    if (b[key] !== undefined && typeof b[key] !== 'boolean') throw new HttpError(400, 'validation_failed', `${key} must be true or false`, { [key]: 'must be a boolean' });
  }
  return { space_id: b.space_id, force: b.force === true, wait: b.wait !== false };
}

const SPACE_STATE = `select id, name, version, sync_status, synced_version, stripe_product_id, last_synced_at, last_error
                       from public.spaces where id = $1`;

export function syncSpaceApp(deps: EdgeDeps): Hono<AuthEnv> {
  const app = createEdgeApp(deps);
  app.post('*', requireAdmin, async (c) => {
    const body = parseBody(await readJson(c));
    if (!body.wait) {
      const jobId = await withClaims(deps.pool, c.get('claims'), (client) =>
        mapDbErrors(async () => (await client.query<{ job_id: number }>('select public.sync_space_with_stripe($1) as job_id', [body.space_id])).rows[0].job_id),
      );
      return c.json({ space_id: body.space_id, job_id: jobId, queued: true }, 202);
    }
    const found = await deps.pool.query(SPACE_STATE, [body.space_id]);
    if (!found.rowCount) throw new HttpError(404, 'not_found', `no space has the id ${body.space_id}`);
    let outcome: SyncSpaceOutcome;
    try {
      outcome = await syncSpace({ pool: deps.pool, gateway: deps.gateway, log: deps.log }, { spaceId: body.space_id, force: body.force, discriminator: body.force ? `e${crypto.randomUUID().slice(0, 8)}` : undefined });
    } catch (error) {
      if (error instanceof SyncRetryError) {
        throw new HttpError(503, 'unavailable', `${error.message}: the queued sync job retries it`, undefined, { cause: error });
      }
      throw error;
    }
    const space = (await deps.pool.query(SPACE_STATE, [body.space_id])).rows[0];
    if (outcome.status === 'missing') throw new HttpError(404, 'not_found', `no space has the id ${body.space_id}`);
    return c.json({ space_id: body.space_id, outcome, space }, outcome.status === 'error' ? 422 : 200);
  });
  return app;
}

export function createSyncSpaceHandler(deps: EdgeDeps): FetchHandler {
  const app = syncSpaceApp(deps);
  return async (request) => app.fetch(request);
}
