// A catalog run (`sync_catalog` task, `spacesync catalog plan|sync`): list every managed product and
// price from Stripe, diff them with the database (planCatalog), store the plan with its totals in
// catalog_runs, and unless it is a dry run apply it — with bounded concurrency under the process's
// rate limiter, writing done / failed / calls to the run as it goes.
//
// The apply of a reviewed plan (apply_catalog_plan: the run's `applies_plan`) plans again too, and
// applies an entry only when its fresh change is the one reviewed (compareCatalogPlans); the others
// are `stale`, and changes that appeared since the review are left for a new plan. A space is synced
// only at the version planned (an edit landing while the run applies makes it stale too).
//
// Resumable: each space is applied through syncSpace (advisory lock, ids stored after every call,
// write-ahead record of creates), so an interrupted run leaves nothing half-known, and running it
// again plans only what is still left (the apply of a reviewed plan keeps the entries it applied). Keys carry the run (`:c<run>`) so a repair at an unchanged
// version is really sent, not replayed from an older answer.
import {
  applyResult,
  compareCatalogPlans,
  entryDigest,
  planCatalog,
  staleMessage,
  type ComparableEntry,
  type StaleReason,
  type CatalogEntry,
  type CatalogEntryKind,
  type CatalogPlan,
  type Change,
  type StripeSnapshot,
} from '../catalog/index.ts';
import type { Pool } from '../db/pool.ts';
import { silentLogger, type Logger } from '../log.ts';
import { executeOperation } from '../stripe/executeOperation.ts';
import { describeStripeError } from '../stripe/stripeErrors.ts';
import { createStripeGateway, type StripeGateway } from '../stripe/stripeGateway.ts';
import { appLog } from './appLog.ts';
import { listManaged } from './listManaged.ts';
import { loadCatalogSpaces, loadSnapshots } from './loadCatalogSpaces.ts';
import { syncSpace } from './syncSpace.ts';
import { clearCatalogOutcomes, keepDoneOutcomes, writeCatalogProgress, type EntryOutcome } from './writeCatalogProgress.ts';

export interface CatalogProgress {
  total: number;
  done: number;
  failed: number;
  /** Entries of the reviewed plan not applied: their change is no longer the one reviewed. */
  stale: number;
  /** Stripe requests made by this run (lists included). */
  calls: number;
  elapsedMs: number;
}

/** What catalog_runs.plan holds: the plan without its operations and snapshots. */
export interface StoredCatalogPlan {
  totals: Record<CatalogEntryKind, number>;
  calls: number;
  /** Every entry that is not unchanged. */
  entries: StoredCatalogEntry[];
  /** Stripe list requests made to plan. */
  listCalls: number;
  /**
   * The apply of a reviewed plan: the changes planned now that the reviewed plan did not hold (not
   * applied by the run; a new plan shows them).
   */
  appeared?: Array<{ kind: CatalogEntryKind; spaceId: string | null; productId: string | null; name: string }>;
}

export interface StoredCatalogEntry {
  kind: CatalogEntryKind;
  spaceId: string | null;
  productId: string | null;
  name: string;
  changes: Change[];
  calls: number;
  /** The hash of the entry's operations (entryDigest): an apply compares it with the fresh plan's. */
  digest?: string;
  /** A product no space stands for (identified by its product id). */
  orphan?: boolean;
}

export type { EntryOutcome };

/** The key of an entry in catalog_run_outcomes: its space, or for an orphan its Stripe product. */
export function entryKey(entry: { spaceId: string | null; productId: string | null }): string {
  return entry.spaceId ?? entry.productId ?? '';
}

export interface SyncCatalogDeps {
  pool: Pool;
  gateway: StripeGateway;
  log?: Logger;
}

export interface SyncCatalogOptions {
  runId: string;
  dryRun: boolean;
  /** The reviewed plan the run applies, when its row does not say (the job's payload). */
  planId?: string | null;
  /** Entries applied at once (default 8; each holds one database connection while it runs). */
  concurrency?: number;
  onPlan?: (plan: CatalogPlan) => void;
  onProgress?: (progress: CatalogProgress) => void;
  /** How often progress is written to catalog_runs (default 250 ms). */
  progressIntervalMs?: number;
}

