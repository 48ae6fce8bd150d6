// A catalog plan, grouped by kind of entry (create, update, reprice, archive, adopt, unchanged); each
// entry lists its changes as a readable diff from → to.
import { useState } from 'react';
import { useI18n } from '../../../i18n/useI18n.tsx';
import { CATALOG_ENTRY_KINDS, type CatalogEntryKind, type Change, type ChangeValue } from '../../../lib/catalog.ts';
import { productUrl, type AppConfig } from '../../config/api/getConfig.ts';
import type { Plan, PlanEntry } from '../types.ts';

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

/** The plan writes amounts in minor units ("1000 eur / month (default)"): show them as money. */
const AMOUNT = /^(\d+) ([a-z]{3})\b(.*)$/;

function Value({ value, tone }: { value: ChangeValue; tone: 'from' | 'to' }) {
  const { t, formatAmount } = useI18n();
  if (value === null) return <span className="text-slate-400 italic">∅</span>;
  if (value === 'archived') return <span className="font-medium text-red-700">{t('catalog.archived')}</span>;
  let text = typeof value === 'string' ? value : String(value);
  const amount = typeof value === 'string' ? AMOUNT.exec(value) : null;
  if (amount) text = `${formatAmount(Number(amount[1]), amount[2])}${amount[3]}`;
  return <span className={tone === 'from' ? 'text-red-700 line-through decoration-red-300' : 'text-emerald-800'}>{text}</span>;
}

function ChangeRow({ change }: { change: Change }) {
  return (
    <tr className="align-top">
      <td className="py-1 pr-3 font-mono text-xs whitespace-nowrap text-slate-600">{change.field}</td>
      <td className="py-1 pr-2 text-xs break-all">
        <Value value={change.from} tone="from" />
      </td>
      <td className="py-1 pr-2 text-xs text-slate-400" aria-hidden>
        →
      </td>
      <td className="py-1 text-xs break-all">
        <Value value={change.to} tone="to" />
      </td>
    </tr>
  );
}

function Entry({ entry, config }: { entry: PlanEntry; config: AppConfig | undefined }) {
  const { t } = useI18n();
  const link = entry.productId ? productUrl(config, entry.productId) : null;
  return (
    <li className="px-4 py-3" data-plan-entry={entry.kind} data-space-id={entry.spaceId ?? undefined}>
      <div className="flex items-baseline gap-2">
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
      </div>
      {entry.changes.length > 0 ? (
        <table className="mt-1 ml-5 w-[calc(100%-1.25rem)]">
          <thead className="sr-only">
            <tr>
              <th>{t('catalog.change.field')}</th>
              <th>{t('catalog.change.from')}</th>
              <th />
              <th>{t('catalog.change.to')}</th>
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

function Group({ kind, entries, config }: { kind: CatalogEntryKind; entries: PlanEntry[]; config: AppConfig | undefined }) {
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
            <Entry key={`${e.spaceId ?? e.productId ?? i}`} entry={e} config={config} />
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

export function PlanView({ plan, config }: { plan: Plan; config: AppConfig | undefined }) {
  const { t } = useI18n();
  const byName = (a: PlanEntry, b: PlanEntry) => a.name.localeCompare(b.name, undefined, { numeric: true });
  const groups = CATALOG_ENTRY_KINDS.map((kind) => ({ kind, entries: plan.entries.filter((e) => e.kind === kind).sort(byName) })).filter(
    (g) => g.entries.length > 0 || (plan.totals[g.kind] ?? 0) > 0,
  );
  const changed = plan.entries.some((e) => e.kind !== 'unchanged');
  return (
    <div className="space-y-3" data-plan>
      <div className="flex flex-wrap gap-2">
        {CATALOG_ENTRY_KINDS.map((kind) => (
          <span key={kind} className={`rounded-md px-2.5 py-1 text-xs font-medium ring-1 ring-inset ${kindLooks[kind].badge}`} data-plan-total={kind}>
            {t(`catalog.kind.${kind}`)} <span className="tabular-nums">{plan.totals[kind] ?? 0}</span>
          </span>
        ))}
        {plan.calls !== undefined ? <span className="self-center text-xs text-slate-500">{t('catalog.calls', { n: plan.calls })}</span> : null}
      </div>
      {!changed ? <p className="rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-inset ring-emerald-200">{t('catalog.noChanges')}</p> : null}
      {groups.map((g) => (
        <Group key={g.kind} kind={g.kind} entries={g.entries} config={config} />
      ))}
    </div>
  );
}
