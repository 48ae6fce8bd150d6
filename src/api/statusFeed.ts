// The wake-up signal of the live stream. Postgres' `spacesync_status` channel says only "the change
// log has new rows" (its payload is a change id, never trusted); each stream then reads the change
// log itself (src/api/changeReader.ts). The Node side holds one LISTEN connection per process
// (src/node/pgStatusFeed.ts); a runtime without LISTEN uses the memory feed and the stream's polling.

export interface StatusFeed {
  /** Calls `listener` whenever the change log may have grown, until the returned function is called. */
  subscribe(listener: () => void): () => void;
  /** Resolves when the feed closes (the process is stopping): every stream then ends. */
  readonly closed: Promise<void>;
}

/** A feed woken by `publish` (tests, or a runtime without LISTEN). */
export function createMemoryStatusFeed(): StatusFeed & { publish(): void; subscribers(): number; close(): void } {
  const listeners = new Set<() => void>();
  let markClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish() {
      for (const l of listeners) l();
    },
    subscribers: () => listeners.size,
    closed,
    close() {
      listeners.clear();
      markClosed();
    },
  };
}
