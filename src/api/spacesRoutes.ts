// /api/spaces: list, get, create, update, delete, sync now, resolve drift. Every query runs through
// withClaims as the caller (RLS decides what they see and may write).
import { Hono } from 'hono';
import { fieldErrors, spaceInputSchema, SYNC_STATUSES, type PriceValues, type SpaceValues } from '../catalog/index.ts';
import type { Pool } from '../db/pool.ts';
import { withClaims } from '../db/withClaims.ts';
import { requireAdmin, type AuthEnv } from './auth.ts';
import { mapDbErrors } from './dbError.ts';
import { HttpError } from './httpError.ts';
import { boolParam, enumParam, intParam, pathId, textParam } from './params.ts';
import { readJson } from './readJson.ts';
import {
  deletePricesExcept,
  deleteSpace,
  getSpace,
  insertPrice,
  insertSpace,
  listSpaces,
  SPACE_WRITABLE,
  updatePrice,
  updateSpace,
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
      limit: intParam(c.req.query('limit'), 'limit', 50, 1, 500),
      offset: intParam(c.req.query('offset'), 'offset', 0, 0, 1_000_000_000),
      includeDeleted: boolParam(c.req.query('include_deleted'), 'include_deleted'),
    };
    const result = await withClaims(deps.pool, c.get('claims'), (client) => listSpaces(client, filters));
    return c.json(result);
  });

  app.get('/:id', async (c) => {
    const id = pathId(c.req.param('id'), 'space');
    const space = await withClaims(deps.pool, c.get('claims'), (client) => getSpace(client, id));
    if (!space) throw new HttpError(404, 'not_found', `no space has the id ${id}`);
    return c.json(space);
  });

  app.post('/', requireAdmin, async (c) => {
    const parsed = spaceInputSchema.safeParse(await readJson(c));
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
    const jobId = await withClaims(deps.pool, c.get('claims'), (client) =>
      mapDbErrors(async () => (await client.query<{ job_id: number }>('select public.resolve_space_drift($1, $2) as job_id', [id, action])).rows[0].job_id),
    );
    return c.json({ job_id: jobId }, 202);
  });

  return app;
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
