// A catalog run as GET /api/catalog/runs/:id returns it; the plan is the catalog core's CatalogPlan
// (entries with their readable `changes`), operations and snapshots left out of what the UI reads.
import type { CatalogEntryKind, Change } from '../../lib/catalog.ts';

export type CatalogRunStatus = 'queued' | 'planning' | 'planned' | 'applying' | 'done' | 'failed' | 'interrupted';

export interface PlanEntry {
  kind: CatalogEntryKind;
  spaceId: string | null;
  productId: string | null;
  name: string;
  changes: Change[];
}

export interface Plan {
  entries: PlanEntry[];
  totals: Partial<Record<CatalogEntryKind, number>>;
  calls?: number;
  /** The apply of a reviewed plan: changes planned at apply time that the plan did not hold (not applied). */
  appeared?: Array<Pick<PlanEntry, 'kind' | 'spaceId' | 'productId' | 'name'>>;
}

export interface CatalogRun {
  id: string;
  dry_run: boolean;
  status: CatalogRunStatus;
  total: number | null;
  done: number | null;
  failed: number | null;
  /** Entries of the reviewed plan not applied: changed since the plan. */
  stale?: number | null;
  calls: number | null;
  plan: Plan | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  apply_started_at?: string | null;
  finished_at: string | null;
  /** The plan an apply run applies. */
  applies_plan?: string | null;
  /** The run that applied this plan, once one did. */
  applied_by?: string | null;
}

/** `stale`: not applied, the entry changed since the plan. */
export type EntryOutcome = { status: 'done' } | { status: 'failed' | 'stale'; error: string };
export type EntryStatus = { status: 'pending' } | EntryOutcome;

/** An entry's status in an apply run: its outcome (by space id, or product id of an orphan), or pending while it has none. */
export function entryStatus(outcomes: Readonly<Record<string, EntryOutcome>> | undefined, entry: Pick<PlanEntry, 'spaceId' | 'productId'>): EntryStatus {
  return outcomes?.[entry.spaceId ?? entry.productId ?? ''] ?? { status: 'pending' };
}

/** The progress a `catalog_run` stream event carries. */
export interface CatalogRunEvent {
  id: string;
  status: CatalogRunStatus;
  total: number | null;
  done: number | null;
  failed: number | null;
  stale?: number | null;
  calls: number | null;
}

export const FINISHED_RUN_STATUSES: readonly CatalogRunStatus[] = ['planned', 'done', 'failed', 'interrupted'];
