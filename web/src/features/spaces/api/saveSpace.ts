// POST /api/spaces (create) and PATCH /api/spaces/:id (update; `prices` is the full list: rows with
// an id are updated, without one inserted, missing ones deleted).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api.ts';
import type { SpaceInput } from '../../../lib/validation.ts';
import type { Space } from '../types.ts';
import { spaceKeys } from './queryKeys.ts';

export function createSpace(input: SpaceInput): Promise<Space> {
  return apiRequest<Space>('/spaces', { method: 'POST', body: input });
}

export function updateSpace(id: string, input: Partial<SpaceInput>): Promise<Space> {
  return apiRequest<Space>(`/spaces/${encodeURIComponent(id)}`, { method: 'PATCH', body: input });
}

export function useSaveSpace() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string | null; input: SpaceInput }) => (id ? updateSpace(id, input) : createSpace(input)),
    onSuccess: (space) => {
      queryClient.setQueryData(spaceKeys.detail(space.id), space);
      void queryClient.invalidateQueries({ queryKey: spaceKeys.lists() });
    },
  });
}
