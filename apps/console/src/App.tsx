// Providers (data cache, session, direction and theme) and the routes; each page is its own chunk.
import { lazy, Suspense, useEffect, useMemo, type ReactNode } from 'react';
import { CacheProvider } from '@emotion/react';
import createCache from '@emotion/cache';
import CssBaseline from '@mui/material/CssBaseline';
import { createTheme, ThemeProvider } from '@mui/material/styles';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import rtlPlugin from 'stylis-plugin-rtl';
import { SessionProvider, useSession } from './auth/session';
import { PageSkeleton } from './components/PageSkeleton';
import { Shell } from './components/Shell';
import { rememberedLanguage } from './i18n/i18n';

const SignIn = lazy(() => import('./pages/SignIn'));
const AuthCallback = lazy(() => import('./pages/AuthCallback'));
const MyWork = lazy(() => import('./pages/MyWork'));
const Candidacies = lazy(() => import('./pages/Candidacies'));
const Candidacy = lazy(() => import('./pages/Candidacy'));
const StartCandidacy = lazy(() => import('./pages/StartCandidacy'));
const Audit = lazy(() => import('./pages/Audit'));

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, staleTime: 5_000, refetchOnWindowFocus: false } },
});

const caches = {
  rtl: createCache({ key: 'muirtl', stylisPlugins: [rtlPlugin] }),
  ltr: createCache({ key: 'mui' }),
};

function Directional({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const { identity } = useSession();
  const direction = i18n.language === 'en' ? 'ltr' : 'rtl';
  // Each person's remembered language applies as they sign in.
  useEffect(() => {
    if (identity) void i18n.changeLanguage(rememberedLanguage(identity.sub));
  }, [identity, i18n]);
  useEffect(() => {
    document.documentElement.lang = i18n.language;
    document.documentElement.dir = direction;
    document.title = i18n.t('app.title');
  }, [i18n, i18n.language, direction]);
  const theme = useMemo(
    () =>
      createTheme({
        direction,
        palette: { primary: { main: '#00589b' }, error: { main: '#b3261e' } },
        typography: { fontFamily: direction === 'rtl' ? 'Vazirmatn, Tahoma, sans-serif' : 'Roboto, Arial, sans-serif' },
      }),
    [direction],
  );
  return (
    <CacheProvider value={caches[direction]}>
      <ThemeProvider theme={theme}>
        <CssBaseline />
        {children}
      </ThemeProvider>
    </CacheProvider>
  );
}

function Guarded({ children }: { children: ReactNode }) {
  const { identity, ready } = useSession();
  if (!ready) return <PageSkeleton />;
  if (!identity) return <Navigate to="/sign-in" replace />;
  return <Shell>{children}</Shell>;
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <Directional>
          <BrowserRouter>
            <Suspense fallback={<PageSkeleton />}>
              <Routes>
                <Route path="/sign-in" element={<SignIn />} />
                <Route path="/auth/callback" element={<AuthCallback />} />
                <Route
                  path="/"
                  element={
                    <Guarded>
                      <MyWork />
                    </Guarded>
                  }
                />
                <Route
                  path="/candidacies"
                  element={
                    <Guarded>
                      <Candidacies />
                    </Guarded>
                  }
                />
                <Route
                  path="/candidacies/new"
                  element={
                    <Guarded>
                      <StartCandidacy />
                    </Guarded>
                  }
                />
                <Route
                  path="/candidacies/:cityId"
                  element={
                    <Guarded>
                      <Candidacy />
                    </Guarded>
                  }
                />
                <Route
                  path="/candidacies/:cityId/audit"
                  element={
                    <Guarded>
                      <Audit />
                    </Guarded>
                  }
                />
                <Route path="*" element={<Navigate to="/" replace />} />
              </Routes>
            </Suspense>
          </BrowserRouter>
        </Directional>
      </SessionProvider>
    </QueryClientProvider>
  );
}
