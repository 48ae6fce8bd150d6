// Sync one space with Stripe: the engine of the `sync_space` task, of `spacesync sync <id>` and of
// each entry of a catalog run. Under the space's advisory lock (one sync per space at a time), in
// explicit phases:
//
//   load      the lock, then the row and its prices, one consistent read, marked `syncing`: one
//             round trip (startSync.ts)
//   resume    transition: a create an interrupted sync left pending is resent with its key
//             (replayIntent.ts)
//   baseline  what the plan starts from: the stored snapshot, or Stripe as it is (a forced sync,
//             drift, a lost or unreadable snapshot, a catalog run's listing)
//   plan      desired state (src/catalog) against the baseline → the fewest operations
//   apply     each operation: [record a create] → Stripe → ids and snapshot stored at once
//   finish    `synced` when the version is still the one synced (else `pending`: a newer job waits)
//
// Two named transitions take the sync back to baseline:
//   adopt         Stripe answers `resource_already_exists` to the product create: the space's
//                 product exists but its id was lost here (a restored database). It is retrieved and
//                 adopted; if the id is held by a deleted or foreign product, the product is created
//                 with an id Stripe generates (adoptProduct.ts). Once per sync.
//   stale         the stored snapshot names an object Stripe no longer has: plan again against
//                 Stripe. Only on the first pass, and only when the baseline was not just read.
//
// A permanent Stripe error (4xx) marks the space `error` with Stripe's message and returns; anything
// transient (5xx after the SDK's retries, 429 after ours, network, timeouts, database) is thrown as a
// SyncRetryError after writing `attempt N: …, retrying`, so graphile-worker retries with backoff.
import {
  applyResult,
  canonicalJson,
  desiredState,
  parseSnapshot,
  planSpaceSync,
  type Operation,
  type PriceRecord,
  type SpaceRecord,
  type StripeSnapshot,
} from '../catalog/index.ts';
import type { PoolClient } from '../db/pool.ts';
import { silentLogger, type Logger } from '../log.ts';
import { metrics } from '../metrics.ts';
import { prepareOperation, sendCall, type OperationResult } from '../stripe/executeOperation.ts';
import { describeStripeError, isPermanentStripeError, isResourceAlreadyExists, isResourceMissing } from '../stripe/stripeErrors.ts';
import { productAtId, ProductIdTakenError, withoutProductId } from './adoptProduct.ts';
import type { AppLogRow } from './appLog.ts';
import { fetchLiveSnapshot } from './fetchLiveSnapshot.ts';
import type { LoadedSpace } from './loadSpace.ts';
import { replayIntent } from './replayIntent.ts';
import { clearIntent, failSync, finishSync, saveIntent, saveStep } from './saveSyncState.ts';
import { startSync } from './startSync.ts';
import { readLogs, stepLog } from './syncLogs.ts';
import type { Pool } from '../db/pool.ts';
import type { StripeGateway } from '../stripe/stripeGateway.ts';

export { INTENT_REPLAY_MAX_AGE_S } from './replayIntent.ts';

export interface SyncSpaceDeps {
  pool: Pool;
  gateway: StripeGateway;
  log?: Logger;
}

export interface SyncSpaceRequest {
  spaceId: string;
  /** Plan against the live Stripe objects (manual sync, drift repair) instead of the stored snapshot. */
  force?: boolean;
  /** 1-based attempt of this job, and the most it gets (for the status text). */
  attempt?: number;
  maxAttempts?: number;
  jobId?: string | number | null;
  /** Added to the idempotency keys of a live-planned run; default `f<jobId>.<attempt>`. */
  discriminator?: string;
  lockTimeoutMs?: number;
  /**
   * The live Stripe state the caller just listed (a catalog run), used instead of fetching it again
   * unless the space's stored Stripe state changed since (its fingerprint, SYNC_FINGERPRINT_SQL).
   */
  baseline?: { snapshot: StripeSnapshot | null; fingerprint: string };
  /**
   * Sync only the space at this version (the apply of a reviewed catalog plan): a space edited since
   * is left alone, answered `changed` without a Stripe call (its own sync job takes the edit).
   */
  onlyVersion?: number;
}

