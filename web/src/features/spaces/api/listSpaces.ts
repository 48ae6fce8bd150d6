// GET /api/spaces: a first page just large enough to fill the screen (fast first rows), then pages
// of 500 (the API's maximum) loaded as the table scrolls.
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api.ts';
import type { SpaceListParams, SpacePage } from '../types.ts';
import { spaceKeys } from './queryKeys.ts';
import { isNewerThan } from '../../stream/patchSpace.ts';
import { latestEventSince } from '../../stream/syncWatch.ts';

/**
 * A status event that arrived while the page was being fetched may be newer than the rows it returns
 * (a sync that finished right after the save): such rows take the event's state.
 */
async function fetchPage(params: SpaceListParams, offset: number, signal: AbortSignal): Promise<SpacePage> {
  const started = performance.now();
  const page = await listSpaces({ ...params, offset, limit: offset === 0 ? SPACES_FIRST_PAGE_SIZE : SPACES_PAGE_SIZE }, signal);
  const data = page.data.map((space) => {
    const e = latestEventSince(space.id, started);
    return e && isNewerThan(e, space) ? { ...space, ...e } : space;
  });
  return { ...page, data };
}

export const SPACES_PAGE_SIZE = 500;
export const SPACES_FIRST_PAGE_SIZE = 100;

export function listSpaces(params: SpaceListParams & { limit?: number; offset?: number }, signal?: AbortSignal): Promise<SpacePage> {
  return apiRequest<SpacePage>('/spaces', {
    query: { q: params.q?.trim(), status: params.status, sort: params.sort || undefined, order: params.order || undefined, limit: params.limit ?? SPACES_PAGE_SIZE, offset: params.offset ?? 0 },
    signal,
  });
}

export function listSpacesOptions(params: SpaceListParams) {
  return infiniteQueryOptions({
    queryKey: spaceKeys.list(params),
    queryFn: ({ pageParam, signal }) => fetchPage(params, pageParam, signal),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((n, p) => n + p.data.length, 0);
      return last.data.length > 0 && loaded < last.total ? loaded : undefined;
    },
  });
}

export function useSpaces(params: SpaceListParams) {
  return useInfiniteQuery(listSpacesOptions(params));
}
