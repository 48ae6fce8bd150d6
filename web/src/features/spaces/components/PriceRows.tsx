// The pricing rows of the space form: add/remove; type, amount (major units), currency, one-time or
// recurring interval (+ count), tax behaviour, default.
import { useFieldArray, useFormContext, useWatch } from 'react-hook-form';
import { Button } from '../../../components/Button.tsx';
import { Field, FieldError, inputClass } from '../../../components/Field.tsx';
import { useI18n } from '../../../i18n/useI18n.tsx';
import { PRICING_TYPES, RECURRING_INTERVALS, STRIPE_CURRENCIES, TAX_BEHAVIORS } from '../../../lib/catalog.ts';
import { LIMITS } from '../../../lib/validation.ts';
import { toMinorUnits } from '../../../lib/catalog.ts';
import { newPrice, type SpaceFormValues } from '../spaceForm.ts';
import { PlusIcon, CloseIcon } from '../../../components/icons.tsx';

/** The row in words, as Stripe shows a price ("€25.00 per hour"), and whether saving makes a new Stripe price. */
function PriceWords({ index }: { index: number }) {
  const i18n = useI18n();
  const { formState } = useFormContext<SpaceFormValues>();
  const row = useWatch<SpaceFormValues, `prices.${number}`>({ name: `prices.${index}` });
  const initial = formState.defaultValues?.prices?.find((p) => p?.id && p.id === row?.id);
  let summary: string | null = null;
  try {
    if (row && row.amount.trim() !== '') {
      summary = i18n.priceSummary({
        unit_amount: toMinorUnits(row.amount, row.currency),
        currency: row.currency,
        pricing_type: row.pricing_type,
        recurring_interval: row.billing === 'one_time' ? null : row.billing,
        recurring_interval_count: Number(row.recurring_interval_count) || 1,
      });
    }
  } catch {
    summary = null; // not a readable amount yet: its field says so
  }
  const newStripePrice =
    initial?.stripe_price_id &&
    row &&
    (initial.amount !== row.amount || initial.billing !== row.billing || initial.currency !== row.currency || initial.recurring_interval_count !== row.recurring_interval_count);
  return (
    <div className="col-span-2 space-y-1 sm:col-span-12">
      {summary ? (
        <p className="text-sm font-medium text-slate-800" data-price-summary>
          {summary}
        </p>
      ) : null}
      {newStripePrice ? (
        <p className="rounded-md bg-sky-50 px-2.5 py-1.5 text-xs text-sky-900 ring-1 ring-inset ring-sky-200" data-new-price-note>
          {i18n.t('price.newPriceNote')}
        </p>
      ) : null}
    </div>
  );
}

