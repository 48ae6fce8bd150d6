/**
 * Idempotency-key material for an operation: a stable hash of its canonical JSON (no node:crypto,
 * so it runs anywhere). The gateway builds `spacesync:<spaceId>:v<version>:<operation>[:<rowId>]:<hash>`
 * (idempotencyKey does exactly that).
 */
import { operationRowId, type Operation, type OperationKind } from './operations.ts';
import { resolveOperation } from './resolveOperation.ts';
import type { StripeSnapshot } from './snapshot.ts';

export interface IdempotencySeed {
  operation: OperationKind;
  rowId?: string;
  paramsHash: string;
}

/** JSON with object keys sorted and undefined members dropped: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    if (record[key] === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  }
  return `{${parts.join(',')}}`;
}

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = 0xffffffffffffffffn;

/** FNV-1a 64-bit over the UTF-8 bytes, as 16 hex digits. */
export function fnv1a64(text: string): string {
  let hash = FNV64_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * FNV64_PRIME) & MASK64;
  }
  return hash.toString(16).padStart(16, '0');
}

function hasRef(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if ('ref' in value && typeof (value as { ref: unknown }).ref === 'string') return true;
  return Object.values(value).some(hasRef);
}

/**
 * The key material of an operation. The hash covers the SDK call exactly as it is sent, refs resolved
 * against `snapshot` (the executor's current one): a retry after a crash re-plans with literal ids
 * where the first attempt had refs, and must still send the same key, or a price would be created twice.
 * Without a snapshot, an operation holding a ref throws.
 */
export function idempotencySeed(op: Operation, snapshot?: StripeSnapshot | null): IdempotencySeed {
  if (snapshot === undefined && hasRef(op)) {
    throw new Error(`idempotencySeed: ${op.kind} refers to an id created earlier in the plan: pass the current snapshot`);
  }
  const call = resolveOperation(op, snapshot ?? null);
  const rowId = operationRowId(op);
  return { operation: op.kind, ...(rowId !== null ? { rowId } : {}), paramsHash: fnv1a64(canonicalJson(call)) };
}

export function idempotencyKey(seed: IdempotencySeed, ctx: { spaceId: string; version: number }): string {
  const row = seed.rowId !== undefined ? `:${seed.rowId}` : '';
  return `spacesync:${ctx.spaceId}:v${ctx.version}:${seed.operation}${row}:${seed.paramsHash}`;
}
