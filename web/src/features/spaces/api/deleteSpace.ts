// DELETE /api/spaces/:id: a soft delete; the worker archives the Stripe product and prices.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api.ts';
import type { Space } from '../types.ts';
import { spaceKeys } from './queryKeys.ts';

export function deleteSpace(id: string): Promise<Space> {
  return apiRequest<Space>(`/spaces/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useDeleteSpace() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteSpace(id),
    onSuccess: (space) => {
      queryClient.removeQueries({ queryKey: spaceKeys.detail(space.id) });
      void queryClient.invalidateQueries({ queryKey: spaceKeys.lists() });
    },
  });
}
