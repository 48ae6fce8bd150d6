// Time left of an apply, from its rate so far: entries still to go × the time one has taken on
// average since applying began. Nothing until the first entries are through (no rate to go on).

export interface ApplyProgress {
  total: number;
  /** Entries through, done or failed. */
  processed: number;
  /** When applying began (ISO or ms). */
  startedAt: string | number | null;
}

/** Milliseconds left, or null while there is no rate to estimate from (or nothing left). */
export function estimateTimeLeft(progress: ApplyProgress, now: number): number | null {
  const { total, processed, startedAt } = progress;
  if (startedAt === null || processed <= 0 || processed >= total) return null;
  const start = typeof startedAt === 'number' ? startedAt : Date.parse(startedAt);
  const elapsed = now - start;
  if (!Number.isFinite(elapsed) || elapsed <= 0) return null;
  return Math.round(((total - processed) * elapsed) / processed);
}

/** The time left in the largest unit that reads well: seconds under 90 s, then minutes, then hours. */
export function timeLeftParts(ms: number): { value: number; unit: 'second' | 'minute' | 'hour' } {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 90) return { value: seconds, unit: 'second' };
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return { value: minutes, unit: 'minute' };
  return { value: Math.round(minutes / 60), unit: 'hour' };
}
