/**
 * A reviewed catalog plan against the plan computed again at apply time: an entry is applied only
 * when the fresh plan holds the same change for it (same kind, the same readable changes field by
 * field, the same operations); an entry whose change differs, or that is no longer planned, is
 * stale; an entry only the fresh plan holds appeared since the review and is left for a new plan.
 *
 * An entry is identified by its space, or, for a product no space stands for (an orphan), by its
 * Stripe product.
 */
import type { Change } from './describeChanges.ts';
import { canonicalJson } from './idempotency.ts';
import type { Operation } from './operations.ts';
import type { CatalogEntryKind } from './planCatalog.ts';

/** What a stored plan keeps of an entry, enough to tell whether it is the same change. */
export interface ComparableEntry {
  kind: CatalogEntryKind;
  spaceId: string | null;
  productId: string | null;
  changes: readonly Change[];
  /** The hash of the entry's operations (entryDigest); plans stored without one compare by changes. */
  digest?: string;
  /** A product no space stands for: identified by its product id. */
  orphan?: boolean;
}

export type StaleReason = 'changed' | 'gone';

export interface StaleEntry<R> {
  entry: R;
  reason: StaleReason;
}

export interface PlanComparison<R, F> {
  /** Fresh entries holding the very change reviewed: applied. */
  same: F[];
  /** Reviewed entries whose change differs now, or that are no longer planned: not applied. */
  stale: StaleEntry<R>[];
  /** Fresh entries the reviewed plan did not hold: not applied. */
  appeared: F[];
}

/**
 * The hash of an entry's operations: equal operations, equal digest. Two 32-bit lanes over the UTF-16
 * code units of their canonical JSON (Math.imul, no BigInt): every entry of a plan is hashed, so it
 * has to cost little beside planning; it tells one entry's change from another of the same entry,
 * nothing that needs a cryptographic hash.
 */
export function entryDigest(operations: readonly Operation[]): string {
  const text = canonicalJson(operations);
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** What identifies an entry across two plans of one catalog. */
export function planEntryId(entry: Pick<ComparableEntry, 'spaceId' | 'productId' | 'orphan' | 'kind'>): string {
  // Stored plans without the orphan mark: an archive without a space is an orphan product.
  const orphan = entry.orphan ?? (entry.kind === 'archive_orphan' && entry.spaceId === null);
  if (orphan || entry.spaceId === null) return `product:${entry.productId ?? ''}`;
  return `space:${entry.spaceId}`;
}

function sameChanges(a: readonly Change[], b: readonly Change[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((c, i) => c.field === b[i].field && c.from === b[i].from && c.to === b[i].to);
}

/** The same change: same kind, same readable changes, and the same operations when both plans hashed them. */
export function sameChange(reviewed: ComparableEntry, fresh: ComparableEntry): boolean {
  if (reviewed.kind !== fresh.kind) return false;
  if (!sameChanges(reviewed.changes, fresh.changes)) return false;
  if (reviewed.digest !== undefined && fresh.digest !== undefined && reviewed.digest !== fresh.digest) return false;
  return true;
}

/**
 * Compares the reviewed plan's entries with the fresh plan's (entries of kind `unchanged` in either
 * are not changes: a reviewed change that is now unchanged is stale, gone from the plan).
 */
export function compareCatalogPlans<R extends ComparableEntry, F extends ComparableEntry>(reviewed: readonly R[], fresh: readonly F[]): PlanComparison<R, F> {
  const freshById = new Map<string, F>();
  for (const entry of fresh) if (entry.kind !== 'unchanged') freshById.set(planEntryId(entry), entry);
  const same: F[] = [];
  const stale: StaleEntry<R>[] = [];
  const seen = new Set<string>();
  for (const entry of reviewed) {
    if (entry.kind === 'unchanged') continue;
    const id = planEntryId(entry);
    seen.add(id);
    const now = freshById.get(id);
    if (now === undefined) stale.push({ entry, reason: 'gone' });
    else if (sameChange(entry, now)) same.push(now);
    else stale.push({ entry, reason: 'changed' });
  }
  const appeared = [...freshById.entries()].filter(([id]) => !seen.has(id)).map(([, entry]) => entry);
  return { same, stale, appeared };
}

/** The outcome message of a stale entry. */
export function staleMessage(reason: StaleReason): string {
  return reason === 'gone' ? 'changed since the plan (no longer planned): compute a new plan' : 'changed since the plan: compute a new plan';
}
