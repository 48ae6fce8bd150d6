// Email + password → POST /api/auth/login; the token goes to the session (localStorage). With the API
// on another origin (Supabase), a Supabase Auth sign-in link signs in instead (signInFromRedirect.ts).
import { useState, type FormEvent } from 'react';
import { Button } from '../../../components/Button.tsx';
import { Field, inputClass } from '../../../components/Field.tsx';
import { LanguageSwitch } from '../../../components/AppShell.tsx';
import { useErrorMessage } from '../../../components/ErrorNotice.tsx';
import { useI18n } from '../../../i18n/useI18n.tsx';
import { ApiError } from '../../../lib/api.ts';
import { apiOrigin } from '../../../lib/apiBase.ts';
import { useLogin } from '../api/login.ts';
import { sessionEndedReason } from '../../../lib/session.ts';
import { redirectFailure } from '../signInFromRedirect.ts';
import { lockoutMessage } from '../lockoutMessage.ts';

export function LoginPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const login = useLogin();
  const errorMessage = useErrorMessage();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ email: email.trim(), password });
  };
  const error = login.error
    ? login.error instanceof ApiError && login.error.status === 401
      ? t('login.failed')
      : login.error instanceof ApiError && login.error.status === 429
        ? lockoutMessage(i18n, login.error.retryAfterSeconds)
        : errorMessage(login.error)
    : redirectFailure() !== null
      ? t('login.linkFailed', { reason: redirectFailure()! })
      : sessionEndedReason() !== null
        ? t('login.sessionEnded', { reason: sessionEndedReason()! })
        : null;
  return (
    <main className="flex min-h-full flex-col items-center justify-center bg-slate-100 px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-between">
          <div className="flex items-center gap-2 text-lg font-semibold tracking-tight text-slate-900">
            <span className="grid size-8 place-items-center rounded-md bg-indigo-600 text-white" aria-hidden>
              ⇄
            </span>
            {t('app.name')}
          </div>
          <LanguageSwitch dark={false} />
        </div>
        <form onSubmit={submit} className="space-y-4 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200" noValidate>
          <div>
            <h1 className="text-lg font-semibold text-slate-900">{t('login.title')}</h1>
            <p className="mt-1 text-sm text-slate-500">{t('login.subtitle')}</p>
            {apiOrigin() ? <p className="mt-2 text-sm text-slate-600">{t('login.supabaseHint')}</p> : null}
          </div>
          <Field label={t('login.email')}>
            <input className={inputClass} type="email" name="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
          </Field>
          <Field label={t('login.password')}>
            <input className={inputClass} type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          </Field>
          {error ? (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
              {error}
            </p>
          ) : null}
          <Button type="submit" variant="primary" className="w-full" loading={login.isPending} disabled={!email || !password}>
            {login.isPending ? t('login.submitting') : t('login.submit')}
          </Button>
        </form>
      </div>
    </main>
  );
}
