// Create or edit a space with its prices (Radix Dialog). Validation is the shared spaceInputSchema,
// shown under each field before anything is sent; the API's 400 `fields` land on the same fields.
// After a save the dialog closes and a toast follows the sync through the live stream.
import { useQueryClient } from '@tanstack/react-query';
import { Dialog } from 'radix-ui';
import { useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { FormProvider, useFieldArray, useForm, useFormContext, type FieldPath } from 'react-hook-form';
import { Button } from '../../../components/Button.tsx';
import { useErrorMessage } from '../../../components/ErrorNotice.tsx';
import { Field, FieldError, inputClass } from '../../../components/Field.tsx';
import { Spinner } from '../../../components/Spinner.tsx';
import { useI18n } from '../../../i18n/useI18n.tsx';
import { ApiError } from '../../../lib/api.ts';
import { SPACE_KINDS, STRIPE_CURRENCIES } from '../../../lib/catalog.ts';
import { useDialogFocus } from '../../../lib/useDialogFocus.ts';
import { useReturnFocus } from '../../../lib/useReturnFocus.ts';
import { LIMITS, type SpaceInput } from '../../../lib/validation.ts';
import { useSpace } from '../api/getSpace.ts';
import { useSaveSpace } from '../api/saveSpace.ts';
import { emptySpaceForm, formPath, spaceFormResolver, spaceToForm, type SpaceFormValues } from '../spaceForm.ts';
import { readOnlyHint } from '../readOnlyHint.ts';
import { trackSync } from '../trackSync.ts';
import type { Space } from '../types.ts';
import { PriceRows } from './PriceRows.tsx';
import { StripeEdits } from './StripeEdits.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { PlusIcon, CloseIcon } from '../../../components/icons.tsx';

export interface SpaceDialogProps {
  /** null: create a new space. */
  spaceId: string | null;
  open: boolean;
  onOpenChange(open: boolean): void;
  onReviewDrift?(spaceId: string): void;
  /** Where focus goes on close when the element that opened the dialog is gone. */
  returnFocus?: () => HTMLElement | null;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="space-y-3">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h3>
      {children}
    </section>
  );
}

function ImageFields() {
  const { t } = useI18n();
  const form = useFormContext<SpaceFormValues>();
  const { fields, append, remove } = useFieldArray({ control: form.control, name: 'images' });
  const errors = form.formState.errors.images;
  return (
    <div className="space-y-2">
      {fields.map((field, index) => (
        <div key={field.id} className="flex items-start gap-2">
          <Field label={t('field.imageUrl', { n: index + 1 })} srLabel error={errors?.[index]?.url?.message} className="flex-1">
            <input className={inputClass} type="url" placeholder="https://" {...form.register(`images.${index}.url`)} />
          </Field>
          <Button variant="ghost" size="sm" className="mt-0.5" onClick={() => remove(index)} aria-label={t('field.removeImage', { n: index + 1 })}>
            <CloseIcon />
          </Button>
        </div>
      ))}
      <FieldError message={errors?.root?.message ?? errors?.message} />
      <div className="flex items-center gap-3">
        <Button size="sm" onClick={() => append({ url: '' }, { shouldFocus: true })} disabled={fields.length >= LIMITS.imagesMax} icon={<PlusIcon />}>
          {t('field.addImage')}
        </Button>
        <span className="text-xs text-slate-500">{t('field.imagesHint')}</span>
      </div>
    </div>
  );
}


