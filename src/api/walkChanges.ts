// Which rows of the change log (spacesync_changes) a reader may deliver now. Ids come from a
// sequence, so they are handed out in order but committed in any order: a reader that saw id 12
// while id 11's transaction is still open must not move past 11, or 11 is lost when it commits.
// A missing id is final (its transaction rolled back) once no writer that was in progress when the
// gap was seen is still running; until then the reader stops at the gap and tries again shortly.

export type ChangeKind = 'space' | 'catalog_run' | 'log' | 'drift';

export interface ChangeRow {
  id: number;
  kind: ChangeKind;
  entity_id: string;
}

export interface WalkResult {
  /** Rows to deliver, in id order. */
  deliver: ChangeRow[];
  /** The id the reader has delivered everything up to. */
  cursor: number;
  /** The walk stopped at a gap that may still fill. */
  blocked: boolean;
}

/**
 * `rows`: the change rows after `cursor`, in id order, read in one snapshot. `settledUpTo`: ids up to
 * it are final (a gap below it is a rolled-back write). `writersInProgress`: whether that snapshot
 * had write transactions in progress (none: every gap below the rows read is final).
 */
export function walkChanges(cursor: number, rows: readonly ChangeRow[], settledUpTo: number, writersInProgress: boolean): WalkResult {
  const deliver: ChangeRow[] = [];
  let at = cursor;
  for (const row of rows) {
    if (row.id <= at) continue;
    if (row.id !== at + 1 && row.id > settledUpTo && writersInProgress) return { deliver, cursor: at, blocked: true };
    deliver.push(row);
    at = row.id;
  }
  return { deliver, cursor: at, blocked: false };
}

/**
 * One entry per changed thing, carrying the highest change id among its rows, in id order: whoever
 * re-reads a space once after its last change has seen all of them.
 */
export function coalesceChanges(rows: readonly ChangeRow[]): ChangeRow[] {
  const latest = new Map<string, ChangeRow>();
  for (const row of rows) {
    const key = `${row.kind}:${row.entity_id}`;
    const seen = latest.get(key);
    if (!seen || seen.id < row.id) latest.set(key, row);
  }
  return [...latest.values()].sort((a, b) => a.id - b.id);
}

/** Parses a Last-Event-ID header (or query value): a positive safe integer, else undefined. */
export function parseEventId(value: string | undefined | null): number | undefined {
  if (!value || !/^\d{1,15}$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}
