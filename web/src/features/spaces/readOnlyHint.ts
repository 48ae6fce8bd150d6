// The read-only reason of a field of an attached space, in the UI's language (null: editable).
import type { I18n } from '../../i18n/useI18n.tsx';
import type { Space } from './types.ts';

export function readOnlyHint(space: Pick<Space, 'editable'> | null, field: string, t: I18n['t']): string | null {
  const reason = space?.editable?.[field];
  if (!reason || reason === true) return null;
  if (reason.code === 'expression') return t('source.readOnly.expression', { sql: reason.sql });
  if (reason.code === 'constant') return t('source.readOnly.constant', { value: JSON.stringify(reason.value) });
  return t('source.readOnly.unmapped');
}
