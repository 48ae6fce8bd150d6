// The spaces table, virtualised (@tanstack/react-virtual): thousands of rows, only the visible ones in
// the DOM. Pages of the list load as the end comes into view. Rows are memoised on the space object,
// which the stream replaces only when it changed. Columns sort on click; rows can be selected for bulk
// actions. On a phone the same list is a column of cards.
import { useVirtualizer } from '@tanstack/react-virtual';
import { DropdownMenu } from 'radix-ui';
import { memo, useEffect, useLayoutEffect, useRef, type CSSProperties, type RefObject } from 'react';
import { Button } from '../../../components/Button.tsx';
import { Spinner } from '../../../components/Spinner.tsx';
import { useI18n } from '../../../i18n/useI18n.tsx';
import { productUrl, type AppConfig } from '../../config/api/getConfig.ts';
import { PHONE_QUERY, useMediaQuery } from '../../../lib/useMediaQuery.ts';
import type { Space, SpaceSort } from '../types.ts';
import { SourceBadge } from './SourceBadge.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { DotsIcon } from '../../../components/icons.tsx';

export interface RowActions {
  onEdit(space: Space): void;
  onSync(space: Space): void;
  onDelete(space: Space): void;
  onReviewDrift(space: Space): void;
  onLogs(space: Space): void;
  onSelect(space: Space, selected: boolean): void;
}

const ROW_HEIGHT = 60;
const CARD_HEIGHT = 176;
// The actions column fits the longest label of the language ("Synchroniser maintenant").
const COLUMNS = 'grid-cols-[1.5rem_minmax(12rem,2fr)_8.5rem_5rem_minmax(10rem,1.3fr)_minmax(9.5rem,1fr)_minmax(8rem,10.5rem)_var(--actions-w)]';
const ACTIONS_WIDTH = { en: '12.5rem', fr: '17rem' } as const;

function PriceSummary({ space }: { space: Space }) {
  const { t, tp, priceSummary } = useI18n();
  const prices = space.prices ?? [];
  if (prices.length === 0) return <span className="text-slate-600">{t('common.none')}</span>;
  const shown = [...prices].sort((a, b) => Number(b.is_default) - Number(a.is_default) || a.position - b.position).slice(0, 2);
  return (
    <div className="min-w-0 text-xs leading-5">
      {shown.map((p) => (
        <div key={p.id} className="truncate tabular-nums text-slate-800">
          {priceSummary(p)}
        </div>
      ))}
      {prices.length > 2 ? <span className="text-slate-600">{tp('spaces.morePrices', prices.length - 2)}</span> : null}
    </div>
  );
}

/** "2 Stripe edits": drifts not acknowledged yet; opens the space's dialog at its Stripe edits. */
export function StripeEditsBadge({ space, onOpen }: { space: Space; onOpen(): void }) {
  const { tp } = useI18n();
  const n = space.drift_unacknowledged ?? 0;
  if (n <= 0) return null;
  return (
    <button
      type="button"
      onClick={onOpen}
      className="mt-0.5 inline-flex items-center rounded-full bg-amber-100 px-2 py-0.5 text-[11px] font-medium text-amber-900 ring-1 ring-inset ring-amber-300 hover:bg-amber-200"
      data-stripe-edits={n}
    >
      {tp('spaces.stripeEdits', n)}
    </button>
  );
}

