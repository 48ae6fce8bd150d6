// The application_logs rows a sync writes for its Stripe requests: one per applied operation (with
// its idempotency key, replay and request id), and debug rows for the reads.
import type { Operation } from '../catalog/index.ts';
import type { OperationResult } from '../stripe/executeOperation.ts';
import type { StripeCallRecord } from '../stripe/stripeGateway.ts';
import type { AppLogRow } from './appLog.ts';

export function stepLog(
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

export function readLogs(spaceId: string, records: readonly StripeCallRecord[], event: string): AppLogRow[] {
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

