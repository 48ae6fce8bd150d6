// A toast for every drift detected while the admin is here, whatever the drift policy: what changed
// in Stripe and what was done, with a button to the space's Stripe edits.
import { useEffect } from 'react';
import { toast } from 'sonner';
import { useI18n } from '../../i18n/useI18n.tsx';
import { onDriftEvent } from '../stream/applyStreamEvents.ts';
import { driftFieldsSummary } from './driftWords.ts';

export function useDriftToasts(open: (spaceId: string) => void): void {
  const i18n = useI18n();
  useEffect(
    () =>
      onDriftEvent((e) => {
        toast.warning(i18n.t('drift.toast', { name: e.space_name ?? '' }), {
          id: `drift-${e.id}`,
          description: i18n.t('drift.toastDetail', { fields: driftFieldsSummary(i18n, e), action: i18n.t(`drift.action.${e.action}`) }),
          duration: 12_000,
          action: { label: i18n.t('drift.review'), onClick: () => open(e.space_id) },
        });
      }),
    [i18n, open],
  );
}
