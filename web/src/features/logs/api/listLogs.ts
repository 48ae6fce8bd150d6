// GET /api/logs with filters, newest first, paged backwards with before_id.
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api.ts';
import type { LogFilters, LogPage } from '../types.ts';

export const LOGS_PAGE_SIZE = 100;
export const logKeys = {
  all: ['logs'] as const,
  list: (filters: LogFilters) => ['logs', filters] as const,
};

export function listLogs(filters: LogFilters & { before_id?: number | null; limit?: number }, signal?: AbortSignal): Promise<LogPage> {
  return apiRequest<LogPage>('/logs', {
    query: { ...filters, before_id: filters.before_id ?? undefined, limit: filters.limit ?? LOGS_PAGE_SIZE },
    signal,
  });
}

export function listLogsOptions(filters: LogFilters, autoRefreshMs: number | false) {
  return infiniteQueryOptions({
    queryKey: logKeys.list(filters),
    queryFn: ({ pageParam, signal }) => listLogs({ ...filters, before_id: pageParam }, signal),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.next_before_id ?? undefined,
    refetchInterval: autoRefreshMs,
  });
}

export function useLogs(filters: LogFilters, autoRefreshMs: number | false) {
  return useInfiniteQuery(listLogsOptions(filters, autoRefreshMs));
}
