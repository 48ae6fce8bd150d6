// Sync one space with Stripe: the engine of the `sync_space` task and of `spacesync sync <id>`.
//
//   lock the space (advisory lock, dedicated connection) → load it, mark it `syncing`
//   → resend a create an interrupted sync left pending (write-ahead record, same idempotency key)
//   → baseline: the stored snapshot, or the live Stripe objects (forced sync, drift, lost snapshot)
//   → plan (src/catalog) → for each operation: [record a create] → call Stripe → store the ids and
//     the new snapshot at once, in its own statement → `synced` if the version is still the one synced.
// Products are created with the space's deterministic id (productIdFor): when Stripe answers
// `resource_already_exists`, the space's product exists but its id was lost here (a restored
// database): it is retrieved, adopted, and the plan is made again against it (adoptProduct.ts).
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
  type StripeSnapshot,
} from '../catalog/index.ts';
import type { Pool } from '../db/pool.ts';
import { silentLogger, type Logger } from '../log.ts';
import { metrics } from '../metrics.ts';
import { prepareOperation, sendCall, type OperationResult } from '../stripe/executeOperation.ts';
import { describeStripeError, isPermanentStripeError, isResourceAlreadyExists, isResourceMissing } from '../stripe/stripeErrors.ts';
import type { StripeCallRecord, StripeGateway } from '../stripe/stripeGateway.ts';
import { productAtId, ProductIdTakenError, withoutProductId } from './adoptProduct.ts';
import type { AppLogRow, Queryable } from './appLog.ts';
import { fetchLiveSnapshot } from './fetchLiveSnapshot.ts';
import { loadSpace, type SyncIntent } from './loadSpace.ts';
import { clearIntent, failSync, finishSync, saveIntent, saveStep } from './saveSyncState.ts';
import { lockSpace } from './spaceLock.ts';

/** Pending creates older than this are not resent (Stripe keeps idempotency keys at least 24 h). */
export const INTENT_REPLAY_MAX_AGE_S = 23 * 3600;

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
  | { status: 'missing' };

/** A transient failure: graphile-worker retries the job with backoff. */
export class SyncRetryError extends Error {
  override name = 'SyncRetryError';
}

const CREATE_KINDS: ReadonlySet<Operation['kind']> = new Set(['create_product', 'create_price']);

function stepLog(
  spaceId: string,
  op: Pick<Operation, 'kind'> & { rowId?: string | null },
  res: OperationResult,
  extra: Record<string, unknown>,
): AppLogRow {
  const id = res.object.id;
  const replayed = res.record.replayed ? ' (replayed by Stripe: already applied)' : '';
  return {
    source: 'sync',
    event: `stripe.${op.kind}`,
    spaceId,
    message: `${op.kind} ${id}${replayed}`,
    context: {
      operation: op.kind,
      row_id: op.rowId ?? null,
      object_id: id,
      endpoint: res.record.endpoint,
      status: res.record.status,
      idempotency_key: res.idempotencyKey,
      replayed: res.record.replayed,
      rate_limited: res.record.rateLimited,
      ...extra,
    },
    durationMs: res.record.durationMs,
    stripeRequestId: res.record.requestId,
  };
}

function readLogs(spaceId: string, records: readonly StripeCallRecord[], event: string): AppLogRow[] {
  return records.map((r) => ({
    level: 'debug' as const,
    source: 'sync',
    event,
    spaceId,
    message: `${r.endpoint}${r.objectId ? ` ${r.objectId}` : ''} → ${r.status ?? 'no answer'}`,
    context: { endpoint: r.endpoint, status: r.status, object_id: r.objectId, rate_limited: r.rateLimited },
    durationMs: r.durationMs,
    stripeRequestId: r.requestId,
  }));
}

