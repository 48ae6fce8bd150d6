// Live progress of an apply run (done/total, Stripe calls, failures) from `catalog_run` stream events.
import { useI18n } from '../../../i18n/useI18n.tsx';
import type { CatalogRun } from '../types.ts';

export function RunProgress({ run }: { run: CatalogRun }) {
  const { t, formatNumber } = useI18n();
  const total = run.total ?? 0;
  const done = run.done ?? 0;
  const failed = run.failed ?? 0;
  const finished = run.status === 'done' || run.status === 'failed';
  const pct = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : finished ? 100 : 0;
  return (
    <div className="space-y-2" data-run-progress data-run-status={run.status}>
      <div className="flex items-baseline justify-between text-sm">
        <span className="font-medium text-slate-800">
          {t('catalog.progress', { done: formatNumber(done), total: formatNumber(total) })}
          <span className="ml-2 text-xs font-normal text-slate-500">{t(`catalog.status.${run.status}`)}</span>
        </span>
        <span className="flex gap-3 text-xs text-slate-500">
          <span data-run-calls>{t('catalog.calls', { n: formatNumber(run.calls ?? 0) })}</span>
          {failed > 0 ? <span className="font-medium text-red-600">{t('catalog.failedCount', { n: formatNumber(failed) })}</span> : null}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label={t('catalog.progressLabel')}
        aria-valuemin={0}
        aria-valuemax={total || 1}
        aria-valuenow={done}
        aria-valuetext={t('catalog.progress', { done, total })}
        className="h-2.5 overflow-hidden rounded-full bg-slate-200"
      >
        <div
          className={`h-full rounded-full transition-[width] duration-300 ${failed > 0 ? 'bg-amber-500' : run.status === 'failed' ? 'bg-red-500' : 'bg-indigo-600'} ${finished ? '' : 'progress-active'}`}
          style={{ width: `${pct}%` }}
        />
      </div>
    </div>
  );
}
