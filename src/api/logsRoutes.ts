// GET /api/logs: application_logs, newest first, paged by id (admins only, by RLS as well).
import { Hono } from 'hono';
import type { Pool } from '../db/pool.ts';
import { withClaims } from '../db/withClaims.ts';
import { requireAdmin, type AuthEnv } from './auth.ts';
import { HttpError } from './httpError.ts';
import { enumParam, intParam, isoParam, isUuid, textParam } from './params.ts';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export function logsRoutes(deps: { pool: Pool }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.get('/', requireAdmin, async (c) => {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    const spaceId = c.req.query('space_id');
    if (spaceId) {
      if (!isUuid(spaceId)) throw new HttpError(400, 'validation_failed', 'space_id must be a uuid', { space_id: 'must be a uuid' });
      add('space_id = ?', spaceId);
    }
    // The space by (part of) its name, accents and case ignored, as the spaces list searches.
    const spaceName = c.req.query('space');
    if (spaceName) {
      add(`space_id in (select public.spacesync_search_space_ids(?))`,
        `%${spaceName.slice(0, 200).replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    }
    const level = enumParam(c.req.query('level'), 'level', LOG_LEVELS);
    if (level) add('level = any(?::text[])', LOG_LEVELS.slice(LOG_LEVELS.indexOf(level)));
    const source = textParam(c.req.query('source'), 'source', 200);
    if (source) add('source = ?', source);
    const since = isoParam(c.req.query('since'), 'since');
    if (since) add('created_at >= ?', since);
    const beforeId = c.req.query('before_id');
    if (beforeId) add('id < ?', intParam(beforeId, 'before_id', 0, 1, Number.MAX_SAFE_INTEGER));
    const limit = intParam(c.req.query('limit'), 'limit', 100, 1, 500);
    params.push(limit);
    const sql = `select l.id, l.created_at, l.level, l.source, l.event, l.space_id, s.name as space_name, l.message, l.context,
                        l.duration_ms, l.stripe_request_id, l.job_id
                   from (select * from public.application_logs ${where.length ? `where ${where.join(' and ')}` : ''}
                          order by id desc limit $${params.length}) l
                   left join public.spaces s on s.id = l.space_id
                  order by l.id desc`;
    const rows = await withClaims(deps.pool, c.get('claims'), async (client) => (await client.query<{ id: number }>(sql, params)).rows);
    return c.json({ data: rows, next_before_id: rows.length === limit ? rows[rows.length - 1].id : null });
  });
  return app;
}
