// "Stripe edits": the space's drift history in its dialog. What was changed in Stripe, when, and what
// was done (adopted, enforced, not handled yet); "Mark as seen" takes the badge off the row.
import { Button } from '../../../components/Button.tsx';
import { useI18n } from '../../../i18n/useI18n.tsx';
import { useAcknowledgeDrift, useDriftEvents } from '../api/driftEvents.ts';
import { fieldLabel, valueWords } from '../driftWords.ts';

const actionLooks = {
  pending: 'bg-amber-100 text-amber-900',
  enforced: 'bg-emerald-100 text-emerald-900',
  adopted: 'bg-sky-100 text-sky-900',
} as const;

export function StripeEdits({ spaceId }: { spaceId: string }) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const events = useDriftEvents(spaceId);
  const ack = useAcknowledgeDrift();
  const list = events.data ?? [];
  if (list.length === 0) return null;
  const unseen = list.filter((e) => !e.acknowledged_at).length;
  return (
    <section aria-labelledby="stripe-edits-title" className="space-y-2 rounded-md bg-amber-50/60 p-3 ring-1 ring-inset ring-amber-200" data-stripe-edits-section>
      <div className="flex items-center justify-between gap-2">
        <h3 id="stripe-edits-title" className="text-xs font-semibold uppercase tracking-wide text-amber-900">
          {t('drift.section')}
        </h3>
        {unseen > 0 ? (
          <Button size="sm" onClick={() => ack.mutate(spaceId)} loading={ack.isPending}>
            {t('drift.acknowledge')}
          </Button>
        ) : null}
      </div>
      <ul className="space-y-2 text-sm">
        {list.slice(0, 10).map((e) => (
          <li key={e.id} className="rounded bg-white p-2 ring-1 ring-slate-200" data-drift-event={e.action}>
            <div className="flex flex-wrap items-center justify-between gap-2">
              <time dateTime={e.detected_at} className="text-xs text-slate-700">
                {formatDateTime(e.detected_at)}
              </time>
              <span className={`rounded-full px-2 py-0.5 text-[11px] font-medium ${actionLooks[e.action]}`}>{t(`drift.action.${e.action}`)}</span>
            </div>
            {e.removed ? (
              <p className="mt-1 text-slate-800">{t('drift.removed', { object: t(`drift.object.${e.object}`) })}</p>
            ) : (
              <ul className="mt-1 space-y-0.5 text-slate-800">
                {e.fields.map((f) => (
                  <li key={f.field}>
                    {t('drift.change', { field: fieldLabel(i18n, f.field), stripe: valueWords(i18n, f.stripe), catalog: valueWords(i18n, f.catalog ?? (f as { ours?: unknown }).ours) })}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
