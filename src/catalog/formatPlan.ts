/**
 * A catalog plan as text, terraform style, for `spacesync catalog plan`:
 *   + create "Room A"
 *   + recreate "Room E" (prod_old): known here, missing from Stripe
 *   ~ update "Room B" (prod_123)
 *       ~ name: "A" → "B"
 *   ± reprice "Room C" (prod_456)
 *       ± price hourly: 1000 eur → 1200 eur
 *   - archive orphan "Old room" (prod_789)
 *   = adopt "Room D" (prod_abc)
 * Unchanged entries are only counted in the summary line.
 */
import type { Change, ChangeValue } from './describeChanges.ts';
import type { CatalogEntry, CatalogEntryKind, CatalogPlan } from './planCatalog.ts';

const HEADER: Record<Exclude<CatalogEntryKind, 'unchanged'>, string> = {
  create: '+ create',
  recreate: '+ recreate',
  update: '~ update',
  reprice: '± reprice',
  archive_orphan: '- archive orphan',
  adopt: '= adopt',
};

function quote(value: ChangeValue): string {
  if (value === null) return '(none)';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** A whole price (not one of its fields): `price hourly`. */
function isPriceLine(field: string): boolean {
  return /^price [^.]+$/.test(field);
}

export function formatChange(change: Change): string {
  const { field, from, to } = change;
  const amounts = isPriceLine(field) || field === 'default_price';
  const show = (v: ChangeValue) => (amounts && typeof v === 'string' ? v : quote(v));
  if (to === 'archived') return `- ${field}: ${show(from)}`;
  if (field === 'product') return `+ product: ${show(to)}`;
  if (isPriceLine(field)) return from === null ? `+ ${field}: ${show(to)}` : `± ${field}: ${show(from)} → ${show(to)}`;
  return `~ ${field}: ${show(from)} → ${show(to)}`;
}

function header(entry: CatalogEntry): string {
  const kind = entry.kind as Exclude<CatalogEntryKind, 'unchanged'>;
  const id = entry.productId ? ` (${entry.productId})` : entry.spaceId ? ` (space ${entry.spaceId})` : '';
  return `${HEADER[kind]} ${JSON.stringify(entry.name)}${id}`;
}

export function formatPlan(plan: CatalogPlan): string {
  const lines: string[] = [];
  for (const entry of plan.entries) {
    if (entry.kind === 'unchanged') continue;
    lines.push(header(entry));
    for (const change of entry.changes) lines.push(`    ${formatChange(change)}`);
  }
  const t = plan.totals;
  if (lines.length === 0) lines.push('No changes: Stripe matches the catalog.');
  else lines.push('');
  lines.push(
    `Plan: ${t.create} to create, ${t.recreate ? `${t.recreate} to recreate (missing from Stripe), ` : ''}${t.update} to update, ${t.reprice} to reprice, ${t.adopt} to adopt, ` +
      `${t.archive_orphan} to archive, ${t.unchanged} unchanged; ${plan.calls} Stripe call${plan.calls === 1 ? '' : 's'}.`,
  );
  return lines.join('\n');
}
