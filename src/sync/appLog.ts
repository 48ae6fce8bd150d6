// The shared writer of `application_logs`: one row per sync step, with its duration and Stripe
// request id. Rows are inserted in batches (one statement, any number of rows), on whatever
// connection the caller is using, so a step's log commits with the state it describes.

export type AppLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface AppLogRow {
  level?: AppLogLevel;
  /** What wrote it: `sync`, `catalog`, `webhook`, `cli`. */
  source: string;
  /** Machine-readable step, e.g. `stripe.create_product`, `sync.finished`. */
  event: string;
  spaceId?: string | null;
  message: string;
  context?: Record<string, unknown>;
  durationMs?: number | null;
  stripeRequestId?: string | null;
  jobId?: string | number | null;
}

/** Anything with pg's `query` (a Pool or a PoolClient). */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: any[]; rowCount: number | null }>;
}

const MAX_MESSAGE = 4000;

/** The rows as one jsonb array, for `jsonb_to_recordset` (also used inside larger statements). */
export function appLogJson(rows: readonly AppLogRow[]): string {
  return JSON.stringify(
    rows.map((r) => ({
      level: r.level ?? 'info',
      source: r.source,
      event: r.event,
      space_id: r.spaceId ?? null,
      message: r.message.length > MAX_MESSAGE ? `${r.message.slice(0, MAX_MESSAGE - 1)}…` : r.message,
      context: r.context ?? {},
      duration_ms: r.durationMs === null || r.durationMs === undefined ? null : Math.round(r.durationMs * 1000) / 1000,
      stripe_request_id: r.stripeRequestId ?? null,
      job_id: r.jobId === null || r.jobId === undefined ? null : Number(r.jobId),
    })),
  );
}

/** The INSERT … SELECT that writes the rows of parameter `$n` (a jsonb array from appLogJson). */
export function appLogInsertSql(param: string): string {
  return `insert into public.application_logs (level, source, event, space_id, message, context, duration_ms, stripe_request_id, job_id)
    select level, source, event, space_id, message, coalesce(context, '{}'), duration_ms, stripe_request_id, job_id
      from jsonb_to_recordset(${param}::jsonb) as x(level text, source text, event text, space_id uuid, message text,
        context jsonb, duration_ms numeric, stripe_request_id text, job_id bigint)`;
}

export async function appLog(db: Queryable, rows: AppLogRow | readonly AppLogRow[]): Promise<void> {
  const list = Array.isArray(rows) ? (rows as readonly AppLogRow[]) : [rows as AppLogRow];
  if (list.length === 0) return;
  await db.query(appLogInsertSql('$1'), [appLogJson(list)]);
}
