// Query keys of the spaces feature, in one place so the stream can update the cache in place.
import type { SpaceListParams } from '../types.ts';

export const spaceKeys = {
  all: ['spaces'] as const,
  lists: () => ['spaces', 'list'] as const,
  list: (params: SpaceListParams) => ['spaces', 'list', { q: params.q ?? '', status: params.status ?? '', sort: params.sort ?? '', order: params.order ?? '' }] as const,
  details: () => ['spaces', 'detail'] as const,
  detail: (id: string) => ['spaces', 'detail', id] as const,
};