export type SyncSpaceOutcome =
  | {
      status: 'synced' | 'superseded';
      version: number;
      productId: string | null;
      operations: Operation['kind'][];
      /** Stripe requests made (reads included). */
      calls: number;
      live: boolean;
    }
  | { status: 'error'; version: number; message: string; calls: number }
  | { status: 'missing' }
  | { status: 'changed'; version: number };

/** A transient failure: graphile-worker retries the job with backoff. */
export class SyncRetryError extends Error {
  override name = 'SyncRetryError';
}

const CREATE_KINDS: ReadonlySet<Operation['kind']> = new Set(['create_product', 'create_price']);

/** What the plan is made against. */
type Basis =
  /** The snapshot stored after the last call (an edit's sync: no read needed). */
  | 'stored'
  /** Stripe as it is: read before planning (or the caller's fresh listing). */
  | 'stripe';

/** How the current baseline was obtained. */
type BaselineSource = 'stored' | 'given' | 'read' | 'adopted';

/** The state of one sync, phase to phase. */
interface SyncRun {
  readonly deps: SyncSpaceDeps;
  readonly request: SyncSpaceRequest;
  readonly db: PoolClient;
  readonly log: Logger;
  readonly space: SpaceRecord;
  readonly prices: PriceRecord[];
  readonly version: number;
  readonly attempt: number;
  readonly jobId: string | number | null;
  snapshot: StripeSnapshot | null;
  basis: Basis;
  /** Search Stripe for the space's product when its id is unknown (forced syncs, lost intents). */
  search: boolean;
  /** The caller's listing, usable for the first read while the stored state is unchanged. */
  given: { snapshot: StripeSnapshot | null } | undefined;
  source: BaselineSource;
  /** The next baseline phase reads Stripe again (false right after an adoption read it). */
  readNext: boolean;
  /** Added to the keys of a Stripe-based plan, so a repair is really sent, not replayed. */
  tag: string | null;
  /** The space's deterministic product id is taken (deleted or foreign product): let Stripe choose. */
  generatedProductId: boolean;
  adopted: boolean;
  pass: number;
  /** Log rows not yet written (they go with the next state write). */
  pending: AppLogRow[];
  done: Operation['kind'][];
}

type ApplyOutcome = { kind: 'applied' } | { kind: 'product_id_taken'; error: ProductIdTakenError } | { kind: 'stale_snapshot'; error: unknown };

export async function syncSpace(deps: SyncSpaceDeps, request: SyncSpaceRequest): Promise<SyncSpaceOutcome> {
  const { pool, gateway } = deps;
  const { spaceId } = request;
  const attempt = request.attempt ?? 1;
  const jobId = request.jobId ?? null;
  const log = (deps.log ?? silentLogger).child({ spaceId, jobId });
  const started = performance.now();
  const callsBefore = gateway.stats.calls;
  const calls = () => gateway.stats.calls - callsBefore;

  // lock + load, one round trip
  const { lock, loaded } = await startSync(pool, spaceId, attempt, { timeoutMs: request.lockTimeoutMs });
  let version = 0;
  let lockError: unknown;
  try {
    if (!loaded) {
      log.warn('the space no longer exists: nothing to sync');
      metrics.syncs.inc({ result: 'skipped' });
      return { status: 'missing' };
    }
    if (request.onlyVersion !== undefined && Number(loaded.space.version) !== request.onlyVersion) {
      log.info({ version: loaded.space.version, planned: request.onlyVersion }, 'the space changed since its version was planned: not synced here');
      // Back from `syncing`: the edit's own job syncs it (or did already).
      await lock.client.query(
        `update public.spaces set sync_status = case when synced_version is not distinct from version and last_error is null then 'synced' else 'pending' end
          where id = $1 and sync_status = 'syncing'`,
        [spaceId],
      );
      return { status: 'changed', version: Number(loaded.space.version) };
    }
    const run = startRun(deps, request, lock.client, log, loaded, attempt, jobId);
    version = run.version;
    // resume
    if (loaded.intent) await resumeTransition(run, loaded);
    for (;; run.pass++) {
      await baselinePhase(run);
      const outcome = await applyPhase(run, planPhase(run));
      if (outcome.kind === 'applied') break;
      if (outcome.kind === 'product_id_taken') await adoptTransition(run, outcome.error);
      else staleTransition(run, outcome.error);
    }
    return await finishPhase(run, started, calls);
  } catch (error) {
    const ms = performance.now() - started;
    const description = describeStripeError(error);
    if (isPermanentStripeError(error)) {
      const message = `Stripe refused the sync of version ${version}: ${description}`;
      await failSync(pool, {
        spaceId,
        version,
        message,
        logs: [{ level: 'error', source: 'sync', event: 'sync.failed', spaceId, message, context: { version, attempt, permanent: true }, durationMs: ms, jobId, stripeRequestId: (error as { requestId?: string }).requestId ?? null }],
      });
      metrics.syncs.inc({ result: 'error' });
      log.error({ err: error }, 'sync refused by Stripe (not retried until the next edit or a manual sync)');
      return { status: 'error', version, message, calls: calls() };
    }
    lockError = error;
    const max = request.maxAttempts;
    const retrying = max === undefined || attempt < max;
    const message = `attempt ${attempt}${max ? ` of ${max}` : ''}: ${description}, ${retrying ? 'retrying' : 'giving up (an edit or a manual sync retries)'}`;
    await failSync(pool, {
      spaceId,
      version,
      message,
      logs: [{ level: retrying ? 'warn' : 'error', source: 'sync', event: 'sync.retry', spaceId, message, context: { version, attempt, permanent: false }, durationMs: ms, jobId }],
    }).catch((e: unknown) => log.error({ err: e }, 'could not record the failed sync'));
    metrics.syncs.inc({ result: 'retry' });
    log.warn({ err: error }, 'sync failed, will retry');
    throw new SyncRetryError(message, { cause: error });
  } finally {
    await lock.release(lockError);
  }
}

