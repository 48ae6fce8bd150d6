// GET /api/catalog/runs/:id/outcomes?after=<seq>: an apply run's entry outcomes, followed from where the
// last read ended, so each outcome crosses the network once however long the run. Read again when a
// `catalog_run` stream event says entries went through; polled every 2 s while the run applies, in
// case the stream is down.
import { queryOptions, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { apiRequest } from '../../../lib/api.ts';
import { catalogRunKey } from './getCatalogRun.ts';
import type { EntryOutcome } from '../types.ts';

export interface RunOutcomes {
  /** The last seq read: the next read asks for what came after it. */
  lastSeq: number;
  byEntry: Record<string, EntryOutcome>;
}

interface OutcomesPage {
  data: Array<{ entry_key: string; status: EntryOutcome['status']; error: string | null; seq: number }>;
  last_seq: number;
  more: boolean;
}

export const runOutcomesKey = (runId: string) => [...catalogRunKey(runId), 'outcomes'] as const;

/** What `before` knew, with every outcome written since. */
export async function readRunOutcomes(runId: string, before: RunOutcomes | undefined, signal?: AbortSignal): Promise<RunOutcomes> {
  let lastSeq = before?.lastSeq ?? 0;
  const byEntry = { ...before?.byEntry };
  for (;;) {
    const page = await apiRequest<OutcomesPage>(`/catalog/runs/${encodeURIComponent(runId)}/outcomes?after=${lastSeq}&limit=5000`, { signal });
    for (const o of page.data) byEntry[o.entry_key] = o.status === 'done' ? { status: 'done' } : { status: o.status, error: o.error ?? '' };
    lastSeq = page.last_seq;
    if (!page.more) return { lastSeq, byEntry };
  }
}

export function getRunOutcomesOptions(queryClient: QueryClient, runId: string, following: boolean) {
  return queryOptions({
    queryKey: runOutcomesKey(runId),
    queryFn: ({ signal }) => readRunOutcomes(runId, queryClient.getQueryData<RunOutcomes>(runOutcomesKey(runId)), signal),
    refetchInterval: following ? 2000 : false,
  });
}

/** The outcomes of the apply run `runId`; `following` while it still applies. */
export function useRunOutcomes(runId: string | null, following: boolean) {
  const queryClient = useQueryClient();
  // The run just ended: read what its last progress write added (the poll has stopped).
  const wasFollowing = useRef(following);
  useEffect(() => {
    if (wasFollowing.current && !following && runId !== null) void queryClient.invalidateQueries({ queryKey: runOutcomesKey(runId) }, { cancelRefetch: false });
    wasFollowing.current = following;
  }, [following, runId, queryClient]);
  return useQuery({ ...getRunOutcomesOptions(queryClient, runId ?? '', following), enabled: runId !== null });
}
