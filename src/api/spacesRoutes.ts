// /api/spaces: list, get, create, update, delete, sync now, resolve drift. Every query runs through
// withClaims as the caller (RLS decides what they see and may write).
import { Hono } from 'hono';
import { fieldErrors, spaceInputSchema, SYNC_STATUSES, type PriceValues, type SpaceValues } from '../catalog/index.ts';
import type { Pool } from '../db/pool.ts';
import { withClaims } from '../db/withClaims.ts';
import { isAdminClaims } from '../auth/claims.ts';
import { requireAdmin, type AuthEnv } from './auth.ts';
import { mapDbErrors } from './dbError.ts';
import { HttpError } from './httpError.ts';
import { boolParam, enumParam, intParam, isUuid, pathId, textParam } from './params.ts';
import { readJson } from './readJson.ts';
import { adoptedChanges, deleteSourceRow, editableOf, editSourceRow, isAttached, spaceSource } from './sourceEdits.ts';
import {
  deletePricesExcept,
  deleteSpace,
  getSpace,
  insertPrice,
  insertSpace,
  listSpaces,
  SPACE_SORTS,
  SPACE_WRITABLE,
  updatePrice,
  updateSpace,
  type SpaceRow,
  type SpaceWritable,
} from './spaceQueries.ts';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(error: Parameters<typeof fieldErrors>[0]): HttpError {
  const fields = fieldErrors(error);
  const first = Object.entries(fields)[0];
  return new HttpError(400, 'validation_failed', first ? `${first[0] || 'body'}: ${first[1]}` : 'the space is not valid', fields);
}

/** The detail of a space; an attached one also says which fields may be edited (for admins). */
async function spaceDetail(client: Parameters<typeof getSpace>[0], id: string, admin: boolean): Promise<SpaceRow | undefined> {
  const space = await getSpace(client, id);
  if (!space?.source || !admin) return space;
  const source = await spaceSource(client, id);
  return isAttached(source) ? { ...space, source_table: source.sourceTable, editable: editableOf(source) } : space;
}

function pickWritable(values: Partial<SpaceValues>): Partial<Pick<SpaceValues, SpaceWritable>> {
  const out: Partial<Pick<SpaceValues, SpaceWritable>> = {};
  for (const key of SPACE_WRITABLE) if (values[key] !== undefined) (out as Record<string, unknown>)[key] = values[key];
  return out;
}

