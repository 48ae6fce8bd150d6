// Logs: filters (space, minimum level, source, since) kept in the URL, newest first, older pages on
// demand. Live updates: `log` stream events refresh the list (batched), with a 10 s poll as fallback.
import { useQueryClient } from '@tanstack/react-query';
import { Fragment, useEffect, useMemo, useState } from 'react';
import { Button } from '../../../components/Button.tsx';
import { DateTimeField } from '../../../components/DateTimeField.tsx';
import { ErrorNotice } from '../../../components/ErrorNotice.tsx';
import { inputClass } from '../../../components/Field.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { Spinner } from '../../../components/Spinner.tsx';
import { useI18n } from '../../../i18n/useI18n.tsx';
import { setSearchParams, useLocation } from '../../../lib/router.ts';
import { onLogEvent } from '../../stream/applyStreamEvents.ts';
import { logKeys, useLogs } from '../api/listLogs.ts';
import { logMessage } from '../logWords.ts';
import { LOG_LEVELS, isLogLevel, type LogFilters, type LogRow } from '../types.ts';

const SOURCES = ['api', 'worker', 'sync', 'webhook', 'catalog', 'stripe'];

const levelLooks: Record<string, string> = {
  trace: 'bg-slate-100 text-slate-600',
  debug: 'bg-slate-100 text-slate-600',
  info: 'bg-sky-50 text-sky-700',
  warn: 'bg-amber-50 text-amber-800',
  error: 'bg-red-50 text-red-700',
  fatal: 'bg-red-600 text-white',
};

function LogRowView({ row }: { row: LogRow }) {
  const i18n = useI18n();
  const { t, formatDateTime, formatNumber } = i18n;
  const message = logMessage(i18n, row);
  const [open, setOpen] = useState(false);
  const hasDetails = (row.context && Object.keys(row.context).length > 0) || row.stripe_request_id;
  return (
    <Fragment>
      <tr className="border-b border-slate-100 align-top hover:bg-slate-50" data-log-id={row.id} data-log-event={row.event}>
        <td className="py-1.5 pr-3 pl-4 text-xs whitespace-nowrap text-slate-600 tabular-nums">
          <time dateTime={row.created_at}>{formatDateTime(row.created_at)}</time>
        </td>
        <td className="py-1.5 pr-3">
          <span className={`rounded px-1.5 py-0.5 text-[11px] font-medium uppercase ${levelLooks[row.level] ?? levelLooks.info}`} data-log-level={row.level}>
            {isLogLevel(row.level) ? t(`level.${row.level}`) : row.level}
          </span>
        </td>
        <td className="py-1.5 pr-3 text-xs text-slate-600">{row.source}</td>
        <td className="py-1.5 pr-3 font-mono text-xs text-slate-700">{row.event}</td>
        <td className="py-1.5 pr-3 font-mono text-[11px] text-slate-600">
          {row.space_id ? (
            <button type="button" className="hover:text-indigo-600 hover:underline" title={row.space_id} onClick={() => setSearchParams({ space_id: row.space_id })}>
              {row.space_name ?? row.space_id.slice(0, 8)}
            </button>
          ) : null}
        </td>
        <td className="py-1.5 pr-3 text-sm text-slate-800">
          <div className="flex items-start gap-2">
            <span className="break-words" lang={message === row.message && i18n.locale !== 'en' ? 'en' : undefined} data-log-message>
              {message}
            </span>
            {hasDetails ? (
              <button type="button" aria-expanded={open} className="ml-auto shrink-0 text-xs text-indigo-600 hover:underline" onClick={() => setOpen(!open)}>
                {t('logs.details')}
              </button>
            ) : null}
          </div>
        </td>
        <td className="py-1.5 pr-4 text-right text-xs whitespace-nowrap text-slate-600 tabular-nums">{row.duration_ms !== null && row.duration_ms !== undefined ? `${formatNumber(Math.round(Number(row.duration_ms) * 10) / 10)} ms` : ''}</td>
      </tr>
      {open ? (
        <tr className="border-b border-slate-100 bg-slate-50">
          <td colSpan={7} className="px-4 py-2">
            {row.stripe_request_id ? <p className="mb-1 font-mono text-xs text-slate-600">{t('logs.requestId', { id: row.stripe_request_id })}</p> : null}
            {row.context ? <pre className="max-h-64 overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100">{JSON.stringify(row.context, null, 2)}</pre> : null}
          </td>
        </tr>
      ) : null}
    </Fragment>
  );
}

