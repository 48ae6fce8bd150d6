// Reads the change log (spacesync_changes) after a cursor and turns it into stream messages, each
// re-read from its table as it is now: a space with its prices, a catalog run's progress, a log
// line, a drift. Nothing comes from a NOTIFY payload. Runs on the server's own connection (the
// stream is for admins only), so any process can resume a client from its last event id.
import type { Pool } from '../db/pool.ts';
import { SPACE_SELECT_FOR_STREAM } from './spaceQueries.ts';
import { coalesceChanges, walkChanges, type ChangeKind, type ChangeRow } from './walkChanges.ts';

export interface StatusMessage {
  /** The change id: the SSE event id a client resumes after. */
  id: number;
  type: ChangeKind;
  data: Record<string, unknown>;
}

type Queryable = Pick<Pool, 'query'>;

const BATCH = 500;
/** A gap still open after this long is taken as final (a writer idle in its transaction). */
const GAP_TIMEOUT_MS = 10_000;

export interface ChangeReader {
  /** The id everything up to has been read. */
  readonly cursor: number;
  /** The next messages (empty when nothing new); `more` when the reader should read again soon. */
  read(): Promise<{ messages: StatusMessage[]; more: boolean; waiting: boolean }>;
}

/** Where a client may resume: its last id, or `resync` when the log no longer holds what followed. */
export async function resumePoint(db: Queryable, lastEventId: number | undefined): Promise<{ cursor: number; resync: boolean }> {
  const { rows } = await db.query<{ min: number | null; max: number | null }>(
    'select min(id) as min, max(id) as max from public.spacesync_changes',
  );
  const min = rows[0].min;
  // The sequence, not max(id): pruned or rolled-back ids are not reused.
  const { rows: seq } = await db.query<{ last: number }>(
    `select case when is_called then last_value else last_value - 1 end as last from public.spacesync_changes_id_seq`,
  );
  const head = Math.max(rows[0].max ?? 0, seq[0].last);
  if (lastEventId === undefined) return { cursor: head, resync: false };
  const oldest = min ?? head + 1;
  if (lastEventId > head || lastEventId < oldest - 1) return { cursor: head, resync: true };
  return { cursor: lastEventId, resync: false };
}

export function createChangeReader(db: Queryable, start: number, now: () => number = Date.now): ChangeReader {
  let cursor = start;
  let settledUpTo = 0;
  let gap: { xip: string[]; upTo: number; since: number } | undefined;

  async function settleGap(): Promise<void> {
    if (!gap) return;
    // Only writers of this database can hold a missing id. Where the server's role sees every session
    // (superuser or pg_read_all_stats), those of other databases of the cluster are not waited for.
    const { rows } = await db.query<{ running: number }>(
      `select count(*)::int as running from unnest($1::xid8[]) x
        where pg_xact_status(x) = 'in progress'
          and (not (select rolsuper or pg_has_role(current_user, 'pg_read_all_stats', 'member') from pg_roles where rolname = current_user)
               or exists (select 1 from pg_stat_activity a
                           where a.datname = current_database() and a.backend_xid::text = (x::text::numeric % 4294967296)::text))`,
      [gap.xip],
    );
    if (rows[0].running === 0 || now() - gap.since > GAP_TIMEOUT_MS) {
      settledUpTo = Math.max(settledUpTo, gap.upTo);
      gap = undefined;
    }
  }

  return {
    get cursor() {
      return cursor;
    },
    async read() {
      await settleGap();
      // One statement, one snapshot: the rows it sees and the writers it does not see yet.
      const { rows } = await db.query<{ xip: string[]; changes: ChangeRow[] }>(
        `select array(select x::text from pg_snapshot_xip(pg_current_snapshot()) x) as xip,
                coalesce((select json_agg(c order by c.id) from (
                  select id, kind, entity_id from public.spacesync_changes where id > $1 order by id limit ${BATCH}) c), '[]'::json) as changes`,
        [cursor],
      );
      const { xip, changes } = rows[0];
      const walk = walkChanges(cursor, changes, settledUpTo, xip.length > 0);
      if (walk.blocked && !gap) gap = { xip, upTo: changes[changes.length - 1].id, since: now() };
      cursor = walk.cursor;
      const messages = await loadMessages(db, coalesceChanges(walk.deliver));
      return { messages, more: !walk.blocked && changes.length === BATCH, waiting: walk.blocked };
    },
  };
}

async function loadMessages(db: Queryable, changes: ChangeRow[]): Promise<StatusMessage[]> {
  if (changes.length === 0) return [];
  const ids = (kind: ChangeKind) => changes.filter((c) => c.kind === kind).map((c) => c.entity_id);
  const byId = new Map<string, Record<string, unknown>>();
  const load = async (kind: ChangeKind, sql: string) => {
    const wanted = ids(kind);
    if (wanted.length === 0) return;
    const { rows } = await db.query<Record<string, unknown> & { id: string | number }>(sql, [wanted]);
    for (const row of rows) byId.set(`${kind}:${row.id}`, row);
  };
  await load('space', `${SPACE_SELECT_FOR_STREAM} where s.id = any($1::uuid[])`);
  await load(
    'catalog_run',
    `select id, dry_run, status, total, done, failed, stale, calls, error, created_at, started_at, apply_started_at, finished_at, applies_plan
       from public.catalog_runs where id = any($1::uuid[])`,
  );
  await load(
    'log',
    `select l.id, l.created_at, l.level, l.source, l.event, l.space_id, s.name as space_name, left(l.message, 2000) as message,
            l.context, l.duration_ms, l.stripe_request_id
       from public.application_logs l left join public.spaces s on s.id = l.space_id where l.id = any($1::bigint[])`,
  );
  await load(
    'drift',
    `select e.id, e.space_id, s.name as space_name, e.detected_at, e.object, e.object_id, e.fields, e.removed, e.policy, e.action,
            e.resolved_at, e.acknowledged_at
       from public.space_drift_events e join public.spaces s on s.id = e.space_id where e.id = any($1::bigint[])`,
  );
  const messages: StatusMessage[] = [];
  for (const change of changes) {
    const data = byId.get(`${change.kind}:${change.entity_id}`);
    if (data) messages.push({ id: change.id, type: change.kind, data });
    else if (change.kind === 'space') messages.push({ id: change.id, type: 'space', data: { id: change.entity_id, removed: true } });
  }
  return messages;
}
