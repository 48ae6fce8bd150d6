// One application_logs row from event processing. (A tiny local insert: the sync engine's shared
// logger, src/sync/appLog.ts, can replace it.)
import type { PoolClient } from '../../db/pool.ts';

export interface LogRow {
  level: 'debug' | 'info' | 'warn' | 'error';
  event: string;
  spaceId?: string | null;
  message: string;
  context?: Record<string, unknown>;
  jobId?: number | string | null;
}

export async function writeLog(client: PoolClient, row: LogRow): Promise<void> {
  await client.query(
    `insert into public.application_logs (level, source, event, space_id, message, context, job_id) values ($1, 'webhook', $2, $3, $4, $5, $6)`,
    [row.level, row.event, row.spaceId ?? null, row.message.slice(0, 4000), JSON.stringify(row.context ?? {}), row.jobId ?? null],
  );
}
