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
  const label = state === 'open' ? t('stream.connected') : state === 'offline' ? t('stream.offline') : state === 'connecting' ? t('stream.connecting') : t('stream.reconnecting');
  const hint = state === 'open' ? t('stream.connectedHint') : state === 'offline' ? t('stream.offlineHint') : t('stream.reconnectingHint');
  const dot = state === 'open' ? 'bg-emerald-400' : state === 'offline' ? 'bg-red-400' : 'animate-pulse bg-amber-400';
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-slate-200" title={hint} data-stream-state={state} role="status">
      <span className={`size-2 rounded-full ${dot}`} aria-hidden />
      <span className="max-sm:sr-only">{label}</span>
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
            locale === l ? (dark ? 'bg-slate-600 text-white' : 'bg-white text-slate-900 shadow-sm') : dark ? 'text-slate-200 hover:text-white' : 'text-slate-700 hover:text-slate-900'
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
      <a href="#main" className="sr-only z-50 rounded bg-white px-3 py-2 text-sm font-medium text-indigo-700 focus:not-sr-only focus:fixed focus:top-2 focus:left-2">
        {t('nav.skip')}
      </a>
      <header className="bg-slate-900 text-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-1 px-3 py-2 sm:h-14 sm:flex-nowrap sm:px-6 sm:py-0">
          <Link href="/spaces" className="flex items-center gap-2 font-semibold tracking-tight">
            <span className="grid size-7 place-items-center rounded-md bg-indigo-500 text-sm" aria-hidden>
              ⇄
            </span>
            {t('app.name')}
          </Link>
          <nav aria-label={t('nav.main')} className="order-last -mx-1 flex w-full items-center gap-1 overflow-x-auto sm:order-none sm:mx-0 sm:w-auto">
            {NAV.map((item) => {
              const current = path === item.href || path.startsWith(`${item.href}/`);
              return (
                <Link
                  key={item.href}
                  href={item.href}
                  aria-current={current ? 'page' : undefined}
                  className={`shrink-0 rounded-md px-3 py-1.5 text-sm font-medium ${current ? 'bg-slate-700 text-white' : 'text-slate-200 hover:bg-slate-800 hover:text-white'}`}
                >
                  {t(item.label)}
                </Link>
              );
            })}
          </nav>
          <div className="ml-auto flex items-center gap-3 sm:gap-4">
            {config ? (
              <span
                className={`hidden rounded px-1.5 py-0.5 text-[11px] font-medium uppercase tracking-wide lg:inline ${
                  config.stripeMode === 'live' ? 'bg-red-500/20 text-red-100' : config.stripeMode === 'test' ? 'bg-amber-500/20 text-amber-100' : 'bg-sky-500/20 text-sky-100'
                }`}
              >
                {t(`nav.stripeMode.${config.stripeMode}`)}
              </span>
            ) : null}
            <StreamIndicator />
            <LanguageSwitch />
            {email ? <span className="hidden text-xs text-slate-300 xl:inline">{email}</span> : null}
            <button type="button" onClick={() => signOut()} className="shrink-0 rounded-md px-2 py-1 text-xs text-slate-200 hover:bg-slate-800 hover:text-white">
              {t('nav.signOut')}
            </button>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-7xl flex-1 px-3 py-4 focus:outline-none sm:px-6 sm:py-6">
        {children}
      </main>
    </div>
  );
}
