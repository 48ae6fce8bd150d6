// /api/sources (admins): the app tables attached to the catalog, each with how many spaces it brought
// and where they stand, newest first. RLS on spacesync_sources lets only admins read them.
import { Hono } from 'hono';
import type { Pool } from '../db/pool.ts';
import { withClaims } from '../db/withClaims.ts';
import { requireAdmin, type AuthEnv } from './auth.ts';

export function sourcesRoutes(deps: { pool: Pool }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.use('*', requireAdmin);

  app.get('/', async (c) => {
    const rows = await withClaims(deps.pool, c.get('claims'), async (client) =>
      (await client.query(
        `select r.name, r.source_table as "table", r.attached_at, r.detached_at, r.backfilled_at,
                coalesce(n.spaces, 0) as spaces, coalesce(n.deleted, 0) as deleted, coalesce(n.synced, 0) as synced,
                coalesce(n.pending, 0) as pending, coalesce(n.error, 0) as error, coalesce(n.drift, 0) as drift
           from public.spacesync_sources r
           left join lateral (
             select count(*) filter (where s.deleted_at is null)::int as spaces,
                    count(*) filter (where s.deleted_at is not null)::int as deleted,
                    count(*) filter (where s.deleted_at is null and s.sync_status = 'synced')::int as synced,
                    count(*) filter (where s.deleted_at is null and s.sync_status in ('pending', 'syncing'))::int as pending,
                    count(*) filter (where s.deleted_at is null and s.sync_status = 'error')::int as error,
                    count(*) filter (where s.deleted_at is null and s.sync_status = 'drift')::int as drift
               from public.spaces s where s.source = r.name
           ) n on true
          order by r.attached_at desc, r.name`,
      )).rows,
    );
    return c.json({ data: rows });
  });

  return app;
}
