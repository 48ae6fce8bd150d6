// "from rooms": the space comes from a table of the user's own app (an attached source).
import { useI18n } from '../../../i18n/useI18n.tsx';
import type { Space } from '../types.ts';

export function SourceBadge({ space }: { space: Pick<Space, 'source'> }) {
  const { t } = useI18n();
  if (!space.source) return null;
  return (
    <span
      className="ml-1 inline-block max-w-full truncate rounded bg-sky-50 px-1 align-middle text-[10px] font-medium text-sky-800 ring-1 ring-inset ring-sky-200"
      title={t('source.badgeLabel', { source: space.source })}
      data-source-badge
    >
      {t('source.badge', { source: space.source })}
    </span>
  );
}