function SpaceForm({ space, onDone, onReviewDrift, onDirty }: { space: Space | null; onDone(): void; onReviewDrift?(id: string): void; onDirty(dirty: boolean): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const queryClient = useQueryClient();
  const save = useSaveSpace();
  const errorMessage = useErrorMessage();
  const resolver = useMemo(() => spaceFormResolver(i18n), [i18n]);
  const form = useForm<SpaceFormValues, unknown, SpaceInput>({
    defaultValues: space ? spaceToForm(space) : emptySpaceForm(),
    resolver,
    mode: 'onTouched',
    reValidateMode: 'onChange',
  });
  const { register, handleSubmit, formState, setError } = form;
  const errors = formState.errors;
  onDirty(formState.isDirty && !formState.isSubmitSuccessful);

  const onSubmit = async (input: SpaceInput) => {
    const since = performance.now();
    try {
      const saved = await save.mutateAsync({ id: space?.id ?? null, input });
      onDone();
      trackSync({
        space: saved,
        since,
        minVersion: saved.version,
        message: t('toast.saved', { name: saved.name }),
        i18n,
        queryClient,
        onReviewDrift,
      });
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && Object.keys(error.fields).length > 0) {
        let first = true;
        for (const [path, message] of Object.entries(error.fields)) {
          setError(formPath(path) as FieldPath<SpaceFormValues>, { type: 'server', message }, { shouldFocus: first });
          first = false;
        }
      } else {
        setError('root.server', { type: 'server', message: errorMessage(error) });
      }
    }
  };

  const hasErrors = Object.keys(errors).length > 0;
  // An attached space: fields its mapping does not read from a plain column are shown disabled, with why.
  const ro = (field: string) => readOnlyHint(space, field, t);
  return (
    <FormProvider {...form}>
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="flex min-h-0 flex-1 flex-col">
        <div className="min-h-0 flex-1 space-y-6 overflow-y-auto px-4 py-5 sm:px-6">
          {hasErrors && formState.isSubmitted ? (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200">
              {t('dialog.fixErrors')}
              {errors.root?.server?.message ? <span className="mt-1 block">{errors.root.server.message}</span> : null}
            </p>
          ) : null}
          {space ? (
            <div className="flex items-center justify-between gap-4 rounded-md bg-slate-50 px-3 py-2 ring-1 ring-inset ring-slate-200">
              <span className="text-xs font-medium text-slate-600">{t('dialog.syncState')}</span>
              <div className="flex min-w-0 items-center gap-3">
                {space.stripe_product_id ? <code className="text-[11px] text-slate-500">{space.stripe_product_id}</code> : null}
                <StatusBadge space={space} />
              </div>
            </div>
          ) : null}
          {space?.source_table ? (
            <p className="rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-900 ring-1 ring-inset ring-sky-200" data-source-note>
              {t('source.editNote', { table: space.source_table })}
            </p>
          ) : null}
          {space ? <StripeEdits spaceId={space.id} /> : null}
          <Section title={t('dialog.section.details')}>
            <div className="grid grid-cols-1 gap-4 sm:grid-cols-6">
              <Field label={t('field.name')} error={errors.name?.message} hint={ro('name') ?? undefined} className="sm:col-span-4">
                <input className={inputClass} autoComplete="off" {...register('name')} disabled={!!ro('name')} />
              </Field>
              <Field label={t('field.kind')} error={errors.kind?.message} hint={ro('kind') ?? undefined} className="sm:col-span-2">
                <select className={inputClass} {...register('kind')} disabled={!!ro('kind')}>
                  {SPACE_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {t(`kind.${k}`)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label={t('field.location')} error={errors.location?.message} hint={ro('location') ?? undefined} className="sm:col-span-3">
                <input className={inputClass} placeholder={t('field.locationPlaceholder')} {...register('location')} disabled={!!ro('location')} />
              </Field>
              <Field label={t('field.capacity')} error={errors.capacity?.message} hint={ro('capacity') ?? t('field.capacityHint')} className="sm:col-span-2">
                <input className={`${inputClass} tabular-nums`} type="number" min={LIMITS.capacityMin} max={LIMITS.capacityMax} step={1} inputMode="numeric" {...register('capacity')} disabled={!!ro('capacity')} />
              </Field>
              <Field label={t('field.currency')} error={errors.currency?.message} hint={ro('currency') ?? undefined} className={ro('currency') ? 'sm:col-span-3' : 'sm:col-span-1'}>
                <select className={`${inputClass} uppercase`} {...register('currency')} disabled={!!ro('currency')}>
                  {STRIPE_CURRENCIES.map((c) => (
                    <option key={c} value={c}>
                      {c.toUpperCase()}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label={t('field.description')} error={errors.description?.message} hint={ro('description') ?? undefined} className="sm:col-span-6">
                <textarea className={`${inputClass} min-h-20`} rows={3} {...register('description')} disabled={!!ro('description')} />
              </Field>
              <div className="sm:col-span-6">
                <label className="inline-flex items-center gap-2 text-sm font-medium text-slate-700">
                  <input type="checkbox" className="size-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600" {...register('active')} disabled={!!ro('active')} aria-describedby="space-active-hint" />
                  {t('field.active')}
                </label>
                <p id="space-active-hint" className="mt-0.5 pl-6 text-xs text-slate-500">{ro('active') ?? t('field.activeHint')}</p>
              </div>
            </div>
          </Section>
          <Section title={t('dialog.section.images')}>
            <ReadOnlyGroup hint={ro('images')}>
              <ImageFields />
            </ReadOnlyGroup>
          </Section>
          <Section title={t('dialog.section.prices')}>
            <ReadOnlyGroup hint={ro('prices')}>
              <PriceRows />
            </ReadOnlyGroup>
          </Section>
        </div>
        <div className="flex items-center justify-end gap-2 border-t border-slate-200 bg-slate-50 px-4 py-3 sm:px-6">
          <Dialog.Close asChild>
            <Button>{t('common.cancel')}</Button>
          </Dialog.Close>
          <Button type="submit" variant="primary" loading={formState.isSubmitting}>
            {formState.isSubmitting ? t('dialog.saving') : space ? t('dialog.save') : t('dialog.create')}
          </Button>
        </div>
      </form>
    </FormProvider>
  );
}

/** A group of inputs an attached space's mapping makes read-only: disabled together, with the reason. */
function ReadOnlyGroup({ hint, children }: { hint: string | null; children: ReactNode }) {
  const id = useId();
  if (!hint) return <>{children}</>;
  return (
    <fieldset disabled className="space-y-2" aria-describedby={id}>
      <p id={id} className="text-xs text-slate-600" data-read-only-hint>
        {hint}
      </p>
      {children}
    </fieldset>
  );
}

/** "Discard your changes?" before a filled form is closed by Esc, a click outside, Cancel or ×. */
function ConfirmDiscard({ open, onKeep, onDiscard }: { open: boolean; onKeep(): void; onDiscard(): void }) {
  const { t } = useI18n();
  return (
    <Dialog.Root open={open} onOpenChange={(o) => !o && onKeep()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-[60] bg-slate-900/40" />
        <Dialog.Content
          role="alertdialog"
          className="fixed top-1/2 left-1/2 z-[70] w-[min(26rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-5 shadow-2xl ring-1 ring-slate-200 focus:outline-none"
          data-confirm-discard
        >
          <Dialog.Title className="text-base font-semibold text-slate-900">{t('dialog.discardTitle')}</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-slate-600">{t('dialog.discardBody')}</Dialog.Description>
          <div className="mt-4 flex justify-end gap-2">
            <Button onClick={onKeep}>{t('dialog.keepEditing')}</Button>
            <Button variant="danger" onClick={onDiscard}>
              {t('dialog.discard')}
            </Button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

export function SpaceDialog({ spaceId, open, onOpenChange, onReviewDrift, returnFocus }: SpaceDialogProps) {
  const { t } = useI18n();
  const onCloseAutoFocus = useReturnFocus(open, returnFocus);
  const focusFixes = useDialogFocus();
  const space = useSpace(open ? spaceId : null);
  const editing = spaceId !== null;
  const title = editing ? t('dialog.editTitle', { name: space.data?.name ?? '' }) : t('dialog.createTitle');
  const dirty = useRef(false);
  const [confirming, setConfirming] = useState(false);
  const requestOpenChange = (next: boolean) => {
    if (!next && dirty.current) setConfirming(true);
    else onOpenChange(next);
  };
  // The space as it was when the dialog opened: a change arriving on the stream does not reset the form.
  const [initial, setInitial] = useState<Space | null>(null);
  if (editing && space.data && (!initial || initial.id !== space.data.id)) setInitial(space.data);
  return (
    <Dialog.Root open={open} onOpenChange={requestOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40 backdrop-blur-[1px]" />
        <Dialog.Content
          className="fixed inset-0 z-50 flex h-[100dvh] w-full flex-col overflow-hidden bg-white shadow-2xl focus:outline-none sm:inset-auto sm:top-1/2 sm:left-1/2 sm:h-auto sm:max-h-[92vh] sm:w-[min(56rem,calc(100vw-2rem))] sm:-translate-x-1/2 sm:-translate-y-1/2 sm:rounded-xl sm:ring-1 sm:ring-slate-200"
          aria-describedby="space-dialog-description"
          data-space-dialog
          {...focusFixes}
          onCloseAutoFocus={onCloseAutoFocus}
          onOpenAutoFocus={(event) => {
            // Start on the form's first field (the name) rather than on the close button; an attached space's
            // read-only fields are skipped.
            const first = (event.currentTarget as HTMLElement | null)?.querySelector<HTMLElement>('form input:enabled, form select:enabled, form textarea:enabled');
            if (first) {
              event.preventDefault();
              first.focus();
            }
          }}
        >
          <div className="flex items-start justify-between border-b border-slate-200 px-4 py-4 sm:px-6">
            <div className="min-w-0">
              <Dialog.Title className="truncate text-base font-semibold text-slate-900">{title}</Dialog.Title>
              <Dialog.Description id="space-dialog-description" className="mt-0.5 text-sm text-slate-600">
                {t('dialog.description')}
              </Dialog.Description>
            </div>
            <Dialog.Close className="rounded-md p-1 text-slate-600 hover:bg-slate-100 hover:text-slate-900" aria-label={t('common.close')}>
              <CloseIcon />
            </Dialog.Close>
          </div>
          {editing && space.isPending ? (
            <div className="grid h-48 place-items-center text-slate-600">
              <Spinner label={t('common.loading')} className="size-6" />
            </div>
          ) : editing && space.error ? (
            <p role="alert" className="px-6 py-8 text-sm text-red-700">
              {space.error.message}
            </p>
          ) : (
            <SpaceForm
              key={spaceId ?? 'new'}
              space={editing ? (initial ?? space.data ?? null) : null}
              onDone={() => {
                dirty.current = false;
                onOpenChange(false);
              }}
              onReviewDrift={onReviewDrift}
              onDirty={(d) => (dirty.current = d)}
            />
          )}
        </Dialog.Content>
      </Dialog.Portal>
      <ConfirmDiscard
        open={confirming}
        onKeep={() => setConfirming(false)}
        onDiscard={() => {
          setConfirming(false);
          dirty.current = false;
          onOpenChange(false);
        }}
      />
    </Dialog.Root>
  );
}
