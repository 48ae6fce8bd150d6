// The spaces table, virtualised (@tanstack/react-virtual): thousands of rows, only the visible ones in
// the DOM. Pages of the list load as the end comes into view. Rows are memoised on the space object,
// which the stream replaces only when it changed.
import { useVirtualizer } from '@tanstack/react-virtual';
import { DropdownMenu } from 'radix-ui';
import { memo, useEffect, useRef, type CSSProperties } from 'react';
import { Button } from '../../../components/Button.tsx';
import { Spinner } from '../../../components/Spinner.tsx';
import { useI18n } from '../../../i18n/useI18n.tsx';
import { productUrl, type AppConfig } from '../../config/api/getConfig.ts';
import type { Space } from '../types.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { DotsIcon } from '../../../components/icons.tsx';

export interface RowActions {
  onEdit(space: Space): void;
  onSync(space: Space): void;
  onDelete(space: Space): void;
  onReviewDrift(space: Space): void;
  onLogs(space: Space): void;
}

const ROW_HEIGHT = 60;
// The actions column fits the longest label of the language ("Synchroniser maintenant").
const COLUMNS = 'grid-cols-[minmax(12rem,2fr)_8.5rem_5rem_minmax(9.5rem,1.3fr)_minmax(9.5rem,1fr)_minmax(8rem,10.5rem)_var(--actions-w)]';
const ACTIONS_WIDTH = { en: '12.5rem', fr: '17rem' } as const;

function PriceSummary({ space }: { space: Space }) {
  const { t, formatAmount } = useI18n();
  const prices = space.prices ?? [];
  if (prices.length === 0) return <span className="text-slate-400">{t('common.none')}</span>;
  const shown = [...prices].sort((a, b) => Number(b.is_default) - Number(a.is_default) || a.position - b.position).slice(0, 2);
  return (
    <div className="min-w-0 text-xs leading-5">
      {shown.map((p) => (
        <div key={p.id} className="truncate">
          <span className="font-medium tabular-nums text-slate-800">{formatAmount(p.unit_amount, p.currency)}</span>{' '}
          <span className="text-slate-500">
            {p.recurring_interval
              ? p.recurring_interval_count > 1
                ? t('interval.perCount', { count: p.recurring_interval_count, interval: t(`interval.${p.recurring_interval}`) })
                : t('interval.per', { interval: t(`interval.${p.recurring_interval}`) })
              : t(`pricing.${p.pricing_type as 'hourly'}`)}
          </span>
        </div>
      ))}
      {prices.length > 2 ? <span className="text-slate-400">{t('spaces.morePrices', { n: prices.length - 2 })}</span> : null}
    </div>
  );
}