function PriceRow({ index, onRemove }: { index: number; onRemove: () => void }) {
  const { t } = useI18n();
  const { register, setValue, getValues, trigger, formState: { errors, isSubmitted } } = useFormContext<SpaceFormValues>();
  // An error about the rows together (two alike) shows, and clears, as soon as any row changes.
  const revalidate = () => {
    if (isSubmitted || errors.prices) void trigger('prices');
  };
  const billing = useWatch<SpaceFormValues, `prices.${number}.billing`>({ name: `prices.${index}.billing` });
  const stripeId = useWatch<SpaceFormValues, `prices.${number}.stripe_price_id`>({ name: `prices.${index}.stripe_price_id` });
  const e = errors.prices?.[index];
  const n = index + 1;
  const defaultField = register(`prices.${index}.is_default`);
  const typeField = register(`prices.${index}.pricing_type`);
  return (
    <fieldset className="rounded-lg border border-slate-200 bg-slate-50/60 p-3" data-price-row={index}>
      <legend className="sr-only">{t('prices.row', { n })}</legend>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-12">
        <Field label={t('price.type')} error={e?.pricing_type?.message} className="sm:col-span-3">
          <select
            className={inputClass}
            {...typeField}
            onChange={(ev) => {
              void typeField.onChange(ev);
              // A monthly price is usually a subscription.
              if (ev.target.value === 'monthly' && getValues(`prices.${index}.billing`) === 'one_time') setValue(`prices.${index}.billing`, 'month');
              revalidate();
            }}
          >
            {PRICING_TYPES.map((p) => (
              <option key={p} value={p}>
                {t(`pricing.${p}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('price.amount')} error={e?.amount?.message} className="sm:col-span-2">
          <input className={`${inputClass} text-right tabular-nums`} inputMode="decimal" autoComplete="off" placeholder="0.00" {...register(`prices.${index}.amount`)} />
        </Field>
        <Field label={t('price.currency')} error={e?.currency?.message} className="sm:col-span-2">
          <select className={`${inputClass} uppercase`} {...register(`prices.${index}.currency`, { onChange: revalidate })}>
            {STRIPE_CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c.toUpperCase()}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('price.billing')} error={e?.billing?.message} className="sm:col-span-3">
          <select className={inputClass} {...register(`prices.${index}.billing`, { onChange: revalidate })}>
            <option value="one_time">{t('price.oneTime')}</option>
            {RECURRING_INTERVALS.map((i) => (
              <option key={i} value={i}>
                {`${t('price.every')} ${t(`interval.${i}`)}`}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('price.intervalCount')} error={e?.recurring_interval_count?.message} className="sm:col-span-2">
          <input
            className={`${inputClass} text-right tabular-nums`}
            type="number"
            min={1}
            step={1}
            inputMode="numeric"
            disabled={billing === 'one_time'}
            {...register(`prices.${index}.recurring_interval_count`)}
          />
        </Field>
        <Field label={t('price.tax')} error={e?.tax_behavior?.message} className="sm:col-span-4">
          <select className={inputClass} {...register(`prices.${index}.tax_behavior`)}>
            {TAX_BEHAVIORS.map((tb) => (
              <option key={tb} value={tb}>
                {t(`tax.${tb}`)}
              </option>
            ))}
          </select>
        </Field>
        <div className="flex items-end gap-4 sm:col-span-8">
          <label className="mb-1.5 inline-flex items-center gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              className="size-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600"
              {...defaultField}
              onChange={(ev) => {
                void defaultField.onChange(ev);
                if (ev.target.checked) {
                  // One default: ticking this one unticks the others.
                  getValues('prices').forEach((_, i) => {
                    if (i !== index) setValue(`prices.${i}.is_default`, false);
                  });
                }
              }}
            />
            {t('price.default')}
          </label>
          {stripeId ? <span className="mb-2 truncate font-mono text-[11px] text-slate-600">{t('price.stripeId', { id: stripeId })}</span> : null}
          <Button variant="ghost" size="sm" className="ml-auto text-red-600 hover:text-red-700" onClick={onRemove} aria-label={t('prices.remove', { n })}>
            <CloseIcon />
            <span className="hidden sm:inline">{t('prices.remove', { n: '' }).trim()}</span>
          </Button>
        </div>
      </div>
      <div className="mt-2">
        <PriceWords index={index} />
      </div>
      <FieldError message={e?.is_default?.message ?? e?.root?.message} />
    </fieldset>
  );
}

export function PriceRows() {
  const { t } = useI18n();
  const { control, getValues, formState: { errors } } = useFormContext<SpaceFormValues>();
  const { fields, append, remove } = useFieldArray({ control, name: 'prices' });
  const add = () => {
    const prices = getValues('prices');
    append(newPrice(prices.at(-1)?.currency ?? getValues('currency'), prices.length === 0, prices), { shouldFocus: true, focusName: `prices.${prices.length}.amount` });
  };
  return (
    <div className="space-y-3">
      <p className="text-xs text-slate-600">{t('prices.hint')}</p>
      {fields.length === 0 ? <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">{t('prices.empty')}</p> : null}
      {fields.map((field, index) => (
        <PriceRow key={field.id} index={index} onRemove={() => remove(index)} />
      ))}
      <FieldError message={errors.prices?.root?.message ?? errors.prices?.message} />
      <Button size="sm" onClick={add} disabled={fields.length >= LIMITS.pricesMax} icon={<PlusIcon />}>
        {t('prices.add')}
      </Button>
    </div>
  );
}
