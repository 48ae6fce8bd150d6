// POST /api/spaces/sync (the selected rows) and /api/spaces/retry-failed (those in error, of the
// selection or all): 202 with the jobs started; the results arrive on the stream.
import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api.ts';

export interface BulkJob {
  space_id: string;
  job_id: number;
}

export function bulkSync(kind: 'sync' | 'retry', ids?: string[]): Promise<BulkJob[]> {
  return apiRequest<{ data: BulkJob[] }>(kind === 'sync' ? '/spaces/sync' : '/spaces/retry-failed', {
    method: 'POST',
    body: ids ? { ids } : {},
  }).then((r) => r.data);
}

export function useBulkSync() {
  return useMutation({ mutationFn: ({ kind, ids }: { kind: 'sync' | 'retry'; ids?: string[] }) => bulkSync(kind, ids) });
}
