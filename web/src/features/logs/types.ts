// A row of application_logs as GET /api/logs returns it.
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

const ALL_LEVELS: readonly string[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

export function isLogLevel(level: string): level is LogLevel {
  return ALL_LEVELS.includes(level);
}

export interface LogRow {
  id: number;
  created_at: string;
  level: LogLevel | string;
  source: string;
  event: string;
  space_id: string | null;
  space_name?: string | null;
  message: string;
  context: Record<string, unknown> | null;
  duration_ms: number | null;
  stripe_request_id: string | null;
}

export interface LogFilters {
  space_id?: string;
  /** Part of a space's name (accents and case ignored). */
  space?: string;
  level?: string;
  source?: string;
  /** ISO date-time. */
  since?: string;
}

export interface LogPage {
  data: LogRow[];
  next_before_id: number | null;
}
