// A catalog plan, grouped by kind of entry (create, update, reprice, archive, adopt, unchanged); each
// entry lists its changes as a readable diff from → to, in columns that line up across the plan, and
// while a run applies it, its status (pending, done, failed with Stripe's message, or changed since
// the plan and not applied).
import { useState } from 'react';
import { useI18n } from '../../../i18n/useI18n.tsx';
import { CATALOG_ENTRY_KINDS, type CatalogEntryKind, type Change, type ChangeValue } from '../../../lib/catalog.ts';
import { productUrl, type AppConfig } from '../../config/api/getConfig.ts';
import { fieldLabel, valueWords } from '../planWords.ts';
import type { EntryStatus, Plan, PlanEntry } from '../types.ts';

const kindLooks: Record<CatalogEntryKind, { badge: string; sign: string }> = {
  create: { badge: 'bg-emerald-50 text-emerald-700 ring-emerald-200', sign: '+' },
  recreate: { badge: 'bg-orange-50 text-orange-800 ring-orange-200', sign: '+' },
  update: { badge: 'bg-sky-50 text-sky-700 ring-sky-200', sign: '~' },
  reprice: { badge: 'bg-violet-50 text-violet-700 ring-violet-200', sign: '±' },
  archive_orphan: { badge: 'bg-red-50 text-red-700 ring-red-200', sign: '−' },
  adopt: { badge: 'bg-amber-50 text-amber-800 ring-amber-200', sign: '=' },
  unchanged: { badge: 'bg-slate-100 text-slate-600 ring-slate-200', sign: '·' },
};

const ENTRY_LIMIT = 200;

function Value({ field, value, tone }: { field: string; value: ChangeValue; tone: 'from' | 'to' }) {
  const i18n = useI18n();
  const words = valueWords(i18n, field, value);
  if (words.kind === 'none')
    return (
      <span className="text-slate-500 italic">
        <span aria-hidden>∅</span>
        <span className="sr-only">{i18n.t('catalog.noValue')}</span>
      </span>
    );
  if (words.kind === 'archived') return <span className="font-medium text-red-700">{i18n.t('catalog.archived')}</span>;
  return <span className={tone === 'from' ? 'text-red-700 line-through decoration-red-300' : 'text-emerald-800'}>{words.text}</span>;
}

/** Fixed column widths, the same in every entry, so before → after line up down the whole plan. */
function ChangeColumns() {
  return (
    <colgroup>
      <col className="w-28 sm:w-60" />
      <col />
      <col className="w-6" />
      <col />
    </colgroup>
  );
}

function ChangeRow({ change }: { change: Change }) {
  const i18n = useI18n();
  return (
    <tr className="align-top" data-change-field={change.field}>
      <th scope="row" className="py-1 pr-3 text-left text-xs font-normal break-words text-slate-600" data-change-label>
        {fieldLabel(i18n, change.field)}
      </th>
      <td className="py-1 pr-2 text-xs break-words" data-change-from>
        <Value field={change.field} value={change.from} tone="from" />
      </td>
      <td className="py-1 text-center text-xs text-slate-400" aria-hidden>
        →
      </td>
      <td className="py-1 pl-2 text-xs break-words" data-change-to>
        <Value field={change.field} value={change.to} tone="to" />
      </td>
    </tr>
  );
}

const outcomeLooks: Record<EntryStatus['status'], string> = {
  pending: 'bg-slate-100 text-slate-700 ring-slate-200',
  done: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  failed: 'bg-red-50 text-red-700 ring-red-200',
  stale: 'bg-amber-50 text-amber-900 ring-amber-200',
};

function Entry({ entry, config, status }: { entry: PlanEntry; config: AppConfig | undefined; status: EntryStatus | undefined }) {
  const { t } = useI18n();
  const link = entry.productId ? productUrl(config, entry.productId) : null;
  return (
    <li className="px-4 py-3" data-plan-entry={entry.kind} data-space-id={entry.spaceId ?? undefined} data-entry-status={status?.status}>
      <div className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
        <span className="font-mono text-sm text-slate-400" aria-hidden>
          {kindLooks[entry.kind].sign}
        </span>
        <span className="font-medium text-slate-900">{entry.name}</span>
        {entry.productId ? (
          link ? (
            <a href={link} target="_blank" rel="noopener noreferrer" className="font-mono text-xs text-indigo-600 hover:underline">
              {entry.productId}
            </a>
          ) : (
            <span className="font-mono text-xs text-slate-500">{entry.productId}</span>
          )
        ) : null}
        {status ? (
          <span className={`ml-auto rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${outcomeLooks[status.status]}`} data-entry-outcome>
            {t(`catalog.entry.${status.status}`)}
          </span>
        ) : null}
      </div>
      {status?.status === 'failed' ? (
        <p className="mt-1 ml-5 text-xs text-red-700" data-entry-error>
          {t('catalog.entryFailed', { error: status.error })}
        </p>
      ) : null}
      {status?.status === 'stale' ? (
        <p className="mt-1 ml-5 text-xs text-amber-900" data-entry-stale>
          {t('catalog.entryStale')}
        </p>
      ) : null}
      {entry.changes.length > 0 ? (
        <table className="mt-1 ml-5 w-[calc(100%-1.25rem)] table-fixed">
          <ChangeColumns />
          <thead className="sr-only">
            <tr>
              <th scope="col">{t('catalog.change.field')}</th>
              <th scope="col">{t('catalog.change.from')}</th>
              <td />
              <th scope="col">{t('catalog.change.to')}</th>
            </tr>
          </thead>
          <tbody>
            {entry.changes.map((c, i) => (
              <ChangeRow key={`${c.field}-${i}`} change={c} />
            ))}
          </tbody>
        </table>
      ) : null}
    </li>
  );
}

