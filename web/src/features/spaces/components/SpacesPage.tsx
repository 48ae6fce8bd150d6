// Spaces: search, status filter, the virtualised table, and the dialogs (create/edit, delete, drift).
import { useQueryClient } from '@tanstack/react-query';
import { Suspense, lazy, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { toast } from 'sonner';
import { Button } from '../../../components/Button.tsx';
import { ErrorNotice, useErrorMessage } from '../../../components/ErrorNotice.tsx';
import { inputClass } from '../../../components/Field.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { Spinner } from '../../../components/Spinner.tsx';
import { useI18n } from '../../../i18n/useI18n.tsx';
import { SYNC_STATUSES, type SyncStatus } from '../../../lib/catalog.ts';
import { navigate, setSearchParams, useLocation } from '../../../lib/router.ts';
import { useConfig } from '../../config/api/getConfig.ts';
import { useSpaces } from '../api/listSpaces.ts';
import { useSyncSpace } from '../api/syncSpace.ts';
import { trackSync } from '../trackSync.ts';
import { SPACE_SORTS, type Space, type SpaceSort } from '../types.ts';
import { useBulkSync } from '../api/bulkSync.ts';
import { useDriftToasts } from '../useDriftToasts.ts';
import { DeleteSpaceDialog } from './DeleteSpaceDialog.tsx';
import { DriftDialog } from './DriftDialog.tsx';
import { SpacesTable, type RowActions } from './SpacesTable.tsx';
import { PlusIcon } from '../../../components/icons.tsx';

// The form (react-hook-form, the shared zod schemas) loads on its own, fetched once the list is shown.
const loadSpaceDialog = () => import('./SpaceDialog.tsx');
const SpaceDialog = lazy(() => loadSpaceDialog().then((m) => ({ default: m.SpaceDialog })));

/** The actions button of a space's row (if the row is rendered): where focus goes back after a dialog about it. */
function rowActionsButton(spaceId: string | null | undefined): HTMLElement | null {
  if (!spaceId) return null;
  return document.querySelector<HTMLElement>(`[data-space-id="${CSS.escape(spaceId)}"] [data-row-actions]`);
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function SpacesPage() {
  const i18n = useI18n();
  const { t, formatNumber } = i18n;
  const queryClient = useQueryClient();
  const { search } = useLocation();
  const status = (search.get('status') ?? '') as SyncStatus | '';
  const sortParam = search.get('sort') ?? '';
  const sort: SpaceSort = (SPACE_SORTS as readonly string[]).includes(sortParam) ? (sortParam as SpaceSort) : 'created_at';
  const order: 'asc' | 'desc' = search.get('order') === 'asc' || search.get('order') === 'desc' ? (search.get('order') as 'asc' | 'desc') : sort === 'created_at' || sort === 'updated_at' ? 'desc' : 'asc';
  const [q, setQ] = useState(search.get('q') ?? '');
  const debouncedQ = useDebounced(q, 250);
  const urlParams = { q: debouncedQ, status, sort: sort === 'created_at' ? '' : sort, order: search.get('order') ?? '' };
  useEffect(() => setSearchParams(urlParams), [debouncedQ, status, sort, urlParams.order]); // eslint-disable-line react-hooks/exhaustive-deps
  const onSort = useCallback(
    (next: SpaceSort) => {
      const nextOrder = next === sort ? (order === 'asc' ? 'desc' : 'asc') : 'asc';
      setSearchParams({ q: debouncedQ, status, sort: next, order: nextOrder });
    },
    [sort, order, debouncedQ, status],
  );

  const list = useSpaces({ q: debouncedQ, status, sort, order });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const bulk = useBulkSync();
  const config = useConfig().data;
  const sync = useSyncSpace();
  const errorMessage = useErrorMessage();
  const [dialog, setDialog] = useState<{ spaceId: string | null } | null>(null);
  const [deleting, setDeleting] = useState<Space | null>(null);
  const [driftId, setDriftId] = useState<string | null>(null);

  const spaces = useMemo(() => list.data?.pages.flatMap((p) => p.data) ?? [], [list.data]);
  const deferredSpaces = useDeferredValue(spaces);
  const total = list.data?.pages.at(-1)?.total ?? 0;
  const totalCapped = list.data?.pages.at(-1)?.total_capped ?? false;

  const marked = useRef(false);
  useEffect(() => {
    if (!marked.current && deferredSpaces.length > 0) {
      marked.current = true;
      performance.mark('spaces:first-rows');
      const prefetch = () => void loadSpaceDialog();
      if ('requestIdleCallback' in window) requestIdleCallback(prefetch);
      else setTimeout(prefetch, 200);
    }
  }, [deferredSpaces]);

  const syncMutate = sync.mutate;
  const actions = useMemo<RowActions>(
    () => ({
      onEdit: (space) => setDialog({ spaceId: space.id }),
      onDelete: (space) => setDeleting(space),
      onReviewDrift: (space) => setDriftId(space.id),
      onLogs: (space) => navigate(`/logs?space=${encodeURIComponent(space.name)}`),
      onSelect: (space, on) =>
        setSelected((old) => {
          const next = new Set(old);
          if (on) next.add(space.id);
          else next.delete(space.id);
          return next;
        }),
      onSync: (space) => {
        const since = performance.now();
        syncMutate(space.id, {
          onSuccess: () =>
            trackSync({
              space,
              since,
              minVersion: null,
              message: t('toast.syncQueued', { name: space.name }),
              i18n,
              queryClient,
              onReviewDrift: setDriftId,
            }),
          onError: (error) => toast.error(t('toast.failed', { error: errorMessage(error) })),
        });
      },
    }),
    [i18n, queryClient, syncMutate, errorMessage],
  );

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const filtered = debouncedQ.trim() !== '' || status !== '';
  const onSelectAll = useCallback((on: boolean) => setSelected(on ? new Set(spaces.map((s) => s.id)) : new Set()), [spaces]);
  useDriftToasts((spaceId) => setDialog({ spaceId }));
  const runBulk = (kind: 'sync' | 'retry') =>
    bulk.mutate(
      { kind, ids: kind === 'sync' ? [...selected] : selected.size > 0 ? [...selected] : undefined },
      {
        onSuccess: (jobs) => {
          if (jobs.length === 0) toast.info(t('spaces.noneFailed'));
          else toast.success(i18n.tp('spaces.bulkQueued', jobs.length));
          if (kind === 'sync') setSelected(new Set());
        },
        onError: (error) => toast.error(t('toast.failed', { error: errorMessage(error) })),
      },
    );

  return (
    <>
      <PageHeader
        title={t('spaces.title')}
        subtitle={t('spaces.subtitle')}
        actions={
          <Button variant="primary" onClick={() => setDialog({ spaceId: null })} icon={<PlusIcon />}>
            {t('spaces.new')}
          </Button>
        }
      />
      <div className="mb-3 flex flex-wrap items-end gap-3">
        <div className="w-full sm:w-72">
          <label htmlFor="spaces-search" className="mb-1 block text-xs font-medium text-slate-700">
            {t('spaces.search')}
          </label>
          <input id="spaces-search" type="search" className={inputClass} placeholder={t('spaces.searchPlaceholder')} value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        <div className="w-full sm:w-48">
          <label htmlFor="spaces-status" className="mb-1 block text-xs font-medium text-slate-700">
            {t('spaces.status')}
          </label>
          <select id="spaces-status" className={inputClass} value={status} onChange={(e) => setSearchParams({ q: debouncedQ, status: e.target.value })}>
            <option value="">{t('spaces.allStatuses')}</option>
            {SYNC_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-wrap items-center gap-2 pb-0.5" data-bulk-actions>
          {selected.size > 0 ? (
            <>
              <span className="text-xs font-medium text-slate-700" aria-live="polite">
                {i18n.tp('spaces.selected', selected.size)}
              </span>
              <Button size="sm" variant="primary" onClick={() => runBulk('sync')} loading={bulk.isPending}>
                {t('spaces.bulkSync')}
              </Button>
              <Button size="sm" variant="ghost" onClick={() => setSelected(new Set())}>
                {t('spaces.clearSelection')}
              </Button>
            </>
          ) : null}
          <Button size="sm" variant="secondary" onClick={() => runBulk('retry')} disabled={bulk.isPending}>
            {t('spaces.retryFailed')}
          </Button>
        </div>
        <p className="ml-auto pb-2 text-xs text-slate-600" aria-live="polite" data-spaces-count>
          {list.data ? i18n.tp('spaces.count', total, { shown: formatNumber(spaces.length), total: `${formatNumber(total)}${totalCapped ? '+' : ''}` }) : null}
          {list.isFetching && !list.isFetchingNextPage ? <Spinner className="ml-2 inline size-3" /> : null}
        </p>
      </div>
      {list.error ? (
        <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />
      ) : list.isPending ? (
        <div className="grid h-64 place-items-center rounded-lg bg-white ring-1 ring-slate-200">
          <Spinner label={t('common.loading')} className="size-6 text-slate-400" />
        </div>
      ) : spaces.length === 0 ? (
        <div className="grid h-64 place-items-center rounded-lg border border-dashed border-slate-300 bg-white px-6 text-center text-sm text-slate-600">
          {filtered ? t('spaces.emptyFiltered') : t('spaces.empty')}
        </div>
      ) : (
        <SpacesTable
          sort={sort}
          order={order}
          onSort={onSort}
          selected={selected}
          onSelectAll={onSelectAll}
          spaces={deferredSpaces}
          total={totalCapped ? null : total}
          config={config}
          actions={actions}
          hasMore={hasNextPage}
          loadingMore={isFetchingNextPage}
          onLoadMore={loadMore}
        />
      )}
      {dialog ? (
        <Suspense fallback={null}>
          <SpaceDialog
            spaceId={dialog.spaceId}
            open
            onOpenChange={(open) => !open && setDialog(null)}
            onReviewDrift={setDriftId}
            returnFocus={() => rowActionsButton(dialog.spaceId)}
          />
        </Suspense>
      ) : null}
      <DeleteSpaceDialog space={deleting} onOpenChange={(open) => !open && setDeleting(null)} returnFocus={() => rowActionsButton(deleting?.id)} />
      <DriftDialog spaceId={driftId} onOpenChange={(open) => !open && setDriftId(null)} returnFocus={() => rowActionsButton(driftId)} />
    </>
  );
}