/** The run's starting state: which baseline the plan needs. */
function startRun(
  deps: SyncSpaceDeps,
  request: SyncSpaceRequest,
  db: PoolClient,
  log: Logger,
  loaded: LoadedSpace,
  attempt: number,
  jobId: string | number | null,
): SyncRun {
  const { space, prices, fingerprint } = loaded;
  // The caller's listing stands for Stripe only while the stored state is the one it listed against.
  const given = request.baseline && request.baseline.fingerprint === fingerprint ? { snapshot: request.baseline.snapshot } : undefined;
  let snapshot: StripeSnapshot | null;
  let unreadable = false;
  try {
    snapshot = parseSnapshot(space.stripe_snapshot);
  } catch (error) {
    log.warn({ err: error }, 'stored snapshot unreadable: planning against Stripe');
    snapshot = null;
    unreadable = true;
  }
  const drift = space.drift !== null && space.drift !== undefined;
  const lost = snapshot === null && space.stripe_product_id !== null;
  const basis: Basis = request.force || given !== undefined || drift || unreadable || lost ? 'stripe' : 'stored';
  return {
    deps,
    request,
    db,
    log,
    space,
    prices,
    version: Number(space.version),
    attempt,
    jobId,
    snapshot,
    basis,
    search: Boolean(request.force),
    given,
    source: 'stored',
    readNext: basis === 'stripe',
    tag: null,
    generatedProductId: false,
    adopted: false,
    pass: 0,
    pending: [],
    done: [],
  };
}

function withJob(run: SyncRun, rows: AppLogRow[]): AppLogRow[] {
  return rows.map((r) => ({ ...r, jobId: run.jobId }));
}

/** Writes the snapshot (and the pending log rows) without a Stripe call in between. */
async function saveBaseline(run: SyncRun): Promise<void> {
  await saveStep(run.db, { spaceId: run.space.id, snapshot: run.snapshot, logs: withJob(run, run.pending), clearIntent: false });
  run.pending = [];
}

function useStripeBasis(run: SyncRun): void {
  run.basis = 'stripe';
  run.tag ??= run.request.discriminator ?? `f${run.jobId ?? crypto.randomUUID().slice(0, 8)}.${run.attempt}`;
}

