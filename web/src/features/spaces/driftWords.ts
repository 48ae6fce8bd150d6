// Drift in words, in the admin's language: readable field names and values ("Name", "yes"), not
// Stripe's keys (`name`, `true`).
import type { I18n, MessageKey } from '../../i18n/useI18n.tsx';
import type { DriftEvent } from './types.ts';

export function fieldLabel(i18n: I18n, field: string): string {
  const key = `field.label.${field}` as MessageKey;
  const text = i18n.t(key);
  return text === key ? field.replace(/^metadata\./, '').replace(/_/g, ' ') : text;
}

export function valueWords(i18n: I18n, value: unknown): string {
  if (value === true) return i18n.t('value.true');
  if (value === false) return i18n.t('value.false');
  if (value === null || value === undefined || value === '') return i18n.t('value.empty');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function driftFieldsSummary(i18n: I18n, e: Pick<DriftEvent, 'fields' | 'removed' | 'object'>): string {
  if (e.removed) return i18n.t('drift.removed', { object: i18n.t(`drift.object.${e.object}`) });
  return e.fields.map((f) => fieldLabel(i18n, f.field)).join(', ');
}
