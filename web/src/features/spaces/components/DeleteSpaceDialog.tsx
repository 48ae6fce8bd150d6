// Delete with confirmation: explains that Stripe archives the product and prices instead of deleting them.
import { AlertDialog } from 'radix-ui';
import type { MouseEvent } from 'react';
import { toast } from 'sonner';
import { buttonClass } from '../../../components/Button.tsx';
import { useErrorMessage } from '../../../components/ErrorNotice.tsx';
import { Spinner } from '../../../components/Spinner.tsx';
import { useI18n } from '../../../i18n/useI18n.tsx';
import { useDialogFocus } from '../../../lib/useDialogFocus.ts';
import { useReturnFocus } from '../../../lib/useReturnFocus.ts';
import { useDeleteSpace } from '../api/deleteSpace.ts';
import type { Space } from '../types.ts';

export function DeleteSpaceDialog({
  space,
  onOpenChange,
  returnFocus,
}: {
  space: (Pick<Space, 'id' | 'name' | 'stripe_product_id'> & Partial<Pick<Space, 'source'>>) | null;
  onOpenChange(open: boolean): void;
  returnFocus?: () => HTMLElement | null;
}) {
  const { t } = useI18n();
  const onCloseAutoFocus = useReturnFocus(space !== null, returnFocus);
  const focusFixes = useDialogFocus();
  const remove = useDeleteSpace();
  const errorMessage = useErrorMessage();
  const confirm = (e: MouseEvent) => {
    e.preventDefault(); // keep the dialog open until the API answers
    if (!space) return;
    remove.mutate(space.id, {
      onSuccess: () => {
        toast.success(t('toast.deleted', { name: space.name }));
        onOpenChange(false);
      },
      onError: (error) => toast.error(t('toast.failed', { error: errorMessage(error) })),
    });
  };
  return (
    <AlertDialog.Root open={space !== null} onOpenChange={onOpenChange}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <AlertDialog.Content {...focusFixes} onCloseAutoFocus={onCloseAutoFocus} className="fixed top-1/2 left-1/2 z-50 w-[min(30rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-6 shadow-2xl ring-1 ring-slate-200 focus:outline-none">
          <AlertDialog.Title className="text-base font-semibold text-slate-900">{t('delete.title', { name: space?.name ?? '' })}</AlertDialog.Title>
          <AlertDialog.Description asChild>
            <div className="mt-2 space-y-2 text-sm text-slate-600">
              <p>{t('delete.body')}</p>
              {space?.source ? <p data-source-note>{t('source.deleteNote', { source: space.source })}</p> : null}
              <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-900 ring-1 ring-inset ring-amber-200">{t('delete.stripe')}</p>
              {space?.stripe_product_id ? <p className="font-mono text-xs text-slate-500">{space.stripe_product_id}</p> : null}
            </div>
          </AlertDialog.Description>
          <div className="mt-5 flex justify-end gap-2">
            <AlertDialog.Cancel className={buttonClass('secondary')}>{t('common.cancel')}</AlertDialog.Cancel>
            <AlertDialog.Action className={buttonClass('danger')} onClick={confirm} disabled={remove.isPending}>
              {remove.isPending ? <Spinner className="size-3.5" /> : null}
              {remove.isPending ? t('delete.deleting') : t('delete.confirm')}
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
