// The frame of every signed-in screen: navigation, Stripe mode, live stream state, language, sign out.
import type { ReactNode } from 'react';
import { useConfig } from '../features/config/api/getConfig.ts';
import { useStreamState } from '../features/stream/useLiveStream.ts';
import { LOCALES, useI18n, type Locale, type MessageKey } from '../i18n/useI18n.tsx';
import { useLocation } from '../lib/router.ts';
import { signOut } from '../lib/session.ts';
import { Link } from './Link.tsx';

const NAV: { href: string; label: MessageKey }[] = [
  { href: '/spaces', label: 'nav.spaces' },
  { href: '/catalog', label: 'nav.catalog' },
  { href: '/logs', label: 'nav.logs' },
];

function StreamIndicator() {
  const { t } = useI18n();
  const state = useStreamState();
  const open = state === 'open';
  const label = open ? t('stream.live') : state === 'connecting' ? t('stream.connecting') : t('stream.reconnecting');
  return (
    <span
      className="inline-flex items-center gap-1.5 text-xs text-slate-300"
      title={open ? t('stream.liveHint') : t('stream.reconnectingHint')}
      data-stream-state={state}
    >
      <span className={`size-2 rounded-full ${open ? 'bg-emerald-400' : 'animate-pulse bg-amber-400'}`} aria-hidden />
      {label}
    </span>
  );
}

export function LanguageSwitch({ dark = true }: { dark?: boolean }) {
  const { t, locale, setLocale } = useI18n();
  return (
    <div role="group" aria-label={t('nav.language')} className={`inline-flex rounded-md p-0.5 text-xs ${dark ? 'bg-slate-800' : 'bg-slate-200'}`}>
      {LOCALES.map((l: Locale) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={locale === l}
          onClick={() => setLocale(l)}
          className={`rounded px-2 py-0.5 font-medium uppercase ${
            locale === l ? (dark ? 'bg-slate-600 text-white' : 'bg-white text-slate-900 shadow-sm') : dark ? 'text-slate-400 hover:text-white' : 'text-slate-500 hover:text-slate-900'
          }`}
        >
          {l === 'en' ? 'EN' : 'FR'}
          <span className="sr-only">{l === 'en' ? ' English' : ' Français'}</span>
        </button>
      ))}
    </div>
  );
}

export function AppShell({ email, children }: { email: string | null; children: ReactNode }) {
  const { t } = useI18n();
  const { path } = useLocation();
  const config = useConfig().data;
  return (
    <div className="flex min-h-full flex-col">
      <header className="bg-slate-900 text-white">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-6 px-4 sm:px-6">
          <Link href="/spaces" className="flex items-center gap-2 font-semibold tracking-tight">
            <span className="grid size-7 place-items-center rounded-md bg-indigo-500 text-sm" aria-hidden>
              ⇄
            </span>
            {t('app.name')}
          </Link>
          <nav aria-label={t('nav.main')} className="flex items-center gap-1">
            {NAV.map((item) => {
              const current = path === item.href || path.startsWith(`${item.href}/`);
              return (
                <Link
                  key={item.href}
                  href={item.href}
                  aria-current={current ? 'page' : undefined}
                  className={`rounded-md px-3 py-1.5 text-sm font-medium ${current ? 'bg-slate-700 text-white' : 'text-slate-300 hover:bg-slate-800 hover:text-white'}`}
                >
                  {t(item.label)}
                </Link>
              );
            })}
          </nav>
          <div className="ml-auto flex items-center gap-4">
            {config ? (
              <span
                className={`rounded px-1.5 py-0.5 text-[11px] font-medium uppercase tracking-wide ${
                  config.stripeMode === 'live' ? 'bg-red-500/20 text-red-200' : config.stripeMode === 'test' ? 'bg-amber-500/20 text-amber-200' : 'bg-sky-500/20 text-sky-200'
                }`}
              >
                {t(`nav.stripeMode.${config.stripeMode}`)}
              </span>
            ) : null}
            <StreamIndicator />
            <LanguageSwitch />
            {email ? <span className="hidden text-xs text-slate-400 md:inline">{email}</span> : null}
            <button type="button" onClick={signOut} className="rounded-md px-2 py-1 text-xs text-slate-300 hover:bg-slate-800 hover:text-white">
              {t('nav.signOut')}
            </button>
          </div>
        </div>
      </header>
      <main className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 sm:px-6">{children}</main>
    </div>
  );
}
