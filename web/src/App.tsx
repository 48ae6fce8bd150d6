// Screens by path, behind the login. The live stream runs while an admin is signed in.
import { useEffect } from 'react';
import { AppShell } from './components/AppShell.tsx';
import { Spinner } from './components/Spinner.tsx';
import { useMe } from './features/auth/api/getMe.ts';
import { LoginPage } from './features/auth/components/LoginPage.tsx';
import { CatalogPage } from './features/catalog/components/CatalogPage.tsx';
import { LogsPage } from './features/logs/components/LogsPage.tsx';
import { SpacesPage } from './features/spaces/components/SpacesPage.tsx';
import { useLiveStream } from './features/stream/useLiveStream.ts';
import { useI18n } from './i18n/useI18n.tsx';
import { navigate, useLocation } from './lib/router.ts';
import { signOut, useSession } from './lib/session.ts';

function Screen({ path }: { path: string }) {
  if (path.startsWith('/catalog')) return <CatalogPage />;
  if (path.startsWith('/logs')) return <LogsPage />;
  return <SpacesPage />;
}

function SignedIn({ token }: { token: string }) {
  const { t } = useI18n();
  const { path } = useLocation();
  const me = useMe(token);
  const isAdmin = me.data?.is_admin === true;
  useLiveStream(isAdmin);
  useEffect(() => {
    if (path === '/' || path === '/login') navigate('/spaces', { replace: true });
  }, [path]);
  if (me.isPending) {
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
          <button type="button" className="mt-4 text-indigo-600 hover:underline" onClick={signOut}>
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
  return <SignedIn key={session.token} token={session.token} />;
}
