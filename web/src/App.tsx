// Screens by path, behind the login. The live stream runs while an admin is signed in.
import { Suspense, lazy, useEffect } from 'react';
import { AppShell } from './components/AppShell.tsx';
import { Spinner } from './components/Spinner.tsx';
import { useMe } from './features/auth/api/getMe.ts';
import { LoginPage } from './features/auth/components/LoginPage.tsx';
import { SpacesPage } from './features/spaces/components/SpacesPage.tsx';
import { useLiveStream } from './features/stream/useLiveStream.ts';
import { useI18n } from './i18n/useI18n.tsx';
import { navigate, useLocation } from './lib/router.ts';
import { signOut, useSession } from './lib/session.ts';

const CatalogPage = lazy(() => import('./features/catalog/components/CatalogPage.tsx').then((m) => ({ default: m.CatalogPage })));
const LogsPage = lazy(() => import('./features/logs/components/LogsPage.tsx').then((m) => ({ default: m.LogsPage })));

function Loading() {
  const { t } = useI18n();
  return (
    <div className="grid h-64 place-items-center text-slate-400">
      <Spinner label={t('common.loading')} className="size-6" />
    </div>
  );
}

function Screen({ path }: { path: string }) {
  let screen = <SpacesPage />;
  if (path.startsWith('/catalog')) screen = <CatalogPage />;
  else if (path.startsWith('/logs')) screen = <LogsPage />;
  return <Suspense fallback={<Loading />}>{screen}</Suspense>;
}

function SignedIn({ token, role }: { token: string; role: string | null }) {
  const { t } = useI18n();
  const { path } = useLocation();
  const me = useMe(token);
  // The role from the login lets the screens load at once; /auth/me confirms it meanwhile.
  const isAdmin = me.data ? me.data.is_admin : role === 'admin';
  useLiveStream(isAdmin);
  useEffect(() => {
    if (path === '/' || path === '/login') navigate('/spaces', { replace: true });
  }, [path]);
  if (me.isPending && !isAdmin) {
    return (
      <div className="grid h-full place-items-center text-slate-500">
        <Spinner label={t('common.loading')} className="size-6" />
      </div>
    );
  }
  if (me.data && !isAdmin) {
    return (
      <div className="grid h-full place-items-center p-6">
        <div className="max-w-md rounded-lg bg-white p-6 text-sm shadow ring-1 ring-slate-200">
          <p role="alert">{t('login.notAdmin', { email: me.data.email })}</p>
          <button type="button" className="mt-4 text-indigo-600 hover:underline" onClick={() => signOut()}>
            {t('nav.signOut')}
          </button>
        </div>
      </div>
    );
  }
  return (
    <AppShell email={me.data?.email ?? null}>
      <Screen path={path} />
    </AppShell>
  );
}

export function App() {
  const session = useSession();
  if (!session) return <LoginPage />;
  // Keyed by who is signed in, not by the token: a renewed token keeps the screens (and the stream) as they are.
  return <SignedIn key={session.user?.id ?? session.token} token={session.token} role={session.user?.role ?? null} />;
}
