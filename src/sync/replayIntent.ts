// The "resume" transition of a sync: a create that an interrupted sync recorded (write-ahead, in
// space_sync_intents) but whose answer was never stored is resent as it was, with its idempotency
// key, so Stripe replays it and the object is adopted, never duplicated. Too old to be safely
// resent (Stripe keeps keys at least 24 h), or refused now: forgotten, and the sync plans against
// what Stripe has.
import { applyResult, type StripeSnapshot } from '../catalog/index.ts';
import type { Logger } from '../log.ts';
import { sendCall } from '../stripe/executeOperation.ts';
import { describeStripeError, isPermanentStripeError } from '../stripe/stripeErrors.ts';
import type { StripeGateway } from '../stripe/stripeGateway.ts';
import type { AppLogRow, Queryable } from './appLog.ts';
import type { SyncIntent } from './loadSpace.ts';
import { clearIntent, saveStep } from './saveSyncState.ts';
import { stepLog } from './syncLogs.ts';

/** Pending creates older than this are not resent (Stripe keeps idempotency keys at least 24 h). */
export const INTENT_REPLAY_MAX_AGE_S = 23 * 3600;

/** Resends a pending create (or gives it up when too old to be safely resent). */
export async function replayIntent(
  deps: { gateway: StripeGateway },
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