export interface CatalogRunResult {
  plan: CatalogPlan;
  stored: StoredCatalogPlan;
  progress: CatalogProgress;
  failures: Array<{ name: string; spaceId: string | null; productId: string | null; message: string }>;
  /** The apply of a reviewed plan: its entries not applied, their change no longer the one reviewed. */
  stale: Array<{ name: string; spaceId: string | null; productId: string | null; reason: StaleReason | 'edited' }>;
  /** The apply of a reviewed plan: entries planned now that it did not hold (not applied). */
  appeared: CatalogEntry[];
  /** Where the time went: reading the database, listing Stripe, planning, applying (ms). */
  timings: { loadMs: number; listMs: number; planMs: number; applyMs: number };
}

export function storedPlan(plan: CatalogPlan, listCalls: number): StoredCatalogPlan {
  return {
    totals: plan.totals,
    calls: plan.calls,
    listCalls,
    entries: plan.entries
      .filter((e) => e.kind !== 'unchanged')
      .map((e) => ({
        kind: e.kind,
        spaceId: e.spaceId,
        productId: e.productId,
        name: e.name,
        changes: e.changes,
        calls: e.operations.length,
        digest: entryDigest(e.operations),
        ...(e.version === null ? { orphan: true } : {}),
      })),
  };
}

/** A fresh entry as compareCatalogPlans reads it, carrying the entry itself. */
function comparable(entry: CatalogEntry): ComparableEntry & { entry: CatalogEntry } {
  return {
    kind: entry.kind,
    spaceId: entry.spaceId,
    productId: entry.productId,
    changes: entry.changes,
    digest: entryDigest(entry.operations),
    orphan: entry.version === null,
    entry,
  };
}

/** The stored plan in the shape formatPlan prints. */
export function printablePlan(stored: StoredCatalogPlan): CatalogPlan {
  return {
    totals: stored.totals,
    calls: stored.calls,
    entries: stored.entries.map((e) => ({ ...e, version: null, operations: [], snapshot: null })),
  };
}

export async function syncCatalog(deps: SyncCatalogDeps, options: SyncCatalogOptions): Promise<CatalogRunResult> {
  const { pool } = deps;
  const log = (deps.log ?? silentLogger).child({ runId: options.runId });
  // Own counters, the process's limiter.
  const gateway = createStripeGateway({ stripe: deps.gateway.stripe, limiter: deps.gateway.limiter });
  const started = performance.now();
  const timings = { loadMs: 0, listMs: 0, planMs: 0, applyMs: 0 };
  const tag = `c${options.runId.replace(/-/g, '').slice(0, 12)}`;

  // The run beats while this process runs it: a run whose process died without finishing it stops
  // beating, and the sweep (spacesync_recover) marks it `interrupted`.
  const beat = () =>
    pool.query(`update public.catalog_runs set heartbeat_at = now() where id = $1`, [options.runId]).catch((error: unknown) => log.warn({ err: error }, 'catalog run heartbeat failed'));
  await beat();
  const timer = setInterval(() => void beat(), CATALOG_RUN_BEAT_MS);
  try {
    return await runCatalog(deps, options, gateway, log, started, timings, tag);
  } finally {
    clearInterval(timer);
  }
}

/** How often a running catalog run beats (the sweep takes a run silent for 10 s for dead). */
export const CATALOG_RUN_BEAT_MS = 2_000;