function RowMenu({ space, actions }: { space: Space; actions: RowActions }) {
  const { t } = useI18n();
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger asChild>
        <Button size="sm" variant="ghost" aria-label={t('spaces.actionsFor', { name: space.name })} data-row-actions>
          <DotsIcon />
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal container={typeof document === "undefined" ? undefined : document.getElementById("main")}>
        <DropdownMenu.Content align="end" sideOffset={4} className="z-50 min-w-40 rounded-md bg-white p-1 text-sm shadow-lg ring-1 ring-slate-200">
          <DropdownMenu.Item className="cursor-pointer rounded px-2 py-1.5 text-slate-700 outline-none data-[highlighted]:bg-slate-100" onSelect={() => actions.onEdit(space)}>
            {t('spaces.edit')}
          </DropdownMenu.Item>
          <DropdownMenu.Item className="cursor-pointer rounded px-2 py-1.5 text-slate-700 outline-none data-[highlighted]:bg-slate-100" onSelect={() => actions.onLogs(space)}>
            {t('spaces.logs')}
          </DropdownMenu.Item>
          <DropdownMenu.Separator className="my-1 h-px bg-slate-200" />
          <DropdownMenu.Item className="cursor-pointer rounded px-2 py-1.5 text-red-700 outline-none data-[highlighted]:bg-red-50" onSelect={() => actions.onDelete(space)}>
            {t('spaces.delete')}
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

const SpaceCard = memo(function SpaceCard({
  space,
  top,
  selected,
  actions,
}: {
  space: Space;
  top: number;
  selected: boolean;
  actions: RowActions;
}) {
  const { t, formatNumber } = useI18n();
  return (
    <li
      data-space-id={space.id}
      className="absolute inset-x-0 px-1 pb-2"
      style={{ height: CARD_HEIGHT, transform: `translateY(${top}px)` }}
    >
      <div className="flex h-full flex-col gap-1.5 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
        <div className="flex items-start gap-2">
          <input
            type="checkbox"
            className="mt-1 size-4 shrink-0 rounded border-slate-400"
            checked={selected}
            onChange={(e) => actions.onSelect(space, e.target.checked)}
            aria-label={t('spaces.select', { name: space.name })}
          />
          <div className="min-w-0 flex-1">
            <button type="button" onClick={() => actions.onEdit(space)} className="block max-w-full truncate text-left font-medium text-slate-900 underline-offset-2 hover:underline">
              {space.name}
            </button>
            <p className="truncate text-xs text-slate-600">
              {[t(`kind.${space.kind as 'other'}`), space.location, space.capacity === null ? null : `${formatNumber(space.capacity)} ${t('spaces.col.capacity').toLowerCase()}`]
                .filter(Boolean)
                .join(' · ')}
              <SourceBadge space={space} />
            </p>
          </div>
          <RowMenu space={space} actions={actions} />
        </div>
        <PriceSummary space={space} />
        <div className="mt-auto flex items-end justify-between gap-2">
          <div className="min-w-0">
            <StatusBadge space={space} onReviewDrift={() => actions.onReviewDrift(space)} />
            <StripeEditsBadge space={space} onOpen={() => actions.onEdit(space)} />
          </div>
          <Button size="sm" variant="secondary" onClick={() => actions.onSync(space)} disabled={space.sync_status === 'syncing'}>
            {t('spaces.syncNow')}
          </Button>
        </div>
      </div>
    </li>
  );
});

const SpaceRow = memo(function SpaceRow({
  space,
  index,
  top,
  config,
  actions,
  selected,
}: {
  space: Space;
  index: number;
  top: number;
  config: AppConfig | undefined;
  actions: RowActions;
  selected: boolean;
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
      <div role="cell">
        <input
          type="checkbox"
          className="size-4 rounded border-slate-400"
          checked={selected}
          onChange={(e) => actions.onSelect(space, e.target.checked)}
          aria-label={t('spaces.select', { name: space.name })}
        />
      </div>
      <div role="cell" className="min-w-0">
        <button type="button" onClick={() => actions.onEdit(space)} className="block max-w-full truncate text-left font-medium text-slate-900 hover:text-indigo-700 hover:underline">
          {space.name}
        </button>
        <div className="truncate text-xs text-slate-600">
          {space.location ?? ''}
          {!space.active ? <span className="ml-1 rounded bg-slate-100 px-1 text-[10px] uppercase text-slate-700">{t('spaces.inactive')}</span> : null}
          <SourceBadge space={space} />
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
        <StripeEditsBadge space={space} onOpen={() => actions.onEdit(space)} />
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
          <span className="font-sans text-slate-600 italic">{t('spaces.noProduct')}</span>
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
        <RowMenu space={space} actions={actions} />
      </div>
    </div>
  );
});

export interface SpacesTableProps {
  spaces: Space[];
  /** Every matching space, or null when a search stopped counting (more than it says). */
  total: number | null;
  config: AppConfig | undefined;
  actions: RowActions;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore(): void;
  sort: SpaceSort;
  order: 'asc' | 'desc';
  onSort(sort: SpaceSort): void;
  selected: ReadonlySet<string>;
  onSelectAll(selected: boolean): void;
}

const SORTABLE: Array<{ sort: SpaceSort; label: 'spaces.col.name' | 'spaces.col.kind' | 'spaces.col.capacity' | 'spaces.col.status'; className?: string }> = [
  { sort: 'name', label: 'spaces.col.name' },
  { sort: 'kind', label: 'spaces.col.kind' },
  { sort: 'capacity', label: 'spaces.col.capacity', className: 'justify-end' },
];

function SortHeader({ sort, label, current, order, onSort, className = '' }: { sort: SpaceSort; label: string; current: SpaceSort; order: 'asc' | 'desc'; onSort(sort: SpaceSort): void; className?: string }) {
  const { t } = useI18n();
  const active = current === sort;
  return (
    <div role="columnheader" aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'} className={`flex ${className}`}>
      <button type="button" onClick={() => onSort(sort)} className="inline-flex items-center gap-1 uppercase hover:text-slate-900" data-sort={sort}>
        {label}
        <span aria-hidden className={active ? 'text-slate-900' : 'text-transparent'}>
          {order === 'asc' || !active ? '▲' : '▼'}
        </span>
        <span className="sr-only">{active ? `, ${order === 'asc' ? t('spaces.sortedAsc') : t('spaces.sortedDesc')}` : ''}</span>
      </button>
    </div>
  );
}

export function SpacesTable(props: SpacesTableProps) {
  const phone = useMediaQuery(PHONE_QUERY);
  return phone ? <SpacesCards {...props} /> : <SpacesGrid {...props} />;
}

/**
 * Keeps the row at the top of the view in place when rows are inserted or removed above it (a space
 * created elsewhere arrives at the top of the list while the admin is scrolled down).
 */
function useScrollAnchor(spaces: Space[], scrollRef: RefObject<HTMLDivElement | null>, itemHeight: number) {
  const anchor = useRef<{ id: string; index: number } | null>(null);
  const current = useRef(spaces);
  current.current = spaces;
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const previous = anchor.current;
    if (el && previous && el.scrollTop > 0) {
      const index = spaces.findIndex((s) => s.id === previous.id);
      if (index !== -1 && index !== previous.index) el.scrollTop += (index - previous.index) * itemHeight;
    }
    const top = el ? Math.floor(el.scrollTop / itemHeight) : 0;
    anchor.current = spaces[top] ? { id: spaces[top].id, index: top } : null;
  });
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const onScroll = () => {
      const rows = current.current;
      const top = Math.floor(el.scrollTop / itemHeight);
      anchor.current = rows[top] ? { id: rows[top].id, index: top } : null;
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, [scrollRef, itemHeight]);
}

