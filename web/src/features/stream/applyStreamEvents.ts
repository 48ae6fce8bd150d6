// Stream events → the TanStack Query cache, in place. `space` events carry the whole row as it is
// now (or `removed`): they are batched (a bulk insert sends thousands per second), and each flush
// patches every cached list once: rows replaced, new spaces inserted where the list's sort puts them,
// deleted ones taken out. Memoised rows that did not change keep their object and do not re-render.
import type { InfiniteData, QueryClient, QueryKey } from '@tanstack/react-query';
import type { SseEvent } from '../../lib/sse.ts';
import { catalogRunKey } from '../catalog/api/getCatalogRun.ts';
import { runOutcomesKey } from '../catalog/api/getRunOutcomes.ts';
import { FINISHED_RUN_STATUSES, type CatalogRun, type CatalogRunEvent } from '../catalog/types.ts';
import { spaceKeys } from '../spaces/api/queryKeys.ts';
import type { DriftEvent, Space, SpaceListParams, SpacePage, SpaceStreamEvent } from '../spaces/types.ts';
import { placeSpaces } from './placeSpace.ts';
import { recordSpaceEvent } from './syncWatch.ts';

export interface LogEvent {
  id: number;
  level: string;
  source: string;
  event: string;
  space_id: string | null;
  space_name?: string | null;
  message: string;
  created_at: string;
}

type Listener<T> = (event: T) => void;
const logListeners = new Set<Listener<LogEvent>>();
const spaceListeners = new Set<Listener<Space[]>>();
const driftListeners = new Set<Listener<DriftEvent>>();

/** Subscribes to `log` events (the logs page refreshes on them). */
export function onLogEvent(listener: Listener<LogEvent>): () => void {
  logListeners.add(listener);
  return () => logListeners.delete(listener);
}

/** Subscribes to flushed batches of changed spaces (after the cache was patched). */
export function onSpaceEvents(listener: Listener<Space[]>): () => void {
  spaceListeners.add(listener);
  return () => spaceListeners.delete(listener);
}

/** Subscribes to drifts as they are detected (the toast, whatever the policy). */
export function onDriftEvent(listener: Listener<DriftEvent>): () => void {
  driftListeners.add(listener);
  return () => driftListeners.delete(listener);
}

function parse<T>(event: SseEvent): T | null {
  try {
    return JSON.parse(event.data) as T;
  } catch {
    return null; // a malformed event is skipped, the stream goes on
  }
}

function listParams(key: QueryKey): SpaceListParams {
  return (key[2] ?? {}) as SpaceListParams;
}

export function createStreamEventHandler(queryClient: QueryClient) {
  let pending = new Map<string, Space | null>();
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const batch = pending;
    pending = new Map();
    if (batch.size === 0) return;
    for (const [key, data] of queryClient.getQueriesData<InfiniteData<SpacePage>>({ queryKey: spaceKeys.lists() })) {
      if (!data) continue;
      const params = listParams(key);
      const last = data.pages.at(-1);
      const loaded = data.pages.reduce((n, p) => n + p.data.length, 0);
      const hasMore = last ? loaded < last.total : false;
      const pages = placeSpaces(data.pages, params, batch, hasMore);
      if (pages !== data.pages) queryClient.setQueryData<InfiniteData<SpacePage>>(key, { ...data, pages });
    }
    for (const [id, space] of batch) {
      const key = spaceKeys.detail(id);
      if (!queryClient.getQueryData<Space>(key)) continue;
      if (space) queryClient.setQueryData<Space>(key, space);
      else void queryClient.invalidateQueries({ queryKey: key });
    }
    const spaces = [...batch.values()].filter((s): s is Space => s !== null);
    for (const l of spaceListeners) l(spaces);
  };

  return (event: SseEvent) => {
    switch (event.event) {
      case 'space': {
        const e = parse<SpaceStreamEvent>(event);
        if (!e?.id) return;
        if (e.removed) pending.set(e.id, null);
        else {
          recordSpaceEvent(e);
          pending.set(e.id, e);
        }
        if (!scheduled) {
          scheduled = true;
          setTimeout(flush, 16);
        }
        return;
      }
      case 'drift': {
        const e = parse<DriftEvent>(event);
        if (!e?.space_id) return;
        void queryClient.invalidateQueries({ queryKey: ['spaces', 'drift-events', e.space_id] });
        for (const l of driftListeners) l(e);
        return;
      }
      case 'catalog_run': {
        const e = parse<CatalogRunEvent>(event);
        if (!e?.id) return;
        const key = catalogRunKey(e.id);
        const before = queryClient.getQueryData<CatalogRun>(key);
        queryClient.setQueryData<CatalogRun>(key, (old) => (old ? { ...old, ...e } : old));
        // The event carries the counts. The run itself (its plan) is read again when it moved on, with
        // its outcomes; when only entries went through, just the outcomes written since the last read
        // (a fetch already under way is kept).
        if (!before || before.status !== e.status || FINISHED_RUN_STATUSES.includes(e.status)) {
          void queryClient.invalidateQueries({ queryKey: key }, { cancelRefetch: false });
        } else if (before.done !== e.done || before.failed !== e.failed || (before.stale ?? 0) !== (e.stale ?? 0)) {
          void queryClient.invalidateQueries({ queryKey: runOutcomesKey(e.id) }, { cancelRefetch: false });
        }
        return;
      }
      case 'log': {
        const e = parse<LogEvent>(event);
        if (!e) return;
        for (const l of logListeners) l(e);
        return;
      }
      case 'resync':
        // The server no longer holds what we missed: reload everything the stream keeps fresh.
        void queryClient.invalidateQueries({ queryKey: spaceKeys.all });
        void queryClient.invalidateQueries({ queryKey: ['catalog'] });
        return;
      default:
        return;
    }
  };
}
