// A space's drift history (GET /api/spaces/:id/drift-events) and its acknowledgement.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api.ts';
import type { DriftEvent } from '../types.ts';
import { spaceKeys } from './queryKeys.ts';

export const driftEventsKey = (spaceId: string) => ['spaces', 'drift-events', spaceId] as const;

export function driftEventsOptions(spaceId: string) {
  return queryOptions({
    queryKey: driftEventsKey(spaceId),
    queryFn: ({ signal }) => apiRequest<{ data: DriftEvent[] }>(`/spaces/${encodeURIComponent(spaceId)}/drift-events`, { signal }).then((r) => r.data),
  });
}

export function useDriftEvents(spaceId: string | null) {
  return useQuery({ ...driftEventsOptions(spaceId ?? ''), enabled: spaceId !== null });
}

export function useAcknowledgeDrift() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (spaceId: string) => apiRequest<{ acknowledged: number }>(`/spaces/${encodeURIComponent(spaceId)}/drift/acknowledge`, { method: 'POST', body: {} }),
    onSuccess: (_r, spaceId) => {
      void queryClient.invalidateQueries({ queryKey: driftEventsKey(spaceId) });
      void queryClient.invalidateQueries({ queryKey: spaceKeys.detail(spaceId) });
    },
  });
}