export function spacesRoutes(deps: { pool: Pool }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  app.get('/', async (c) => {
    const filters = {
      q: textParam(c.req.query('q'), 'q', 200),
      status: enumParam(c.req.query('status'), 'status', SYNC_STATUSES),
      sort: enumParam(c.req.query('sort'), 'sort', Object.keys(SPACE_SORTS) as Array<keyof typeof SPACE_SORTS>),
      order: enumParam(c.req.query('order'), 'order', ['asc', 'desc'] as const),
      limit: intParam(c.req.query('limit'), 'limit', 50, 1, 500),
      offset: intParam(c.req.query('offset'), 'offset', 0, 0, 1_000_000_000),
      includeDeleted: boolParam(c.req.query('include_deleted'), 'include_deleted'),
    };
    const result = await withClaims(deps.pool, c.get('claims'), (client) => listSpaces(client, filters));
    return c.json(result);
  });

  // Bulk actions on selected rows: "Sync now" for every id, or a retry of those that failed (all
  // failed spaces when no ids are given). Answers which jobs were started.
  app.post('/sync', requireAdmin, async (c) => {
    const ids = bulkIds(await readJson(c), true);
    const jobs = await withClaims(deps.pool, c.get('claims'), (client) =>
      mapDbErrors(async () =>
        (await client.query<{ space_id: string; job_id: number }>(
          `select s.id as space_id, public.sync_space_with_stripe(s.id) as job_id
             from public.spaces s where s.id = any($1::uuid[]) and s.deleted_at is null order by s.id`,
          [ids],
        )).rows,
      ),
    );
    return c.json({ data: jobs }, 202);
  });

  app.post('/retry-failed', requireAdmin, async (c) => {
    const ids = bulkIds(await readJson(c), false);
    const jobs = await withClaims(deps.pool, c.get('claims'), (client) =>
      mapDbErrors(async () =>
        (await client.query<{ space_id: string; job_id: number }>(
          `select s.id as space_id, public.sync_space_with_stripe(s.id) as job_id
             from public.spaces s
            where s.sync_status = 'error' and s.deleted_at is null and ($1::uuid[] is null or s.id = any($1::uuid[]))
            order by s.id limit 10000`,
          [ids],
        )).rows,
      ),
    );
    return c.json({ data: jobs }, 202);
  });

  app.get('/:id', async (c) => {
    const id = pathId(c.req.param('id'), 'space');
    const space = await withClaims(deps.pool, c.get('claims'), (client) => spaceDetail(client, id, isAdminClaims(c.get('claims'))));
    if (!space) throw new HttpError(404, 'not_found', `no space has the id ${id}`);
    return c.json(space);
  });

  app.post('/', requireAdmin, async (c) => {
    const body = await readJson(c);
    if (isObject(body) && body.source !== undefined && body.source !== null) {
      const name = typeof body.source === 'string' ? body.source : 'an attached source';
      throw new HttpError(400, 'validation_failed', `create ${name} in your app: spacesync brings each row of its table in by itself`, {
        source: `spaces of ${name} come from your app's table: add the row there and it appears here`,
      });
    }
    const parsed = spaceInputSchema.safeParse(body);
    if (!parsed.success) throw invalid(parsed.error);
    const input = parsed.data;
    const space = await withClaims(deps.pool, c.get('claims'), async (client) => {
      const id = await mapDbErrors(() => insertSpace(client, pickWritable(input)));
      for (const [i, price] of input.prices.entries()) {
        await mapDbErrors(() => insertPrice(client, id, price, i), `prices.${i}.`);
      }
      return getSpace(client, id);
    });
    return c.json(space, 201);
  });

  app.patch('/:id', requireAdmin, async (c) => {
    const id = pathId(c.req.param('id'), 'space');
    const body = await readJson(c);
    if (!isObject(body)) throw new HttpError(400, 'validation_failed', 'the body must be a JSON object of the fields to change', { '': 'must be an object' });
    // Only the fields sent are validated and written; unknown fields are ignored.
    const keys = Object.keys(spaceInputSchema.shape).filter((k) => k in body) as Array<keyof typeof spaceInputSchema.shape>;
    const schema = spaceInputSchema.pick(Object.fromEntries(keys.map((k) => [k, true])) as { [K in keyof typeof spaceInputSchema.shape]?: true });
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw invalid(parsed.error);
    const input = parsed.data as Partial<SpaceValues>;
    const space = await withClaims(deps.pool, c.get('claims'), async (client) => {
      // An attached space is changed in the app's own row; its triggers bring the space in step.
      if (isAttached(await spaceSource(client, id))) {
        await editSourceRow(client, id, { ...pickWritable(input), ...(input.prices ? { prices: input.prices } : {}) });
        return spaceDetail(client, id, true);
      }
      const found = await mapDbErrors(() => updateSpace(client, id, pickWritable(input)));
      if (!found) throw new HttpError(404, 'not_found', `no space has the id ${id}`);
      if (input.prices) await replacePrices(client, id, input.prices);
      return getSpace(client, id);
    });
    return c.json(space);
  });

  app.delete('/:id', requireAdmin, async (c) => {
    const id = pathId(c.req.param('id'), 'space');
    const space = await withClaims(deps.pool, c.get('claims'), async (client) => {
      if (isAttached(await spaceSource(client, id))) {
        await deleteSourceRow(client, id);
        return spaceDetail(client, id, true);
      }
      await deleteSpace(client, id);
      return getSpace(client, id);
    });
    if (!space) throw new HttpError(404, 'not_found', `no space has the id ${id}`);
    return c.json(space);
  });

  app.post('/:id/sync', requireAdmin, async (c) => {
    const id = pathId(c.req.param('id'), 'space');
    const jobId = await withClaims(deps.pool, c.get('claims'), (client) =>
      mapDbErrors(async () => (await client.query<{ job_id: number }>('select public.sync_space_with_stripe($1) as job_id', [id])).rows[0].job_id),
    );
    return c.json({ job_id: jobId }, 202);
  });

  app.post('/:id/drift', requireAdmin, async (c) => {
    const id = pathId(c.req.param('id'), 'space');
    const body = await readJson(c);
    const action = isObject(body) ? body.action : undefined;
    if (action !== 'enforce' && action !== 'adopt') {
      throw new HttpError(400, 'validation_failed', 'action must be enforce or adopt', { action: 'must be enforce or adopt' });
    }
    const jobId = await withClaims(deps.pool, c.get('claims'), async (client) => {
      // Adopting Stripe's change of an attached space writes it to the app's row first (read-only
      // fields refuse it there), so the app stays the source of truth.
      if (action === 'adopt' && isAttached(await spaceSource(client, id))) {
        const changes = adoptedChanges((await getSpace(client, id))?.drift);
        if (Object.keys(changes).length > 0) await editSourceRow(client, id, changes);
      }
      return mapDbErrors(async () => (await client.query<{ job_id: number }>('select public.resolve_space_drift($1, $2) as job_id', [id, action])).rows[0].job_id);
    });
    return c.json({ job_id: jobId }, 202);
  });

  // The space's drift history, newest first: what Stripe changed, when, and what was done.
  app.get('/:id/drift-events', requireAdmin, async (c) => {
    const id = pathId(c.req.param('id'), 'space');
    const rows = await withClaims(deps.pool, c.get('claims'), async (client) =>
      (await client.query(
        `select id, space_id, detected_at, object, object_id, fields, removed, policy, action, resolved_at, acknowledged_at
           from public.space_drift_events where space_id = $1 order by detected_at desc, id desc limit 100`,
        [id],
      )).rows,
    );
    return c.json({ data: rows });
  });

  app.post('/:id/drift/acknowledge', requireAdmin, async (c) => {
    const id = pathId(c.req.param('id'), 'space');
    const acknowledged = await withClaims(deps.pool, c.get('claims'), (client) =>
      mapDbErrors(async () => (await client.query<{ n: number }>('select public.acknowledge_space_drift($1) as n', [id])).rows[0].n),
    );
    return c.json({ acknowledged });
  });

  return app;
}

