// POST /api/spaces/:id/drift {action}: enforce the catalog on Stripe, or adopt Stripe's values.
import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api.ts';

export type DriftAction = 'enforce' | 'adopt';

export function resolveDrift(id: string, action: DriftAction): Promise<{ job_id: string }> {
  return apiRequest<{ job_id: string }>(`/spaces/${encodeURIComponent(id)}/drift`, { method: 'POST', body: { action } });
}

export function useResolveDrift() {
  return useMutation({ mutationFn: ({ id, action }: { id: string; action: DriftAction }) => resolveDrift(id, action) });
}
