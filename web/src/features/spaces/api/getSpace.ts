// GET /api/spaces/:id: one space with its prices and drift.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api.ts';
import type { Space } from '../types.ts';
import { spaceKeys } from './queryKeys.ts';

export function getSpace(id: string, signal?: AbortSignal): Promise<Space> {
  return apiRequest<Space>(`/spaces/${encodeURIComponent(id)}`, { signal });
}

export function getSpaceOptions(id: string) {
  return queryOptions({ queryKey: spaceKeys.detail(id), queryFn: ({ signal }) => getSpace(id, signal) });
}

export function useSpace(id: string | null) {
  return useQuery({ ...getSpaceOptions(id ?? ''), enabled: id !== null });
}