/** The `ids` of a bulk request: an array of up to 1000 uuids (required or optional). */
function bulkIds(body: unknown, required: boolean): string[] | null {
  const ids = isObject(body) ? body.ids : undefined;
  if (ids === undefined && !required) return null;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > 1000 || !ids.every((x) => typeof x === 'string' && isUuid(x))) {
    throw new HttpError(400, 'validation_failed', 'ids must be a list of 1 to 1000 space ids', { ids: 'must be a list of 1 to 1000 space ids (uuids)' });
  }
  return ids.map((x: string) => x.toLowerCase());
}

/** `prices` is the full list: rows with an id are updated, rows without are inserted, the rest deleted. */
async function replacePrices(client: Parameters<typeof insertPrice>[0], spaceId: string, prices: PriceValues[]): Promise<void> {
  const keep = prices.map((p) => p.id).filter((x): x is string => Boolean(x));
  await mapDbErrors(() => deletePricesExcept(client, spaceId, keep), 'prices.');
  for (const [i, price] of prices.entries()) {
    if (price.id) {
      const updated = await mapDbErrors(() => updatePrice(client, spaceId, { ...price, id: price.id as string }, i), `prices.${i}.`);
      if (!updated) {
        throw new HttpError(400, 'validation_failed', `prices.${i}.id: this space has no price with this id`, { [`prices.${i}.id`]: 'this space has no price with this id: leave id out to add a price' });
      }
    } else {
      await mapDbErrors(() => insertPrice(client, spaceId, price, i), `prices.${i}.`);
    }
  }
}
