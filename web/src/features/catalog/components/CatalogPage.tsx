// Catalog sync: compute a plan (dry run), review it grouped by kind, apply it once with live progress
// (each entry pending, done, failed, or changed since the plan and so not applied, the time left),
// saying when a run waits behind other syncs and which changes appeared since the plan.
import { AlertDialog } from 'radix-ui';
import { toast } from 'sonner';
import { Button, buttonClass } from '../../../components/Button.tsx';
import { ErrorNotice, useErrorMessage } from '../../../components/ErrorNotice.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { Spinner } from '../../../components/Spinner.tsx';
import { useI18n } from '../../../i18n/useI18n.tsx';
import { setSearchParams, useLocation } from '../../../lib/router.ts';
import { useConfig } from '../../config/api/getConfig.ts';
import { useCatalogRun } from '../api/getCatalogRun.ts';
import { useRunOutcomes } from '../api/getRunOutcomes.ts';
import { useStartCatalogRun } from '../api/startCatalogRun.ts';
import { entryStatus, type CatalogRun, type PlanEntry } from '../types.ts';
import { PlanView } from './PlanView.tsx';
import { RunProgress } from './RunProgress.tsx';

/** A run not started yet: its job waits in the queue behind other syncs. */
function QueuedNotice({ run }: { run: CatalogRun }) {
  const { t } = useI18n();
  if (run.status !== 'queued') return null;
  return (
    <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-inset ring-amber-200" data-run-queued>
      {t('catalog.queued')}
    </p>
  );
}

/** After an apply: the entries it left because they changed since the plan, and the changes that appeared. */
function LeftForANewPlan({ run }: { run: CatalogRun }) {
  const { tp } = useI18n();
  const stale = run.stale ?? 0;
  const appeared = run.plan?.appeared?.length ?? 0;
  if (run.status !== 'done' || (stale === 0 && appeared === 0)) return null;
  return (
    <div className="space-y-1 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-inset ring-amber-200">
      {stale > 0 ? <p data-run-stale>{tp('catalog.resultStale', stale)}</p> : null}
      {appeared > 0 ? <p data-run-appeared>{tp('catalog.resultAppeared', appeared)}</p> : null}
    </div>
  );
}

function RunCaption({ run }: { run: CatalogRun }) {
  const { t, formatDateTime } = useI18n();
  return (
    <p className="text-xs text-slate-500">
      {t('catalog.runInfo', { id: run.id.slice(0, 8), status: t(`catalog.status.${run.status}`) })}
      {run.finished_at ? ` · ${formatDateTime(run.finished_at)}` : ''}
    </p>
  );
}

