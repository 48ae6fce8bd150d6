// After a save or "Sync now": a loading toast until the stream reports the outcome of the sync, then
// a success, error or drift toast in its place. A space already in step resolves at once. If no
// outcome came after 30 s (the stream is down?), the space is fetched once to settle the toast; if
// that fetch fails too, the toast says the status is unknown (and still turns into the outcome should
// the stream report it later).
import type { QueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
import { errorMessage } from '../../components/ErrorNotice.tsx';
import type { I18n } from '../../i18n/useI18n.tsx';
import { watchSync, type SyncOutcome } from '../stream/syncWatch.ts';
import { getSpaceOptions } from './api/getSpace.ts';
import type { Space } from './types.ts';

export interface TrackSyncOptions {
  space: Pick<Space, 'id' | 'name' | 'version' | 'sync_status' | 'synced_version'>;
  /** performance.now() just before the request: older events do not count. */
  since: number;
  /** The saved version must be synced (a save); null: any next outcome (Sync now, drift). */
  minVersion: number | null;
  message: string;
  i18n: I18n;
  queryClient: QueryClient;
  onReviewDrift?: (spaceId: string) => void;
  /** How long to wait for the stream before fetching the space (default 30 s). */
  fallbackMs?: number;
}

const FALLBACK_MS = 30_000;

export function trackSync({ space, since, minVersion, message, i18n, queryClient, onReviewDrift, fallbackMs = FALLBACK_MS }: TrackSyncOptions): void {
  const { t } = i18n;
  const toastId = `sync-${space.id}`;
  const name = space.name;
  let fallback: ReturnType<typeof setTimeout> | undefined;
  let settled = false;
  const settle = (outcome: SyncOutcome, lastError: string | null) => {
    settled = true;
    clearTimeout(fallback);
    if (outcome === 'synced') toast.success(t('toast.synced', { name }), { id: toastId, description: undefined });
    else if (outcome === 'error') toast.error(t('toast.syncFailed', { name }), { id: toastId, description: lastError ?? undefined, duration: 12_000 });
    else {
      toast.warning(t('toast.drift', { name }), {
        id: toastId,
        description: undefined,
        action: onReviewDrift ? { label: t('spaces.reviewDrift'), onClick: () => onReviewDrift(space.id) } : undefined,
      });
    }
  };
  if (minVersion !== null && space.sync_status === 'synced' && (space.synced_version ?? 0) >= minVersion) {
    toast.success(t('toast.synced', { name }), { id: toastId });
    return;
  }
  toast.loading(message, { id: toastId, duration: Infinity });
  const cancel = watchSync(space.id, { minVersion, since }, (outcome, event) => settle(outcome, event.last_error));
  if (settled) return;
  fallback = setTimeout(() => {
    void queryClient.fetchQuery({ ...getSpaceOptions(space.id), staleTime: 0 }).then(
      (fresh) => {
        const s = fresh.sync_status;
        const done = s === 'error' || s === 'drift' || (s === 'synced' && (minVersion === null || (fresh.synced_version ?? 0) >= minVersion));
        if (!done) return; // still going: the stream will tell
        cancel();
        settle(s as SyncOutcome, fresh.last_error);
      },
      (error: unknown) => {
        if (settled) return; // the stream answered meanwhile
        // No outcome and no answer: stop the spinner and say so. The watch stays, so a late stream
        // event still replaces this toast with the real outcome.
        toast.warning(t('toast.syncUnknown', { name }), {
          id: toastId,
          description: t('toast.syncUnknownHint', { error: errorMessage(t, error).replace(/\.\s*$/, '') }),
          duration: 12_000,
        });
      },
    );
  }, fallbackMs);
}
