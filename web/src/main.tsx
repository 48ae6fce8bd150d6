import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Tooltip } from 'radix-ui';
import { Toaster } from 'sonner';
import { App } from './App.tsx';
import { signInFromRedirect } from './features/auth/signInFromRedirect.ts';
import { I18nProvider, useI18n } from './i18n/useI18n.tsx';
import { ApiError } from './lib/api.ts';
import { keepSessionAlive } from './lib/keepSessionAlive.ts';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // The live stream keeps the cache fresh; no refetch storms on focus.
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
    },
  },
});

/** Toasts, announced politely (sonner's region is aria-live="polite"), with labels in the UI's language. */
function AppToaster() {
  const { t } = useI18n();
  return <Toaster position="bottom-right" richColors closeButton containerAriaLabel={t('toast.region')} toastOptions={{ duration: 6000, closeButtonAriaLabel: t('toast.close') }} />;
}

signInFromRedirect();
keepSessionAlive();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <Tooltip.Provider delayDuration={200}>
          <App />
          <AppToaster />
        </Tooltip.Provider>
      </I18nProvider>
    </QueryClientProvider>
  </StrictMode>,
);