export function CatalogPage() {
  const { t } = useI18n();
  const { search } = useLocation();
  const planId = search.get('plan');
  const applyId = search.get('apply');
  const planRun = useCatalogRun(planId);
  const applyRun = useCatalogRun(applyId);
  const start = useStartCatalogRun();
  const config = useConfig().data;
  const errorMessage = useErrorMessage();

  const startRun = (dryRun: boolean) =>
    start.mutate(dryRun ? { dryRun } : { dryRun, planId }, {
      onSuccess: ({ run_id }) => setSearchParams(dryRun ? { plan: run_id } : { plan: planId, apply: run_id }),
      onError: (error) => toast.error(t('toast.failed', { error: errorMessage(error) })),
    });

  const plan = planRun.data;
  const planning = plan ? plan.status === 'queued' || plan.status === 'planning' : planId !== null;
  const planned = plan?.status === 'planned' || (plan?.status === 'done' && plan.dry_run);
  const apply = applyRun.data;
  const applying = apply ? !['done', 'failed', 'interrupted'].includes(apply.status) : applyId !== null;
  const outcomes = useRunOutcomes(applyId, applying).data;
  const calls = plan?.plan?.calls ?? plan?.calls ?? 0;
  const nothingToDo = plan?.plan ? plan.plan.entries.every((e) => e.kind === 'unchanged') : false;
  // A plan is applied once (the server refuses a second apply too).
  const appliedBy = plan?.applied_by ?? (apply?.applies_plan === planId ? apply?.id : null) ?? null;
  // While applying and after, the plan shown is the one the run applies, with each entry's status.
  const applyPlan = apply && apply.status !== 'queued' && apply.status !== 'planning' ? apply.plan : null;
  const statusOf = applyPlan ? (entry: PlanEntry) => entryStatus(outcomes?.byEntry, entry) : undefined;

  return (
    <>
      <PageHeader
        title={t('catalog.title')}
        subtitle={t('catalog.subtitle')}
        actions={
          <>
            <Button onClick={() => startRun(true)} loading={start.isPending && start.variables?.dryRun === true} disabled={planning || applying}>
              {plan ? t('catalog.replan') : t('catalog.plan')}
            </Button>
            <AlertDialog.Root>
              <AlertDialog.Trigger asChild>
                <Button variant="primary" disabled={!planned || applying || nothingToDo || start.isPending || appliedBy !== null} loading={applying} data-apply-button>
                  {applying ? t('catalog.applying') : t('catalog.apply')}
                </Button>
              </AlertDialog.Trigger>
              <AlertDialog.Portal>
                <AlertDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
                <AlertDialog.Content className="fixed top-1/2 left-1/2 z-50 w-[min(28rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-6 shadow-2xl ring-1 ring-slate-200">
                  <AlertDialog.Title className="text-base font-semibold">{t('catalog.applyTitle')}</AlertDialog.Title>
                  <AlertDialog.Description className="mt-2 text-sm text-slate-600">{t('catalog.applyBody', { calls })}</AlertDialog.Description>
                  <p className="mt-2 text-sm text-slate-600" data-apply-only-reviewed>
                    {t('catalog.applyOnlyReviewed')}
                  </p>
                  <div className="mt-5 flex justify-end gap-2">
                    <AlertDialog.Cancel className={buttonClass('secondary')}>{t('common.cancel')}</AlertDialog.Cancel>
                    <AlertDialog.Action className={buttonClass('primary')} onClick={() => startRun(false)}>
                      {t('catalog.apply')}
                    </AlertDialog.Action>
                  </div>
                </AlertDialog.Content>
              </AlertDialog.Portal>
            </AlertDialog.Root>
          </>
        }
      />
      <div className="space-y-5">
        {applyId ? (
          <section className="space-y-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-live="polite" data-apply-run>
            {apply ? (
              <>
                <QueuedNotice run={apply} />
                <RunProgress run={apply} />
                <RunCaption run={apply} />
                {apply.status === 'done' ? (
                  <p className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800" data-run-result>
                    {t('catalog.resultDone', { done: apply.done ?? 0, total: apply.total ?? 0, failed: apply.failed ?? 0, calls: apply.calls ?? 0 })}
                  </p>
                ) : null}
                <LeftForANewPlan run={apply} />
                {apply.status === 'failed' ? (
                  <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" data-run-result>
                    {t('catalog.resultFailed', { error: apply.error ?? '' })}
                  </p>
                ) : null}
              </>
            ) : applyRun.error ? (
              <ErrorNotice error={applyRun.error} onRetry={() => void applyRun.refetch()} />
            ) : (
              <Spinner label={t('common.loading')} />
            )}
          </section>
        ) : null}
        {planRun.error ? <ErrorNotice error={planRun.error} onRetry={() => void planRun.refetch()} /> : null}
        {!planId ? (
          <div className="grid h-48 place-items-center rounded-lg border border-dashed border-slate-300 bg-white px-6 text-center text-sm text-slate-500">{t('catalog.none')}</div>
        ) : planning ? (
          <div className="space-y-3">
          {plan ? <QueuedNotice run={plan} /> : null}
          <div className="flex h-32 items-center justify-center gap-3 rounded-lg bg-white text-sm text-slate-600 ring-1 ring-slate-200" aria-live="polite">
            <Spinner /> {t('catalog.planning')}
          </div>
          </div>
        ) : plan?.status === 'failed' ? (
          <p role="alert" className="rounded-md bg-red-50 px-4 py-3 text-sm text-red-700 ring-1 ring-inset ring-red-200">
            {t('catalog.resultFailed', { error: plan.error ?? '' })}
          </p>
        ) : plan?.plan ? (
          <div className="space-y-2">
            <RunCaption run={plan} />
            {appliedBy && !applyId ? (
              <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700" data-plan-applied>
                {t('catalog.appliedAlready', { id: appliedBy.slice(0, 8) })}
              </p>
            ) : null}
            <PlanView plan={applyPlan ?? plan.plan} config={config} statusOf={statusOf} />
          </div>
        ) : null}
      </div>
    </>
  );
}
