// The live status feed the SSE stream reads: messages from Postgres' `spacesync_status` channel.
// The Node side holds one LISTEN connection per process (src/node/pgStatusFeed.ts) and fans out.

export interface StatusMessage {
  type: 'space' | 'catalog_run' | 'log';
  data: Record<string, unknown>;
}

export interface StatusFeed {
  /** Calls `listener` for every message until the returned function is called. */
  subscribe(listener: (message: StatusMessage) => void): () => void;
}

/** A feed fed by `publish` (tests, or a runtime without LISTEN). */
export function createMemoryStatusFeed(): StatusFeed & { publish(message: StatusMessage): void; subscribers(): number } {
  const listeners = new Set<(message: StatusMessage) => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish(message) {
      for (const l of listeners) l(message);
    },
    subscribers: () => listeners.size,
  };
}

/** Parses a NOTIFY payload; undefined when it is not one of ours. */
export function parseStatusPayload(payload: string | undefined): StatusMessage | undefined {
  if (!payload) return undefined;
  try {
    const value: unknown = JSON.parse(payload);
    if (typeof value !== 'object' || value === null) return undefined;
    const { type, data } = value as { type?: unknown; data?: unknown };
    if ((type === 'space' || type === 'catalog_run' || type === 'log') && typeof data === 'object' && data !== null) {
      return { type, data: data as Record<string, unknown> };
    }
  } catch {
    // Not JSON: a NOTIFY someone else sent on our channel; ignored.
  }
  return undefined;
}
