// POST /api/spaces/:id/sync: enqueue a sync now (202 {job_id}); the result arrives on the stream.
import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api.ts';

export function syncSpace(id: string): Promise<{ job_id: string }> {
  return apiRequest<{ job_id: string }>(`/spaces/${encodeURIComponent(id)}/sync`, { method: 'POST' });
}

export function useSyncSpace() {
  return useMutation({ mutationFn: (id: string) => syncSpace(id) });
}
