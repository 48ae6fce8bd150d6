// The sync status of a space: a coloured badge, when it last changed, and Stripe's message on errors
// (inline, and in full in a tooltip). Drift opens the review dialog.
import { Tooltip } from 'radix-ui';
import { Spinner } from '../../../components/Spinner.tsx';
import { useI18n } from '../../../i18n/useI18n.tsx';
import type { SyncStatus } from '../../../lib/catalog.ts';
import { useNow } from '../../../lib/useNow.ts';
import type { Space } from '../types.ts';

const looks: Record<SyncStatus, string> = {
  pending: 'bg-slate-100 text-slate-700 ring-slate-300',
  syncing: 'bg-sky-50 text-sky-700 ring-sky-200',
  synced: 'bg-emerald-50 text-emerald-700 ring-emerald-200',
  error: 'bg-red-50 text-red-700 ring-red-200',
  drift: 'bg-amber-50 text-amber-800 ring-amber-300',
};

const dots: Record<SyncStatus, string> = {
  pending: 'bg-slate-400',
  syncing: 'bg-sky-500',
  synced: 'bg-emerald-500',
  error: 'bg-red-500',
  drift: 'bg-amber-500',
};

type BadgeSpace = Pick<Space, 'id' | 'sync_status' | 'last_error' | 'last_synced_at' | 'updated_at' | 'sync_attempt'>;

export function StatusPill({ status }: { status: SyncStatus }) {
  const { t } = useI18n();
  return (
    <span className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${looks[status] ?? looks.pending}`}>
      {status === 'syncing' ? <Spinner className="size-3" /> : <span className={`size-1.5 rounded-full ${dots[status] ?? dots.pending}`} aria-hidden />}
      {t(`status.${status}`)}
    </span>
  );
}

export function StatusBadge({ space, onReviewDrift }: { space: BadgeSpace; onReviewDrift?: () => void }) {
  const { t, formatRelative, formatDateTime } = useI18n();
  useNow();
  const status = space.sync_status;
  const when = status === 'synced' || status === 'error' || status === 'drift' ? (space.last_synced_at ?? space.updated_at) : space.updated_at;
  const detail = [
    t(`status.${status}`),
    formatDateTime(when),
    space.sync_attempt > 1 ? t('status.attempt', { n: space.sync_attempt }) : null,
    status === 'error' && space.last_error ? t('status.lastError', { error: space.last_error }) : null,
  ]
    .filter(Boolean)
    .join(' · ');
  const pill =
    status === 'drift' && onReviewDrift ? (
      <button type="button" onClick={onReviewDrift} className="rounded-full focus-visible:outline-2" aria-label={`${t('status.drift')} · ${t('spaces.reviewDrift')}`}>
        <StatusPill status={status} />
      </button>
    ) : (
      <span tabIndex={0} className="rounded-full">
        <StatusPill status={status} />
      </span>
    );
  return (
    <div className="min-w-0" data-sync-status={status} data-space-status={space.id}>
      <Tooltip.Root>
        <Tooltip.Trigger asChild>{pill}</Tooltip.Trigger>
        <Tooltip.Portal>
          <Tooltip.Content side="top" sideOffset={6} className="z-50 max-w-sm rounded-md bg-slate-900 px-2.5 py-1.5 text-xs text-white shadow-lg">
            {detail}
            <Tooltip.Arrow className="fill-slate-900" />
          </Tooltip.Content>
        </Tooltip.Portal>
      </Tooltip.Root>
      {status === 'error' && space.last_error ? (
        <p className="mt-0.5 truncate text-[11px] text-red-600" title={space.last_error} data-last-error>
          {space.last_error}
        </p>
      ) : (
        <p className="mt-0.5 truncate text-[11px] text-slate-500">
          <time dateTime={when}>{formatRelative(when)}</time>
        </p>
      )}
    </div>
  );
}
