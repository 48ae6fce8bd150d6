// POST /api/catalog/runs {dry_run}: plan only (dry run) or plan and apply.
import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api.ts';

export interface StartedRun {
  run_id: string;
  job_id: string;
}

export function startCatalogRun(dryRun: boolean): Promise<StartedRun> {
  return apiRequest<StartedRun>('/catalog/runs', { method: 'POST', body: { dry_run: dryRun } });
}

export function useStartCatalogRun() {
  return useMutation({ mutationFn: (dryRun: boolean) => startCatalogRun(dryRun) });
}