export async function syncSpace(deps: SyncSpaceDeps, request: SyncSpaceRequest): Promise<SyncSpaceOutcome> {
  const { pool, gateway } = deps;
  const { spaceId } = request;
  const attempt = request.attempt ?? 1;
  const jobId = request.jobId ?? null;
  const log = (deps.log ?? silentLogger).child({ spaceId, jobId });
  const started = performance.now();
  const callsBefore = gateway.stats.calls;
  const calls = () => gateway.stats.calls - callsBefore;

  const lock = await lockSpace(pool, spaceId, { timeoutMs: request.lockTimeoutMs });
  const db = lock.client;
  let version = 0;
  let lockError: unknown;
  try {
    const loaded = await loadSpace(db, spaceId, attempt);
    if (!loaded) {
      log.warn('the space no longer exists: nothing to sync');
      metrics.syncs.inc({ result: 'skipped' });
      return { status: 'missing' };
    }
    const { space, prices, intent, fingerprint } = loaded;
    version = Number(space.version);
    const ctx = { spaceId, version };
    const withJob = (rows: AppLogRow[]) => rows.map((r) => ({ ...r, jobId }));
    let pending: AppLogRow[] = [];

    let snapshot: StripeSnapshot | null;
    let baseline = request.baseline && request.baseline.fingerprint === fingerprint ? request.baseline : undefined;
    let live = Boolean(request.force) || baseline !== undefined || (space.drift !== null && space.drift !== undefined);
    let search = Boolean(request.force);
    try {
      snapshot = parseSnapshot(space.stripe_snapshot);
    } catch (error) {
      log.warn({ err: error }, 'stored snapshot unreadable: planning against Stripe');
      snapshot = null;
      live = true;
    }
    if (snapshot === null && space.stripe_product_id !== null) live = true;

    // 1. A create left pending by an interrupted sync: resend it as it was, with its key.
    if (intent) {
      const replayed = await replayIntent(deps, db, spaceId, intent, snapshot, log);
      pending.push(...replayed.logs);
      if (replayed.snapshot !== undefined) snapshot = replayed.snapshot;
      baseline = undefined; // Stripe changed since the caller listed it
      if (replayed.needLive) {
        live = true;
        search = true;
      }
    }

    const discriminator = () => request.discriminator ?? `f${jobId ?? crypto.randomUUID().slice(0, 8)}.${attempt}`;
    let liveTag: string | null = null;
    let fetchedNow = false; // the plan's baseline was read from Stripe in this very sync
    let skipFetch = false; // the baseline was just read (an adopted product)
    let adoptTried = false;
    let customIdUsable = true; // false: the space's product id is taken by a deleted or foreign product
    const done: Operation['kind'][] = [];

    for (let pass = 0; ; pass++) {
      // 2. Baseline.
      if (live && !skipFetch) {
        liveTag ??= discriminator();
        const productId = space.stripe_product_id ?? snapshot?.productId ?? null;
        const given = pass === 0 ? baseline : undefined;
        const fetched = given
          ? { snapshot: given.snapshot, adopted: productId === null && given.snapshot !== null, duplicates: [], missing: false, records: [] }
          : await fetchLiveSnapshot(gateway, { spaceId, productId, rows: prices, search });
        fetchedNow = given === undefined;
        pending.push(...readLogs(spaceId, fetched.records, 'stripe.read'));
        if (fetched.adopted) {
          pending.push({
            level: 'warn',
            source: 'sync',
            event: 'sync.adopted',
            spaceId,
            message: `adopted Stripe product ${fetched.snapshot?.productId} found through its space_id metadata`,
            context: { product_id: fetched.snapshot?.productId, duplicates: fetched.duplicates },
          });
        }
        if (fetched.missing) {
          pending.push({ level: 'warn', source: 'sync', event: 'sync.product_missing', spaceId, message: `product ${productId} no longer exists in Stripe: it is re-created`, context: { product_id: productId } });
        }
        const changed = canonicalJson(fetched.snapshot) !== canonicalJson(snapshot) || (fetched.snapshot?.productId ?? null) !== space.stripe_product_id;
        snapshot = fetched.snapshot;
        if (changed) {
          await saveStep(db, { spaceId, snapshot, logs: withJob(pending), clearIntent: false });
          pending = [];
        }
      }
      skipFetch = false;

      // 3. Plan and send.
      const desired = desiredState(space, prices);
      const ops = planSpaceSync(desired, snapshot, ctx);
      pending.push({
        level: 'info',
        source: 'sync',
        event: 'sync.planned',
        spaceId,
        message: ops.length === 0 ? `version ${version}: Stripe is up to date, nothing to send` : `version ${version}: ${ops.length} call(s): ${ops.map((o) => o.kind).join(', ')}`,
        context: { version, attempt, live, operations: ops.map((o) => o.kind) },
      });
      try {
        for (const planned of ops) {
          const op = customIdUsable ? planned : withoutProductId(planned);
          const prepared = prepareOperation(op, snapshot, { ...ctx, discriminator: live ? liveTag : null });
          const isCreate = CREATE_KINDS.has(op.kind);
          if (isCreate) {
            await saveIntent(db, { spaceId, op, call: prepared.call, idempotencyKey: prepared.idempotencyKey, version });
          }
          let res: OperationResult;
          try {
            res = await sendCall(gateway, prepared);
          } catch (error) {
            if (isCreate && isPermanentStripeError(error)) await clearIntent(db, spaceId);
            const params = prepared.call.params as { id?: unknown };
            if (op.kind === 'create_product' && typeof params.id === 'string' && isResourceAlreadyExists(error)) {
              throw new ProductIdTakenError(params.id, error);
            }
            throw error;
          }
          snapshot = applyResult(snapshot, op, res.object);
          const rowId = 'rowId' in op ? op.rowId : null;
          pending.push(stepLog(spaceId, { kind: op.kind, rowId }, res, { version, attempt }));
          await saveStep(db, { spaceId, snapshot, logs: withJob(pending), clearIntent: isCreate });
          pending = [];
          done.push(op.kind);
          log.debug({ operation: op.kind, id: res.object.id, requestId: res.record.requestId }, 'Stripe call applied');
        }
        break;
      } catch (error) {
        // The space's product already exists (its id was lost here): adopt it and plan against it.
        if (error instanceof ProductIdTakenError) {
          if (adoptTried) throw error.cause; // taken again right after adopting or falling back: report Stripe's error
          adoptTried = true;
          skipFetch = true;
          const found = await productAtId(gateway, { spaceId, productId: error.productId, rows: prices });
          pending.push(...readLogs(spaceId, found.records, 'stripe.read'));
          if (found.snapshot !== null) {
            snapshot = found.snapshot;
            pending.push({ level: 'warn', source: 'sync', event: 'sync.adopted', spaceId, message: `adopted Stripe product ${error.productId}: it already exists for this space, whose product id was not stored (a restored database?)`, context: { product_id: error.productId, by: 'product_id' } });
            await saveStep(db, { spaceId, snapshot, logs: withJob(pending), clearIntent: false });
            pending = [];
            live = true;
            liveTag ??= discriminator();
            fetchedNow = true;
          } else {
            customIdUsable = false;
            log.warn({ productId: error.productId, reason: found.reason }, 'the space product id is taken: creating the product with a generated id');
            pending.push({ level: 'warn', source: 'sync', event: 'sync.product_id_taken', spaceId, message: `product id ${error.productId} is taken by ${found.reason === 'deleted' ? 'a deleted product' : 'another space\'s product'}: the product is created with an id Stripe generates`, context: { product_id: error.productId, reason: found.reason } });
          }
          continue;
        }
        // The stored snapshot names an object Stripe no longer has: plan again against Stripe, once.
        if (pass === 0 && !fetchedNow && isResourceMissing(error)) {
          log.warn({ err: error }, 'a Stripe object of the snapshot is gone: planning against Stripe');
          pending.push({ level: 'warn', source: 'sync', event: 'sync.snapshot_stale', spaceId, message: `${describeStripeError(error)}: planning again against Stripe`, context: {} });
          live = true;
          continue;
        }
        throw error;
      }
    }

    const ms = performance.now() - started;
    pending.push({
      source: 'sync',
      event: 'sync.finished',
      spaceId,
      message: `version ${version} synced: ${done.length} change(s) sent, ${calls()} Stripe request(s)`,
      context: { version, attempt, live, operations: done, calls: calls() },
      durationMs: ms,
    });
    const { current } = await finishSync(db, { spaceId, version, clearDrift: live, logs: withJob(pending) });
    metrics.syncs.inc({ result: current ? 'synced' : 'superseded' });
    metrics.syncDuration.observe(ms / 1000);
    log.info({ version, operations: done, ms: Math.round(ms) }, current ? 'space synced' : 'space synced (a newer edit is queued)');
    return { status: current ? 'synced' : 'superseded', version, productId: snapshot?.productId ?? null, operations: done, calls: calls(), live };
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

/** Resends a pending create (or gives it up when too old to be safely resent). */
async function replayIntent(
  deps: SyncSpaceDeps,
  db: Queryable,
  spaceId: string,
  intent: SyncIntent,
  snapshot: StripeSnapshot | null,
  log: Logger,
): Promise<{ snapshot?: StripeSnapshot | null; needLive: boolean; logs: AppLogRow[] }> {
  if (intent.age_s >= INTENT_REPLAY_MAX_AGE_S) {
    await clearIntent(db, spaceId);
    const message = `a ${intent.operation} sent ${Math.round(intent.age_s / 3600)} h ago never got its answer stored; its idempotency key may have expired: looking for the object in Stripe`;
    return { needLive: true, logs: [{ level: 'warn', source: 'sync', event: 'sync.intent_expired', spaceId, message, context: { idempotency_key: intent.idempotency_key } }] };
  }
  if (intent.op.kind === 'create_price' && snapshot === null) {
    await clearIntent(db, spaceId);
    return { needLive: true, logs: [] };
  }
  try {
    const res = await sendCall(deps.gateway, { call: intent.call, idempotencyKey: intent.idempotency_key });
    const next = applyResult(snapshot, intent.op, res.object);
    const rowId = 'rowId' in intent.op ? intent.op.rowId : null;
    const row = stepLog(spaceId, { kind: intent.op.kind, rowId }, res, { version: intent.version, resumed: true });
    row.message = `resumed an interrupted ${row.message}`;
    await saveStep(db, { spaceId, snapshot: next, logs: [row], clearIntent: true });
    return { snapshot: next, needLive: false, logs: [] };
  } catch (error) {
    if (!isPermanentStripeError(error)) throw error;
    // Stripe refuses it now (its product is gone…): forget it and plan against what Stripe has.
    await clearIntent(db, spaceId);
    log.warn({ err: error }, 'pending create refused on resend: planning against Stripe');
    return {
      needLive: true,
      logs: [{ level: 'warn', source: 'sync', event: 'sync.intent_refused', spaceId, message: `resending an interrupted ${intent.operation} failed: ${describeStripeError(error)}`, context: { idempotency_key: intent.idempotency_key } }],
    };
  }
}
