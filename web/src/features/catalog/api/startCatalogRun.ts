// POST /api/catalog/runs {dry_run, plan_id?}: plan only (dry run), or apply the plan plan_id (once:
// the server answers 409 to a second apply).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { catalogRunKey } from './getCatalogRun.ts';
import { apiRequest } from '../../../lib/api.ts';

export interface StartedRun {
  run_id: string;
  job_id: string;
}

export type RunRequest = { dryRun: true } | { dryRun: false; planId: string | null };

export function startCatalogRun(request: RunRequest): Promise<StartedRun> {
  const body = request.dryRun || request.planId === null ? { dry_run: request.dryRun } : { dry_run: false, plan_id: request.planId };
  return apiRequest<StartedRun>('/catalog/runs', { method: 'POST', body });
}

export function useStartCatalogRun() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: startCatalogRun,
    // The plan now reads as applied (or, after a refusal, as the server says it is).
    onSettled: (_data, _error, request) => {
      if (!request.dryRun && request.planId) void queryClient.invalidateQueries({ queryKey: catalogRunKey(request.planId) });
    },
  });
}