async function runCatalog(
  deps: SyncCatalogDeps,
  options: SyncCatalogOptions,
  gateway: StripeGateway,
  log: Logger,
  started: number,
  timings: CatalogRunResult['timings'],
  tag: string,
): Promise<CatalogRunResult> {
  const { pool } = deps;
  const { rows: runRows } = await pool.query<{ plan_id: string | null; reviewed: StoredCatalogPlan | null }>(
    `update public.catalog_runs r
        set status = 'planning', started_at = coalesce(started_at, now()), finished_at = null, error = null, apply_started_at = null
      where id = $1
      returning coalesce(r.applies_plan, $2::uuid) as plan_id,
                (select p.plan from public.catalog_runs p where p.id = coalesce(r.applies_plan, $2::uuid)) as reviewed`,
    [options.runId, options.dryRun ? null : (options.planId ?? null)],
  );
  if (runRows.length === 0) throw new Error(`no catalog run has the id ${options.runId}: create one with sync_catalog_with_stripe() or the CLI`);
  const reviewedId = options.dryRun ? null : runRows[0].plan_id;
  const reviewed = reviewedId === null ? null : runRows[0].reviewed;
  if (reviewedId !== null && (reviewed === null || !Array.isArray(reviewed.entries))) {
    throw new Error(`the plan ${reviewedId} this run applies holds no stored plan (deleted, or never computed): compute a new plan and apply it`);
  }
  // The apply of a reviewed plan, resumed, keeps the entries it applied: they are no longer planned.
  const appliedBefore = reviewed ? await keepDoneOutcomes(pool, options.runId) : new Set<string>();
  if (!reviewed) await clearCatalogOutcomes(pool, options.runId);

  const loading = performance.now();
  const [spaces, managed] = await Promise.all([
    loadCatalogSpaces(pool).then((s) => ((timings.loadMs = performance.now() - loading), s)),
    listManaged(gateway),
  ]);
  timings.listMs = managed.ms;
  // A known product Stripe does not have at all (deleted, a reset test mode, a restored database):
  // planned as new, "recreate". One Stripe has but no longer marks as managed (its managed_by
  // removed): planned against what we last wrote to it.
  const listed = new Set(managed.products.map((p) => p.id));
  const unmanaged: string[] = [];
  for (const s of spaces) {
    const id = s.space.stripe_product_id;
    if (!id || listed.has(id)) continue;
    if (managed.allProductIds.has(id)) unmanaged.push(s.space.id);
    else s.missing = true;
  }
  const snapshots = await loadSnapshots(pool, unmanaged);
  for (const s of spaces) if (snapshots.has(s.space.id)) s.space.stripe_snapshot = snapshots.get(s.space.id) ?? null;
  const planning = performance.now();
  const plan = planCatalog({ spaces, products: managed.products, prices: managed.prices });
  timings.planMs = performance.now() - planning;
  const fingerprints = new Map(spaces.map((s) => [s.space.id, s.fingerprint]));
  options.onPlan?.(plan);
  let stored = storedPlan(plan, managed.pages);
  let work = plan.entries.filter((e) => e.kind !== 'unchanged');
  let outcomes = new Map<string, EntryOutcome>();
  const staleEntries: CatalogRunResult['stale'] = [];
  let appeared: CatalogEntry[] = [];
  let doneBefore = 0;
  if (reviewed) {
    // What the admin reviewed, entry by entry, against what would be applied now.
    const pending = reviewed.entries.filter((e) => !appliedBefore.has(entryKey(e)));
    doneBefore = reviewed.entries.length - pending.length;
    const comparison = compareCatalogPlans(pending, plan.entries.map(comparable));
    work = comparison.same.map((c) => c.entry);
    appeared = comparison.appeared.filter((c) => !appliedBefore.has(entryKey(c))).map((c) => c.entry);
    for (const { entry, reason } of comparison.stale) {
      staleEntries.push({ name: entry.name, spaceId: entry.spaceId, productId: entry.productId, reason });
      outcomes.set(entryKey(entry), { status: 'stale', error: staleMessage(reason) });
    }
    stored = {
      ...reviewed,
      listCalls: managed.pages,
      appeared: appeared.map((e) => ({ kind: e.kind, spaceId: e.spaceId, productId: e.productId, name: e.name })),
    };
  }
  const total = options.dryRun ? 0 : reviewed ? reviewed.entries.length : work.length;
  const progress: CatalogProgress = { total, done: doneBefore, failed: 0, stale: staleEntries.length, calls: gateway.stats.calls, elapsedMs: 0 };
  await pool.query(
    `update public.catalog_runs
        set plan = $2, total = $3, calls = $4, status = $5, finished_at = case when $6 then now() end, apply_started_at = case when not $6 then now() end,
            done = $7, failed = 0, stale = $8
      where id = $1`,
    [options.runId, JSON.stringify(stored), progress.total, progress.calls, options.dryRun ? 'planned' : 'applying', options.dryRun, progress.done, progress.stale],
  );
  await appLog(pool, {
    source: 'catalog',
    event: options.dryRun ? 'catalog.planned' : 'catalog.applying',
    message: reviewed
      ? `catalog sync of the plan ${reviewedId}: ${work.length} of its ${reviewed.entries.length} entries to apply, ${staleEntries.length} changed since the plan (stale), ${appeared.length} change(s) appeared since the plan (not applied)`
      : `catalog ${options.dryRun ? 'plan' : 'sync'}: ${work.length} of ${plan.entries.length} entries to apply, ${plan.calls} Stripe call(s)`,
    context: {
      run_id: options.runId,
      totals: plan.totals,
      calls: plan.calls,
      list_calls: managed.pages,
      ...(reviewed ? { plan_id: reviewedId, stale: staleEntries.slice(0, 50), appeared: stored.appeared?.slice(0, 50) } : {}),
    },
    durationMs: performance.now() - started,
  });
  log.info({ totals: plan.totals, calls: plan.calls }, 'catalog planned');
  const failures: CatalogRunResult['failures'] = [];
  if (options.dryRun) {
    progress.elapsedMs = performance.now() - started;
    return { plan, stored, progress, failures, stale: staleEntries, appeared, timings };
  }
  await finishUnchanged(pool, plan.entries);

  // Apply with bounded concurrency; progress and the entries' outcomes since the last write to the
  // run row at most every progressIntervalMs.
  const interval = options.progressIntervalMs ?? 250;
  let lastWrite = 0;
  let writing: Promise<unknown> = Promise.resolve();
  const report = (force = false) => {
    progress.calls = gateway.stats.calls;
    progress.elapsedMs = performance.now() - started;
    options.onProgress?.({ ...progress });
    const now = performance.now();
    if (!force && now - lastWrite < interval) return;
    lastWrite = now;
    const snapshot = { ...progress };
    const written = outcomes;
    outcomes = new Map();
    writing = writing.then(() =>
      writeCatalogProgress(pool, options.runId, snapshot, written).catch((error: unknown) => log.warn({ err: error }, 'could not write catalog progress')),
    );
  };
  const applying = performance.now();
  report(true);

  let next = 0;
  const applyOne = async (entry: CatalogEntry) => {
    try {
      if (entry.version !== null && entry.spaceId !== null) {
        const outcome = await syncSpace(
          { pool, gateway, log },
          {
            spaceId: entry.spaceId,
            baseline: { snapshot: entry.snapshot, fingerprint: fingerprints.get(entry.spaceId) ?? '' },
            discriminator: tag,
            maxAttempts: 1,
            ...(reviewed ? { onlyVersion: entry.version } : {}),
          },
        );
        if (outcome.status === 'error') throw new Error(outcome.message);
        if (reviewed && (outcome.status === 'changed' || outcome.status === 'missing')) {
          // Edited (or deleted) since this run planned it: not what was reviewed.
          progress.stale++;
          outcomes.set(entryKey(entry), { status: 'stale', error: staleMessage('changed') });
          staleEntries.push({ name: entry.name, spaceId: entry.spaceId, productId: entry.productId, reason: 'edited' });
          report();
          return;
        }
      } else {
        await archiveOrphan(pool, gateway, entry, tag);
      }
      progress.done++;
      outcomes.set(entryKey(entry), { status: 'done' });
    } catch (error) {
      progress.failed++;
      const message = describeStripeError(error);
      outcomes.set(entryKey(entry), { status: 'failed', error: message });
      failures.push({ name: entry.name, spaceId: entry.spaceId, productId: entry.productId, message });
      log.warn({ err: error, spaceId: entry.spaceId, productId: entry.productId }, 'catalog entry failed');
    }
    report();
  };
  const concurrency = Math.max(1, options.concurrency ?? 8);
  await Promise.all(
    Array.from({ length: Math.min(concurrency, work.length) }, async () => {
      while (next < work.length) await applyOne(work[next++]);
    }),
  );
  report(true);
  await writing;
  await pool.query(
    `update public.catalog_runs set status = 'done', done = $2, failed = $3, calls = $4, stale = $5, finished_at = now() where id = $1`,
    [options.runId, progress.done, progress.failed, gateway.stats.calls, progress.stale],
  );
  const staleWords = reviewed ? `, ${progress.stale} stale (changed since the plan: compute a new plan), ${appeared.length} change(s) appeared since the plan (not applied)` : '';
  await appLog(pool, {
    level: progress.failed || progress.stale ? 'warn' : 'info',
    source: 'catalog',
    event: 'catalog.finished',
    message: `catalog sync: ${progress.done} applied, ${progress.failed} failed${staleWords}, ${gateway.stats.calls} Stripe request(s)`,
    context: { run_id: options.runId, ...progress, failures: failures.slice(0, 50), ...(reviewed ? { plan_id: reviewedId, appeared: appeared.length } : {}) },
    durationMs: performance.now() - started,
  });
  progress.calls = gateway.stats.calls;
  progress.elapsedMs = performance.now() - started;
  timings.applyMs = performance.now() - applying;
  return { plan, stored, progress, failures, stale: staleEntries, appeared, timings };
}

