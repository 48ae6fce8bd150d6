// Live progress of an apply run (done/total, Stripe calls, failures, entries changed since the plan,
// the time left at the rate so far)
// from `catalog_run` stream events.
import { useEffect, useState } from 'react';
import { useI18n } from '../../../i18n/useI18n.tsx';
import { estimateTimeLeft, timeLeftParts } from '../timeLeft.ts';
import type { CatalogRun } from '../types.ts';

/** "About 12 seconds left", counted down each second between progress updates. */
function TimeLeft({ run }: { run: CatalogRun }) {
  const { t, locale } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const ms = estimateTimeLeft({ total: run.total ?? 0, processed: (run.done ?? 0) + (run.failed ?? 0) + (run.stale ?? 0), startedAt: run.apply_started_at ?? null }, now);
  if (ms === null) return null;
  const { value, unit } = timeLeftParts(ms);
  const time = new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'unit', unit, unitDisplay: 'long' }).format(value);
  return <span data-time-left={Math.round(ms / 1000)}>{t('catalog.timeLeft', { time })}</span>;
}

export function RunProgress({ run }: { run: CatalogRun }) {
  const { t, formatNumber } = useI18n();
  const total = run.total ?? 0;
  const done = run.done ?? 0;
  const failed = run.failed ?? 0;
  const stale = run.stale ?? 0;
  const finished = run.status === 'done' || run.status === 'failed';
  const pct = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : finished ? 100 : 0;
  return (
    <div className="space-y-2" data-run-progress data-run-status={run.status}>
      <div className="flex items-baseline justify-between text-sm">
        <span className="font-medium text-slate-800">
          {t('catalog.progress', { done: formatNumber(done), total: formatNumber(total) })}
          <span className="ml-2 text-xs font-normal text-slate-500">{t(`catalog.status.${run.status}`)}</span>
        </span>
        <span className="flex flex-wrap justify-end gap-x-3 text-xs text-slate-600">
          {run.status === 'applying' ? <TimeLeft run={run} /> : null}
          <span data-run-calls>{t('catalog.calls', { n: formatNumber(run.calls ?? 0) })}</span>
          {failed > 0 ? <span className="font-medium text-red-600">{t('catalog.failedCount', { n: formatNumber(failed) })}</span> : null}
          {stale > 0 ? (
            <span className="font-medium text-amber-800" data-run-stale-count>
              {t('catalog.staleCount', { n: formatNumber(stale) })}
            </span>
          ) : null}
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
