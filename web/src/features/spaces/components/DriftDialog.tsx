// Drift review: the fields Stripe changed (catalog value, Stripe value) and the two ways out, Enforce
// (write the catalog back to Stripe) or Adopt (copy Stripe's values into the catalog).
import { useQueryClient } from '@tanstack/react-query';
import { Dialog } from 'radix-ui';
import { toast } from 'sonner';
import { Button } from '../../../components/Button.tsx';
import { useErrorMessage } from '../../../components/ErrorNotice.tsx';
import { Spinner } from '../../../components/Spinner.tsx';
import { useI18n } from '../../../i18n/useI18n.tsx';
import { useDialogFocus } from '../../../lib/useDialogFocus.ts';
import { useReturnFocus } from '../../../lib/useReturnFocus.ts';
import { useConfig } from '../../config/api/getConfig.ts';
import { useSpace } from '../api/getSpace.ts';
import { useResolveDrift, type DriftAction } from '../api/resolveDrift.ts';
import { trackSync } from '../trackSync.ts';
import { fieldLabel, valueWords } from '../driftWords.ts';
import type { DriftField } from '../types.ts';

/** Tolerates the usual spellings of the two sides. */
function sides(f: DriftField & Record<string, unknown>): { catalog: unknown; stripe: unknown } {
  return {
    catalog: 'catalog' in f ? f.catalog : (f.expected ?? f.ours ?? f.desired),
    stripe: 'stripe' in f ? f.stripe : (f.actual ?? f.theirs),
  };
}

export function DriftDialog({
  spaceId,
  onOpenChange,
  returnFocus,
}: {
  spaceId: string | null;
  onOpenChange(open: boolean): void;
  returnFocus?: () => HTMLElement | null;
}) {
  const i18n = useI18n();
  const onCloseAutoFocus = useReturnFocus(spaceId !== null, returnFocus);
  const focusFixes = useDialogFocus();
  const { t, formatRelative } = i18n;
  const queryClient = useQueryClient();
  const space = useSpace(spaceId);
  const config = useConfig().data;
  const resolve = useResolveDrift();
  const errorMessage = useErrorMessage();
  const s = space.data;
  const fields = (s?.drift?.fields ?? []) as (DriftField & Record<string, unknown>)[];
  const act = (action: DriftAction) => {
    if (!s) return;
    const since = performance.now();
    resolve.mutate(
      { id: s.id, action },
      {
        onSuccess: () => {
          onOpenChange(false);
          trackSync({ space: s, since, minVersion: null, message: t('toast.driftQueued', { name: s.name }), i18n, queryClient });
        },
        onError: (error) => toast.error(t('toast.failed', { error: errorMessage(error) })),
      },
    );
  };
  return (
    <Dialog.Root open={spaceId !== null} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <Dialog.Content {...focusFixes} onCloseAutoFocus={onCloseAutoFocus} className="fixed top-1/2 left-1/2 z-50 w-[min(44rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white shadow-2xl ring-1 ring-slate-200 focus:outline-none">
          <div className="border-b border-slate-200 px-6 py-4">
            <Dialog.Title className="flex items-center gap-2 text-base font-semibold text-slate-900">
              <span className="grid size-6 place-items-center rounded-full bg-amber-100 text-amber-700" aria-hidden>
                !
              </span>
              {t('drift.title', { name: s?.name ?? '' })}
            </Dialog.Title>
            <Dialog.Description className="mt-1 text-sm text-slate-500">{t('drift.body')}</Dialog.Description>
          </div>
          <div className="px-6 py-4">
            {space.isPending ? (
              <div className="grid h-24 place-items-center">
                <Spinner label={t('common.loading')} />
              </div>
            ) : s && s.sync_status !== 'drift' && !s.drift ? (
              <p className="text-sm text-slate-600">{t('drift.noDrift')}</p>
            ) : fields.length === 0 ? (
              <p className="text-sm text-slate-600">{t('drift.none')}</p>
            ) : (
              <table className="w-full text-left text-sm" data-drift-fields>
                <thead>
                  <tr className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
                    <th scope="col" className="py-2 pr-3 font-medium">{t('drift.field')}</th>
                    <th scope="col" className="py-2 pr-3 font-medium">{t('drift.catalog')}</th>
                    <th scope="col" className="py-2 font-medium">{t('drift.stripe')}</th>
                  </tr>
                </thead>
                <tbody>
                  {fields.map((f, i) => {
                    const v = sides(f);
                    return (
                      <tr key={`${f.field}-${i}`} className="border-b border-slate-100 align-top last:border-0">
                        <th scope="row" className="py-2 pr-3 text-xs font-normal text-slate-700" data-drift-field={f.field}>
                          {fieldLabel(i18n, f.field)}
                        </th>
                        <td className="py-2 pr-3 break-all text-emerald-800">{valueWords(i18n, v.catalog)}</td>
                        <td className="py-2 break-all text-amber-800">{valueWords(i18n, v.stripe)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
            <div className="mt-3 flex flex-wrap gap-x-4 text-xs text-slate-500">
              {typeof s?.drift?.detected_at === 'string' ? <span>{t('drift.detectedAt', { time: formatRelative(s.drift.detected_at) })}</span> : null}
              {config?.driftPolicy ? (
                <span data-drift-policy={config.driftPolicy}>
                  {t('drift.policy', { policy: config.driftPolicy === 'enforce' || config.driftPolicy === 'adopt' ? t(`driftPolicy.${config.driftPolicy}`) : config.driftPolicy })}
                </span>
              ) : null}
            </div>
          </div>
          <div className="flex flex-wrap items-center justify-end gap-2 border-t border-slate-200 bg-slate-50 px-6 py-3">
            <Dialog.Close asChild>
              <Button className="mr-auto">{t('common.close')}</Button>
            </Dialog.Close>
            <Button onClick={() => act('adopt')} disabled={!s || resolve.isPending} title={t('drift.adoptHint')}>
              {t('drift.adopt')}
            </Button>
            <Button variant="primary" onClick={() => act('enforce')} disabled={!s} loading={resolve.isPending} title={t('drift.enforceHint')}>
              {t('drift.enforce')}
            </Button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