export function LogsPage() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const { search } = useLocation();
  const filters: LogFilters = useMemo(
    () => ({
      space_id: search.get('space_id') ?? undefined,
      space: search.get('space') ?? undefined,
      level: search.get('level') ?? undefined,
      source: search.get('source') ?? undefined,
      since: search.get('since') ?? undefined,
    }),
    [search],
  );
  const [live, setLive] = useState(true);
  const [spaceInput, setSpaceInput] = useState(filters.space ?? filters.space_id ?? '');
  useEffect(() => setSpaceInput(filters.space ?? filters.space_id ?? ''), [filters.space, filters.space_id]);
  // A uuid names one space exactly; anything else is part of a name.
  const spaceFilter = (text: string) => {
    const v = text.trim();
    return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v) ? { space_id: v, space: undefined } : { space: v || undefined, space_id: undefined };
  };
  const logs = useLogs(filters, live ? 10_000 : false);
  const rows = useMemo(() => logs.data?.pages.flatMap((p) => p.data) ?? [], [logs.data]);

  // New entries: refresh the first page, at most twice a second.
  useEffect(() => {
    if (!live) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = onLogEvent(() => {
      timer ??= setTimeout(() => {
        timer = undefined;
        void queryClient.invalidateQueries({ queryKey: logKeys.list(filters) });
      }, 500);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [live, filters, queryClient]);

  const update = (patch: Partial<LogFilters>) => setSearchParams({ ...filters, ...patch });
  const anyFilter = Object.values(filters).some(Boolean);

  return (
    <>
      <PageHeader title={t('logs.title')} subtitle={t('logs.subtitle')} />
      <form
        className="mb-3 flex flex-wrap items-start gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          const source = (e.currentTarget.elements.namedItem('source') as HTMLInputElement | null)?.value.trim();
          update({ ...spaceFilter(spaceInput), source: source || undefined });
        }}
      >
        <div className="w-full sm:w-80">
          <label htmlFor="logs-space" className="mb-1 block text-xs font-medium text-slate-700">
            {t('logs.space')}
          </label>
          <input
            id="logs-space"
            className={inputClass}
            type="search"
            value={spaceInput}
            onChange={(e) => setSpaceInput(e.target.value)}
            onBlur={() => update(spaceFilter(spaceInput))}
            placeholder={t('spaces.searchPlaceholder')}
          />
        </div>
        <div className="w-40">
          <label htmlFor="logs-level" className="mb-1 block text-xs font-medium text-slate-700">
            {t('logs.level')}
          </label>
          <select id="logs-level" className={inputClass} value={filters.level ?? ''} onChange={(e) => update({ level: e.target.value || undefined })}>
            <option value="">{t('logs.anyLevel')}</option>
            {LOG_LEVELS.map((l) => (
              <option key={l} value={l}>
                {t(`level.${l}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="w-40">
          <label htmlFor="logs-source" className="mb-1 block text-xs font-medium text-slate-700">
            {t('logs.source')}
          </label>
          <input id="logs-source" name="source" list="logs-sources" className={inputClass} defaultValue={filters.source ?? ''} key={filters.source ?? ''} onBlur={(e) => update({ source: e.target.value.trim() || undefined })} placeholder={t('logs.anySource')} />
          <datalist id="logs-sources">
            {SOURCES.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </div>
        <DateTimeField className="w-52" label={t('logs.since')} value={filters.since} onChange={(since) => update({ since })} />
        <label className="mt-5 inline-flex h-8 items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" className="size-4 rounded border-slate-300 text-indigo-600" checked={live} onChange={(e) => setLive(e.target.checked)} />
          {t('logs.auto')}
          {live && logs.isFetching ? <Spinner className="size-3 text-slate-600" /> : null}
        </label>
        {anyFilter ? (
          <Button size="sm" variant="ghost" className="mt-5" onClick={() => setSearchParams({})}>
            {t('logs.clear')}
          </Button>
        ) : null}
        <button type="submit" className="sr-only">
          {t('spaces.search')}
        </button>
      </form>
      {logs.error ? (
        <ErrorNotice error={logs.error} onRetry={() => void logs.refetch()} />
      ) : logs.isPending ? (
        <div className="grid h-64 place-items-center rounded-lg bg-white ring-1 ring-slate-200">
          <Spinner label={t('common.loading')} className="size-6 text-slate-600" />
        </div>
      ) : rows.length === 0 ? (
        <div className="grid h-48 place-items-center rounded-lg border border-dashed border-slate-300 bg-white text-sm text-slate-600">{t('logs.empty')}</div>
      ) : (
        <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          <table className="w-full text-left" data-logs-table>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="py-2 pr-3 pl-4 font-medium">{t('logs.col.time')}</th>
                <th scope="col" className="py-2 pr-3 font-medium">{t('logs.col.level')}</th>
                <th scope="col" className="py-2 pr-3 font-medium">{t('logs.col.source')}</th>
                <th scope="col" className="py-2 pr-3 font-medium">{t('logs.col.event')}</th>
                <th scope="col" className="py-2 pr-3 font-medium">{t('logs.col.space')}</th>
                <th scope="col" className="py-2 pr-3 font-medium">{t('logs.col.message')}</th>
                <th scope="col" className="py-2 pr-4 text-right font-medium">{t('logs.col.duration')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <LogRowView key={row.id} row={row} />
              ))}
            </tbody>
          </table>
          {logs.hasNextPage ? (
            <div className="border-t border-slate-100 p-3 text-center">
              <Button size="sm" onClick={() => void logs.fetchNextPage()} loading={logs.isFetchingNextPage}>
                {t('logs.loadMore')}
              </Button>
            </div>
          ) : null}
        </div>
      )}
    </>
  );
}