/**
 * Spaces Stripe already matches but that do not read `synced` at their version (a sync killed after
 * its last Stripe call, an edit undone): `synced` now, unless a sync is running for them.
 */
async function finishUnchanged(pool: Pool, entries: readonly CatalogEntry[]): Promise<void> {
  const done = entries.filter((e) => e.kind === 'unchanged' && e.spaceId !== null && e.version !== null);
  if (done.length === 0) return;
  await pool.query(
    `update public.spaces s
        set sync_status = 'synced', synced_version = s.version, last_synced_at = now(), last_error = null
       from unnest($1::uuid[], $2::bigint[]) u(id, version)
      where s.id = u.id and s.version = u.version
        and s.sync_status in ('pending', 'syncing', 'error') and (s.sync_status <> 'synced' or s.synced_version is distinct from s.version)
        and not exists (select 1 from public.space_sync_intents i where i.space_id = s.id)
        and not public.spacesync_lock_held($3, s.id::text)`,
    [done.map((e) => e.spaceId), done.map((e) => e.version), 0x5353],
  );
}

/** A managed product no space stands for (space gone, or a duplicate): archived with its prices. */
async function archiveOrphan(pool: Pool, gateway: StripeGateway, entry: CatalogEntry, tag: string): Promise<void> {
  let snapshot: StripeSnapshot | null = entry.snapshot;
  const ctx = { spaceId: entry.spaceId ?? entry.productId ?? 'orphan', version: 0, discriminator: tag };
  for (const op of entry.operations) {
    const res = await executeOperation(gateway, op, snapshot, ctx);
    snapshot = applyResult(snapshot, op, res.object);
    await appLog(pool, {
      source: 'catalog',
      event: `stripe.${op.kind}`,
      spaceId: entry.spaceId && /^[0-9a-f-]{36}$/i.test(entry.spaceId) ? entry.spaceId : null,
      message: `archive orphan ${entry.productId}: ${op.kind} ${res.object.id}`,
      context: { product_id: entry.productId, idempotency_key: res.idempotencyKey, replayed: res.record.replayed },
      durationMs: res.record.durationMs,
      stripeRequestId: res.record.requestId,
    });
  }
}
