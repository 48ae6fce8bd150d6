/**
 * Operations → a readable list of `{ field, from, to }` changes, for `spacesync catalog plan`
 * and the admin UI. Amounts are shown in minor units with their currency ("1000 eur / month").
 */
import type { DesiredState } from './desiredState.ts';
import type { Operation } from './operations.ts';
import type { SnapshotPrice, StripeSnapshot } from './snapshot.ts';

export type ChangeValue = string | number | boolean | null;

export interface Change {
  field: string;
  from: ChangeValue;
  to: ChangeValue;
}

interface PriceLike {
  unit_amount: number | null;
  currency: string;
  recurring: { interval: string; interval_count: number } | null;
}

export function describeAmount(price: PriceLike): string {
  const amount = `${price.unit_amount ?? '?'} ${price.currency}`;
  if (!price.recurring) return amount;
  const { interval, interval_count } = price.recurring;
  return interval_count === 1 ? `${amount} / ${interval}` : `${amount} / ${interval_count} ${interval}s`;
}

function show(value: unknown): ChangeValue {
  if (value === undefined || value === '') return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  return JSON.stringify(value);
}

export function describeChanges(
  operations: readonly Operation[],
  snapshot: StripeSnapshot | null,
  desired: DesiredState | null,
): Change[] {
  const changes: Change[] = [];
  const rowLabel = (rowId: string | null, priceId?: string): string => {
    const d = rowId ? desired?.prices.find((p) => p.rowId === rowId) : undefined;
    const s = rowId ? snapshot?.prices[rowId] : undefined;
    const type = d?.metadata.pricing_type ?? s?.metadata.pricing_type;
    return `price ${type ?? rowId ?? priceId ?? '?'}`;
  };
  const allPrices = (): SnapshotPrice[] =>
    snapshot ? [...Object.values(snapshot.prices), ...(snapshot.orphanPrices ?? [])] : [];
  const priceById = (id: string | null | undefined) => (id ? allPrices().find((p) => p.priceId === id) : undefined);

  for (const op of operations) {
    switch (op.kind) {
      case 'create_product': {
        changes.push({ field: 'product', from: null, to: op.params.name });
        const data = op.params.default_price_data;
        if (data && op.defaultRowId) {
          changes.push({ field: rowLabel(op.defaultRowId), from: null, to: `${describeAmount({ ...data, recurring: data.recurring ?? null })} (default)` });
        }
        break;
      }
      case 'update_product':
      case 'archive_product': {
        const before = snapshot?.product;
        const p = op.params;
        if (p.name !== undefined) changes.push({ field: 'name', from: show(before?.name), to: p.name });
        if (p.description !== undefined) changes.push({ field: 'description', from: show(before?.description), to: show(p.description) });
        if (p.images !== undefined) changes.push({ field: 'images', from: show(before?.images), to: show(p.images === '' ? [] : p.images) });
        if (p.active !== undefined) changes.push({ field: 'active', from: show(before?.active), to: p.active });
        for (const [key, value] of Object.entries(p.metadata ?? {})) {
          changes.push({ field: `metadata.${key}`, from: show(before?.metadata[key]), to: show(value) });
        }
        if (p.default_price !== undefined) {
          const from = priceById(before?.defaultPriceId);
          let to: ChangeValue = null;
          if (typeof p.default_price === 'object') {
            const rowId = p.default_price.ref.slice('price:'.length);
            const d = desired?.prices.find((x) => x.rowId === rowId);
            to = d ? describeAmount(d) : p.default_price.ref;
          } else if (p.default_price !== '') {
            const s = priceById(p.default_price);
            to = s ? describeAmount(s) : p.default_price;
          }
          changes.push({ field: 'default_price', from: from ? describeAmount(from) : show(before?.defaultPriceId), to });
        }
        break;
      }
      case 'create_price': {
        const old = priceById(op.replacesPriceId);
        const to = describeAmount({ ...op.params, recurring: op.params.recurring ?? null });
        changes.push({ field: rowLabel(op.rowId), from: old ? describeAmount(old) : null, to });
        break;
      }
      case 'update_price': {
        const label = rowLabel(op.rowId);
        const before = op.rowId ? snapshot?.prices[op.rowId] : undefined;
        const p = op.params;
        if (p.active !== undefined) changes.push({ field: `${label}.active`, from: show(before?.active), to: p.active });
        if (p.nickname !== undefined) changes.push({ field: `${label}.nickname`, from: show(before?.nickname), to: show(p.nickname) });
        if (p.lookup_key !== undefined) changes.push({ field: `${label}.lookup_key`, from: show(before?.lookup_key), to: p.lookup_key });
        if (p.tax_behavior !== undefined) changes.push({ field: `${label}.tax_behavior`, from: show(before?.tax_behavior), to: p.tax_behavior });
        if (p.currency_options !== undefined) {
          changes.push({ field: `${label}.currency_options`, from: show(before?.currency_options ?? null), to: show(p.currency_options === '' ? {} : p.currency_options) });
        }
        for (const [key, value] of Object.entries(p.metadata ?? {})) {
          changes.push({ field: `${label}.metadata.${key}`, from: show(before?.metadata[key]), to: show(value) });
        }
        break;
      }
      case 'archive_price': {
        const before = priceById(op.priceId);
        const what = before ? `${describeAmount(before)} (${op.priceId})` : op.priceId;
        changes.push({ field: op.rowId ? rowLabel(op.rowId) : 'orphan price', from: what, to: 'archived' });
        break;
      }
    }
  }
  return changes;
}
