// A refused sign-in (429) in words, with the server's own wait (its Retry-After): "Try again in
// 15 minutes", in the admin's language and plural. Without a Retry-After, a general message.
import type { I18n } from '../../i18n/useI18n.tsx';

export function lockoutMessage(i18n: Pick<I18n, 't' | 'tp'>, retryAfterSeconds: number | undefined): string {
  if (retryAfterSeconds === undefined) return i18n.t('login.throttled');
  if (retryAfterSeconds < 60) return i18n.tp('login.lockedSeconds', Math.max(1, retryAfterSeconds));
  return i18n.tp('login.lockedMinutes', Math.ceil(retryAfterSeconds / 60));
}
