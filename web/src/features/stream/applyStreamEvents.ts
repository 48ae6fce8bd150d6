// Stream events → the TanStack Query cache, in place. `space` events are batched (a bulk update can
// send thousands per second): each flush patches every cached list once, replacing only the rows that
// changed, so memoised rows that did not change do not re-render.
import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { SseEvent } from '../../lib/sse.ts';
import { catalogRunKey } from '../catalog/api/getCatalogRun.ts';
import { FINISHED_RUN_STATUSES, type CatalogRun, type CatalogRunEvent } from '../catalog/types.ts';
import { spaceKeys } from '../spaces/api/queryKeys.ts';
import type { Space, SpacePage, SpaceStatusEvent } from '../spaces/types.ts';
import { patchSpace } from './patchSpace.ts';
import { recordSpaceEvent } from './syncWatch.ts';

export interface LogEvent {
  id: number;
  level: string;
  source: string;
  event: string;
  space_id: string | null;
  message: string;
  created_at: string;
}

type Listener<T> = (event: T) => void;
const logListeners = new Set<Listener<LogEvent>>();
const spaceListeners = new Set<Listener<SpaceStatusEvent[]>>();

/** Subscribes to `log` events (the logs page refreshes on them). */
export function onLogEvent(listener: Listener<LogEvent>): () => void {
  logListeners.add(listener);
  return () => logListeners.delete(listener);
}

/** Subscribes to flushed batches of `space` events (after the cache was patched). */
export function onSpaceEvents(listener: Listener<SpaceStatusEvent[]>): () => void {
  spaceListeners.add(listener);
  return () => spaceListeners.delete(listener);
}

function parse<T>(event: SseEvent): T | null {
  try {
    return JSON.parse(event.data) as T;
  } catch {
    return null; // a malformed event is skipped, the stream goes on
  }
}

export function createStreamEventHandler(queryClient: QueryClient) {
  let pending = new Map<string, SpaceStatusEvent>();
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const batch = pending;
    pending = new Map();
    if (batch.size === 0) return;
    queryClient.setQueriesData<InfiniteData<SpacePage>>({ queryKey: spaceKeys.lists() }, (old) => {
      if (!old) return old;
      let changed = false;
      const pages = old.pages.map((page) => {
        let pageChanged = false;
        const data = page.data.map((space) => {
          const e = batch.get(space.id);
          if (!e) return space;
          const next = patchSpace(space, e);
          if (next !== space) pageChanged = true;
          return next;
        });
        if (!pageChanged) return page;
        changed = true;
        return { ...page, data };
      });
      return changed ? { ...old, pages } : old;
    });
    for (const e of batch.values()) {
      const key = spaceKeys.detail(e.id);
      const detail = queryClient.getQueryData<Space>(key);
      if (!detail) continue;
      queryClient.setQueryData<Space>(key, patchSpace(detail, e));
      // Drift details, Stripe price ids and last_error's full text come with the whole row.
      if (e.sync_status !== 'syncing' && e.sync_status !== 'pending') void queryClient.invalidateQueries({ queryKey: key });
    }
    const events = [...batch.values()];
    for (const l of spaceListeners) l(events);
  };

  return (event: SseEvent) => {
    switch (event.event) {
      case 'space': {
        const e = parse<SpaceStatusEvent>(event);
        if (!e?.id) return;
        recordSpaceEvent(e);
        pending.set(e.id, e);
        if (!scheduled) {
          scheduled = true;
          setTimeout(flush, 16);
        }
        return;
      }
      case 'catalog_run': {
        const e = parse<CatalogRunEvent>(event);
        if (!e?.id) return;
        const key = catalogRunKey(e.id);
        queryClient.setQueryData<CatalogRun>(key, (old) => (old ? { ...old, ...e } : old));
        if (FINISHED_RUN_STATUSES.includes(e.status)) void queryClient.invalidateQueries({ queryKey: key });
        return;
      }
      case 'log': {
        const e = parse<LogEvent>(event);
        if (!e) return;
        for (const l of logListeners) l(e);
        return;
      }
      default:
        return;
    }
  };
}