const SpaceRow = memo(function SpaceRow({
  space,
  index,
  top,
  config,
  actions,
}: {
  space: Space;
  index: number;
  top: number;
  config: AppConfig | undefined;
  actions: RowActions;
}) {
  const { t, formatNumber } = useI18n();
  const link = space.stripe_product_id ? productUrl(config, space.stripe_product_id) : null;
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      data-space-id={space.id}
      className={`absolute inset-x-0 grid ${COLUMNS} items-center gap-3 border-b border-slate-100 px-4 text-sm hover:bg-slate-50`}
      style={{ height: ROW_HEIGHT, transform: `translateY(${top}px)` }}
    >
      <div role="cell" className="min-w-0">
        <button type="button" onClick={() => actions.onEdit(space)} className="block max-w-full truncate text-left font-medium text-slate-900 hover:text-indigo-700 hover:underline">
          {space.name}
        </button>
        <div className="truncate text-xs text-slate-500">
          {space.location ?? ''}
          {!space.active ? <span className="ml-1 rounded bg-slate-100 px-1 text-[10px] uppercase text-slate-500">{t('spaces.inactive')}</span> : null}
        </div>
      </div>
      <div role="cell" className="truncate text-slate-600">
        {t(`kind.${space.kind as 'other'}`)}
      </div>
      <div role="cell" className="text-right tabular-nums text-slate-600">
        {space.capacity === null ? t('common.none') : formatNumber(space.capacity)}
      </div>
      <div role="cell" className="min-w-0">
        <PriceSummary space={space} />
      </div>
      <div role="cell" className="min-w-0">
        <StatusBadge space={space} onReviewDrift={() => actions.onReviewDrift(space)} />
      </div>
      <div role="cell" className="min-w-0 truncate font-mono text-xs">
        {space.stripe_product_id ? (
          link ? (
            <a href={link} target="_blank" rel="noopener noreferrer" className="text-indigo-600 hover:underline" title={t('spaces.openInStripe', { id: space.stripe_product_id })} data-product-link>
              {space.stripe_product_id}
            </a>
          ) : (
            <span className="text-slate-600">{space.stripe_product_id}</span>
          )
        ) : (
          <span className="font-sans text-slate-400 italic">{t('spaces.noProduct')}</span>
        )}
      </div>
      <div role="cell" className="flex items-center justify-end gap-1">
        {space.sync_status === 'drift' ? (
          <Button size="sm" variant="secondary" className="text-amber-800" onClick={() => actions.onReviewDrift(space)}>
            {t('spaces.reviewDrift')}
          </Button>
        ) : (
          <Button size="sm" variant="ghost" onClick={() => actions.onEdit(space)} aria-label={t('spaces.editNamed', { name: space.name })}>
            {t('spaces.edit')}
          </Button>
        )}
        <Button size="sm" variant="secondary" onClick={() => actions.onSync(space)} disabled={space.sync_status === 'syncing'}>
          {t('spaces.syncNow')}
        </Button>
        <DropdownMenu.Root>
          <DropdownMenu.Trigger asChild>
            <Button size="sm" variant="ghost" aria-label={t('spaces.actionsFor', { name: space.name })} data-row-actions>
              <DotsIcon />
            </Button>
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content align="end" sideOffset={4} className="z-50 min-w-40 rounded-md bg-white p-1 text-sm shadow-lg ring-1 ring-slate-200">
              <DropdownMenu.Item className="cursor-pointer rounded px-2 py-1.5 text-slate-700 outline-none data-[highlighted]:bg-slate-100" onSelect={() => actions.onEdit(space)}>
                {t('spaces.edit')}
              </DropdownMenu.Item>
              <DropdownMenu.Item className="cursor-pointer rounded px-2 py-1.5 text-slate-700 outline-none data-[highlighted]:bg-slate-100" onSelect={() => actions.onLogs(space)}>
                {t('spaces.logs')}
              </DropdownMenu.Item>
              <DropdownMenu.Separator className="my-1 h-px bg-slate-200" />
              <DropdownMenu.Item className="cursor-pointer rounded px-2 py-1.5 text-red-600 outline-none data-[highlighted]:bg-red-50" onSelect={() => actions.onDelete(space)}>
                {t('spaces.delete')}
              </DropdownMenu.Item>
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
      </div>
    </div>
  );
});

export interface SpacesTableProps {
  spaces: Space[];
  total: number;
  config: AppConfig | undefined;
  actions: RowActions;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore(): void;
}

export function SpacesTable({ spaces, total, config, actions, hasMore, loadingMore, onLoadMore }: SpacesTableProps) {
  const { t, locale } = useI18n();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: spaces.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= spaces.length - 40) onLoadMore();
  }, [hasMore, loadingMore, lastIndex, spaces.length, onLoadMore]);

  return (
    <div
      role="table"
      aria-label={t('spaces.title')}
      aria-rowcount={total + 1}
      className="overflow-hidden rounded-lg bg-white shadow-sm ring-1 ring-slate-200"
      style={{ '--actions-w': ACTIONS_WIDTH[locale] } as CSSProperties}
    >
      <div role="rowgroup" className="border-b border-slate-200 bg-slate-50">
        <div role="row" aria-rowindex={1} className={`grid ${COLUMNS} gap-3 px-4 py-2 text-xs font-medium uppercase tracking-wide text-slate-500`}>
          <div role="columnheader">{t('spaces.col.name')}</div>
          <div role="columnheader">{t('spaces.col.kind')}</div>
          <div role="columnheader" className="text-right">
            {t('spaces.col.capacity')}
          </div>
          <div role="columnheader">{t('spaces.col.prices')}</div>
          <div role="columnheader">{t('spaces.col.status')}</div>
          <div role="columnheader">{t('spaces.col.product')}</div>
          <div role="columnheader" className="text-right">
            <span className="sr-only">{t('spaces.col.actions')}</span>
          </div>
        </div>
      </div>
      <div ref={scrollRef} role="rowgroup" className="h-[calc(100vh-17rem)] min-h-80 overflow-auto" data-spaces-scroll>
        <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => (
            <SpaceRow key={spaces[item.index].id} space={spaces[item.index]} index={item.index} top={item.start} config={config} actions={actions} />
          ))}
        </div>
        {loadingMore ? (
          <div className="flex items-center justify-center gap-2 py-3 text-xs text-slate-500">
            <Spinner className="size-3.5" /> {t('spaces.loadingMore')}
          </div>
        ) : null}
      </div>
    </div>
  );
}