/** resume: resend the create an interrupted sync left pending. */
async function resumeTransition(run: SyncRun, loaded: LoadedSpace): Promise<void> {
  const replayed = await replayIntent(run.deps, run.db, run.space.id, loaded.intent!, run.snapshot, run.log);
  run.pending.push(...replayed.logs);
  if (replayed.snapshot !== undefined) run.snapshot = replayed.snapshot;
  run.given = undefined; // Stripe changed since the caller listed it
  if (replayed.needLive) {
    run.basis = 'stripe';
    run.readNext = true;
    run.search = true;
  }
}

/** baseline: read Stripe as it is when the plan needs it (the caller's listing on the first pass). */
async function baselinePhase(run: SyncRun): Promise<void> {
  if (run.basis === 'stripe') useStripeBasis(run);
  if (run.basis !== 'stripe' || !run.readNext) {
    run.readNext = run.basis === 'stripe';
    return;
  }
  const spaceId = run.space.id;
  const productId = run.space.stripe_product_id ?? run.snapshot?.productId ?? null;
  const given = run.pass === 0 ? run.given : undefined;
  const fetched = given
    ? { snapshot: given.snapshot, adopted: productId === null && given.snapshot !== null, duplicates: [] as string[], missing: false, records: [] }
    : await fetchLiveSnapshot(run.deps.gateway, { spaceId, productId, rows: run.prices, search: run.search });
  run.source = given ? 'given' : 'read';
  run.pending.push(...readLogs(spaceId, fetched.records, 'stripe.read'));
  if (fetched.adopted) {
    run.pending.push({
      level: 'warn',
      source: 'sync',
      event: 'sync.adopted',
      spaceId,
      message: `adopted Stripe product ${fetched.snapshot?.productId} found through its space_id metadata`,
      context: { product_id: fetched.snapshot?.productId, duplicates: fetched.duplicates },
    });
  }
  if (fetched.missing) {
    run.pending.push({ level: 'warn', source: 'sync', event: 'sync.product_missing', spaceId, message: `product ${productId} no longer exists in Stripe: it is re-created`, context: { product_id: productId } });
  }
  const changed = canonicalJson(fetched.snapshot) !== canonicalJson(run.snapshot) || (fetched.snapshot?.productId ?? null) !== run.space.stripe_product_id;
  run.snapshot = fetched.snapshot;
  if (changed) await saveBaseline(run);
}

/** plan: the fewest operations from the baseline to the desired state. */
function planPhase(run: SyncRun): Operation[] {
  const ops = planSpaceSync(desiredState(run.space, run.prices), run.snapshot, { spaceId: run.space.id, version: run.version });
  run.pending.push({
    level: 'info',
    source: 'sync',
    event: 'sync.planned',
    spaceId: run.space.id,
    message: ops.length === 0 ? `version ${run.version}: Stripe is up to date, nothing to send` : `version ${run.version}: ${ops.length} call(s): ${ops.map((o) => o.kind).join(', ')}`,
    context: { version: run.version, attempt: run.attempt, live: run.basis === 'stripe', operations: ops.map((o) => o.kind) },
  });
  return ops;
}

/** apply: each operation to Stripe, its result stored at once; a create is recorded before it is sent. */
async function applyPhase(run: SyncRun, ops: Operation[]): Promise<ApplyOutcome> {
  const spaceId = run.space.id;
  const ctx = { spaceId, version: run.version, discriminator: run.basis === 'stripe' ? run.tag : null };
  try {
    for (const planned of ops) {
      const op = run.generatedProductId ? withoutProductId(planned) : planned;
      const prepared = prepareOperation(op, run.snapshot, ctx);
      const isCreate = CREATE_KINDS.has(op.kind);
      if (isCreate) await saveIntent(run.db, { spaceId, op, call: prepared.call, idempotencyKey: prepared.idempotencyKey, version: run.version });
      let res: OperationResult;
      try {
        res = await sendCall(run.deps.gateway, prepared);
      } catch (error) {
        if (isCreate && isPermanentStripeError(error)) await clearIntent(run.db, spaceId);
        const params = prepared.call.params as { id?: unknown };
        if (op.kind === 'create_product' && typeof params.id === 'string' && isResourceAlreadyExists(error)) {
          throw new ProductIdTakenError(params.id, error);
        }
        throw error;
      }
      run.snapshot = applyResult(run.snapshot, op, res.object);
      const rowId = 'rowId' in op ? op.rowId : null;
      run.pending.push(stepLog(spaceId, { kind: op.kind, rowId }, res, { version: run.version, attempt: run.attempt }));
      await saveStep(run.db, { spaceId, snapshot: run.snapshot, logs: withJob(run, run.pending), clearIntent: isCreate });
      run.pending = [];
      run.done.push(op.kind);
      run.log.debug({ operation: op.kind, id: res.object.id, requestId: res.record.requestId }, 'Stripe call applied');
    }
    return { kind: 'applied' };
  } catch (error) {
    if (error instanceof ProductIdTakenError) return { kind: 'product_id_taken', error };
    if (isResourceMissing(error)) return { kind: 'stale_snapshot', error };
    throw error;
  }
}

