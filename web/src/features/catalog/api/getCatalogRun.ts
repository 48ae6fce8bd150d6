// GET /api/catalog/runs/:id, without its entries' outcomes (getRunOutcomes follows those). Progress
// comes from `catalog_run` stream events, which update this query in place; polling every 2 s is the
// fallback while the run is not finished, in case the stream is down.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api.ts';
import { FINISHED_RUN_STATUSES, type CatalogRun } from '../types.ts';

export const catalogRunKey = (id: string) => ['catalog', 'run', id] as const;

export function getCatalogRun(id: string, signal?: AbortSignal): Promise<CatalogRun> {
  return apiRequest<CatalogRun>(`/catalog/runs/${encodeURIComponent(id)}?outcomes=false`, { signal });
}

export function getCatalogRunOptions(id: string) {
  return queryOptions({
    queryKey: catalogRunKey(id),
    queryFn: ({ signal }) => getCatalogRun(id, signal),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status && FINISHED_RUN_STATUSES.includes(status) ? false : 2000;
    },
  });
}

export function useCatalogRun(id: string | null) {
  return useQuery({ ...getCatalogRunOptions(id ?? ''), enabled: id !== null });
}