function useLoadMore(spaces: Space[], lastIndex: number, hasMore: boolean, loadingMore: boolean, onLoadMore: () => void) {
  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= spaces.length - 40) onLoadMore();
  }, [hasMore, loadingMore, lastIndex, spaces.length, onLoadMore]);
}

function SpacesCards({ spaces, actions, hasMore, loadingMore, onLoadMore, selected }: SpacesTableProps) {
  const { t } = useI18n();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: spaces.length, getScrollElement: () => scrollRef.current, estimateSize: () => CARD_HEIGHT, overscan: 4 });
  const items = virtualizer.getVirtualItems();
  useLoadMore(spaces, items.at(-1)?.index ?? 0, hasMore, loadingMore, onLoadMore);
  useScrollAnchor(spaces, scrollRef, CARD_HEIGHT);
  return (
    <div ref={scrollRef} className="h-[calc(100dvh-15rem)] min-h-72 overflow-auto [overflow-anchor:none]" data-spaces-scroll>
      <ul aria-label={t('spaces.title')} className="relative w-full" style={{ height: virtualizer.getTotalSize() }} data-spaces-cards>
        {items.map((item) => (
          <SpaceCard key={spaces[item.index].id} space={spaces[item.index]} top={item.start} actions={actions} selected={selected.has(spaces[item.index].id)} />
        ))}
      </ul>
      {loadingMore ? (
        <div className="flex items-center justify-center gap-2 py-3 text-xs text-slate-600">
          <Spinner className="size-3.5" /> {t('spaces.loadingMore')}
        </div>
      ) : null}
    </div>
  );
}

function SpacesGrid({ spaces, total, config, actions, hasMore, loadingMore, onLoadMore, sort, order, onSort, selected, onSelectAll }: SpacesTableProps) {
  const { t, locale } = useI18n();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: spaces.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  useLoadMore(spaces, items.at(-1)?.index ?? 0, hasMore, loadingMore, onLoadMore);
  useScrollAnchor(spaces, scrollRef, ROW_HEIGHT);
  const allSelected = spaces.length > 0 && spaces.every((s) => selected.has(s.id));

  return (
    <div
      role="table"
      aria-label={t('spaces.title')}
      aria-rowcount={total === null ? -1 : total + 1}
      className="overflow-hidden rounded-lg bg-white shadow-sm ring-1 ring-slate-200"
      style={{ '--actions-w': ACTIONS_WIDTH[locale] } as CSSProperties}
    >
      <div role="rowgroup" className="border-b border-slate-200 bg-slate-50">
        <div role="row" aria-rowindex={1} className={`grid ${COLUMNS} gap-3 px-4 py-2 text-xs font-medium uppercase tracking-wide text-slate-600`}>
          <div role="columnheader">
            <input type="checkbox" className="size-4 rounded border-slate-400" checked={allSelected} onChange={(e) => onSelectAll(e.target.checked)} aria-label={t('spaces.selectAll')} />
          </div>
          {SORTABLE.map((c) => (
            <SortHeader key={c.sort} sort={c.sort} label={t(c.label)} current={sort} order={order} onSort={onSort} className={c.className} />
          ))}
          <div role="columnheader">{t('spaces.col.prices')}</div>
          <SortHeader sort="sync_status" label={t('spaces.col.status')} current={sort} order={order} onSort={onSort} />
          <div role="columnheader">{t('spaces.col.product')}</div>
          <div role="columnheader" className="text-right">
            <span className="sr-only">{t('spaces.col.actions')}</span>
          </div>
        </div>
      </div>
      <div ref={scrollRef} role="rowgroup" className="h-[calc(100vh-19rem)] min-h-80 overflow-auto [overflow-anchor:none]" data-spaces-scroll>
        <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => (
            <SpaceRow
              key={spaces[item.index].id}
              space={spaces[item.index]}
              index={item.index}
              top={item.start}
              config={config}
              actions={actions}
              selected={selected.has(spaces[item.index].id)}
            />
          ))}
        </div>
        {loadingMore ? (
          <div className="flex items-center justify-center gap-2 py-3 text-xs text-slate-600">
            <Spinner className="size-3.5" /> {t('spaces.loadingMore')}
          </div>
        ) : null}
      </div>
    </div>
  );
}
