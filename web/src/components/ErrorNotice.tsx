import { ApiError } from '../lib/api.ts';
import { useI18n, type I18n } from '../i18n/useI18n.tsx';
import { Button } from './Button.tsx';

/** The message to show for an error of the API client, translated where it is a known case. */
export function errorMessage(t: I18n['t'], error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'network') return t('error.network');
    if (error.status === 403) return t('error.forbidden');
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** errorMessage() in the current locale. */
export function useErrorMessage(): (error: unknown) => string {
  const { t } = useI18n();
  return (error) => errorMessage(t, error);
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const message = useErrorMessage()(error);
  return (
    <div role="alert" className="flex items-center justify-between gap-4 rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-inset ring-red-200">
      <span>{t('common.loadFailed', { error: message })}</span>
      {onRetry ? (
        <Button size="sm" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      ) : null}
    </div>
  );
}