/** adopt: the space's product id is taken; adopt the product it names, or let Stripe pick an id. */
async function adoptTransition(run: SyncRun, error: ProductIdTakenError): Promise<void> {
  if (run.adopted) throw error.cause; // taken again right after adopting or falling back: report Stripe's error
  run.adopted = true;
  const spaceId = run.space.id;
  const found = await productAtId(run.deps.gateway, { spaceId, productId: error.productId, rows: run.prices });
  run.pending.push(...readLogs(spaceId, found.records, 'stripe.read'));
  if (found.snapshot !== null) {
    run.snapshot = found.snapshot;
    run.pending.push({ level: 'warn', source: 'sync', event: 'sync.adopted', spaceId, message: `adopted Stripe product ${error.productId}: it already exists for this space, whose product id was not stored (a restored database?)`, context: { product_id: error.productId, by: 'product_id' } });
    await saveBaseline(run);
    useStripeBasis(run);
    run.source = 'adopted';
    run.readNext = false; // just read
    return;
  }
  run.generatedProductId = true;
  run.log.warn({ productId: error.productId, reason: found.reason }, 'the space product id is taken: creating the product with a generated id');
  run.pending.push({ level: 'warn', source: 'sync', event: 'sync.product_id_taken', spaceId, message: `product id ${error.productId} is taken by ${found.reason === 'deleted' ? 'a deleted product' : 'another space\'s product'}: the product is created with an id Stripe generates`, context: { product_id: error.productId, reason: found.reason } });
  run.readNext = run.basis === 'stripe';
}

/** stale: the baseline named an object Stripe no longer has; plan again against Stripe, once. */
function staleTransition(run: SyncRun, error: unknown): void {
  const justRead = run.source === 'read' || run.source === 'adopted';
  if (run.pass > 0 || justRead) throw error;
  run.log.warn({ err: error }, 'a Stripe object of the snapshot is gone: planning against Stripe');
  run.pending.push({ level: 'warn', source: 'sync', event: 'sync.snapshot_stale', spaceId: run.space.id, message: `${describeStripeError(error)}: planning again against Stripe`, context: {} });
  useStripeBasis(run);
  run.readNext = true;
}

/** finish: `synced` if the version synced is still the space's. */
async function finishPhase(run: SyncRun, started: number, calls: () => number): Promise<SyncSpaceOutcome> {
  const ms = performance.now() - started;
  const live = run.basis === 'stripe';
  run.pending.push({
    source: 'sync',
    event: 'sync.finished',
    spaceId: run.space.id,
    message: `version ${run.version} synced: ${run.done.length} change(s) sent, ${calls()} Stripe request(s)`,
    context: { version: run.version, attempt: run.attempt, live, operations: run.done, calls: calls() },
    durationMs: ms,
  });
  const { current } = await finishSync(run.db, { spaceId: run.space.id, version: run.version, clearDrift: live, logs: withJob(run, run.pending) });
  metrics.syncs.inc({ result: current ? 'synced' : 'superseded' });
  metrics.syncDuration.observe(ms / 1000);
  run.log.info({ version: run.version, operations: run.done, ms: Math.round(ms) }, current ? 'space synced' : 'space synced (a newer edit is queued)');
  return { status: current ? 'synced' : 'superseded', version: run.version, productId: run.snapshot?.productId ?? null, operations: run.done, calls: calls(), live };
}