function Group({ kind, entries, config, statusOf }: { kind: CatalogEntryKind; entries: PlanEntry[]; config: AppConfig | undefined; statusOf?: (entry: PlanEntry) => EntryStatus | undefined }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(kind !== 'unchanged');
  const [limit, setLimit] = useState(ENTRY_LIMIT);
  const look = kindLooks[kind];
  const headingId = `plan-group-${kind}`;
  return (
    <section aria-labelledby={headingId} className="overflow-hidden rounded-lg bg-white shadow-sm ring-1 ring-slate-200" data-plan-group={kind}>
      <h2 id={headingId}>
        <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} className="flex w-full items-center gap-3 px-4 py-2.5 text-left hover:bg-slate-50">
          <span className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${look.badge}`}>{t(`catalog.kind.${kind}`)}</span>
          <span className="text-sm font-semibold tabular-nums text-slate-900">{entries.length}</span>
          <span className="text-xs text-slate-500">{t(`catalog.kindHint.${kind}`)}</span>
          <span className="ml-auto text-slate-400" aria-hidden>
            {open ? '▾' : '▸'}
          </span>
        </button>
      </h2>
      {open ? (
        <ul className="divide-y divide-slate-100 border-t border-slate-100">
          {entries.slice(0, limit).map((e, i) => (
            <Entry key={`${e.spaceId ?? e.productId ?? i}`} entry={e} config={config} status={statusOf?.(e)} />
          ))}
          {entries.length > limit ? (
            <li className="px-4 py-2">
              <button type="button" className="text-xs text-indigo-600 hover:underline" onClick={() => setLimit(limit + ENTRY_LIMIT)}>
                {`+${entries.length - limit}`}
              </button>
            </li>
          ) : null}
        </ul>
      ) : null}
    </section>
  );
}

export function PlanView({ plan, config, statusOf }: { plan: Plan; config: AppConfig | undefined; statusOf?: (entry: PlanEntry) => EntryStatus | undefined }) {
  const { t, formatNumber } = useI18n();
  const byName = (a: PlanEntry, b: PlanEntry) => a.name.localeCompare(b.name, undefined, { numeric: true });
  // A group for each kind with entries to show; the unchanged are counted, not listed (the stored plan
  // leaves them out), so they get a line, not an empty group under a count.
  const groups = CATALOG_ENTRY_KINDS.map((kind) => ({ kind, entries: plan.entries.filter((e) => e.kind === kind).sort(byName) })).filter((g) => g.entries.length > 0);
  const unchanged = plan.totals.unchanged ?? 0;
  const unlisted = unchanged - plan.entries.filter((e) => e.kind === 'unchanged').length;
  const changed = plan.entries.some((e) => e.kind !== 'unchanged');
  return (
    <div className="space-y-3" data-plan>
      <div className="flex flex-wrap gap-2">
        {CATALOG_ENTRY_KINDS.map((kind) => (
          <span key={kind} className={`rounded-md px-2.5 py-1 text-xs font-medium ring-1 ring-inset ${kindLooks[kind].badge}`} data-plan-total={kind}>
            {t(`catalog.kind.${kind}`)} <span className="tabular-nums">{formatNumber(plan.totals[kind] ?? 0)}</span>
          </span>
        ))}
        {plan.calls !== undefined ? <span className="self-center text-xs text-slate-500">{t('catalog.calls', { n: formatNumber(plan.calls) })}</span> : null}
      </div>
      {!changed ? <p className="rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-inset ring-emerald-200">{t('catalog.noChanges')}</p> : null}
      {groups.map((g) => (
        <Group key={g.kind} kind={g.kind} entries={g.entries} config={config} statusOf={statusOf} />
      ))}
      {unlisted > 0 ? (
        <p className="px-1 text-xs text-slate-500" data-plan-unlisted>
          {t('catalog.unchangedNotListed', { n: formatNumber(unlisted) })}
        </p>
      ) : null}
    </div>
  );
}
