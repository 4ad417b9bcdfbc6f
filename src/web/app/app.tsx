import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useRef } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { roleHasPermission } from '#shared/roles.ts';
import { SignInPage } from '../features/auth/sign-in-page.tsx';
import { TodayPage } from '../features/today/today-page.tsx';
import { ApiError } from '../lib/api.ts';
import { setOutboxUser, startSync } from '../lib/outbox.ts';
import { SessionProvider, useSession } from '../lib/session.tsx';
import { appBase, paths } from './paths.ts';
import { Shell } from './shell.tsx';

/** Moves focus to the main content after each navigation, as a screen reader user expects. */
function FocusOnNavigate() {
  const { pathname } = useLocation();
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    document.querySelector<HTMLElement>('main')?.focus({ preventScroll: true });
  }, [pathname]);
  return null;
}

// Every screen but Today loads when first opened, so that Today starts fast on a phone; the
// service worker holds them all for offline use.
const DashboardPage = lazy(() =>
  import('../features/dashboard/dashboard-page.tsx').then((m) => ({ default: m.DashboardPage })),
);
const LogInspectionPage = lazy(() =>
  import('../features/inspections/log-inspection-page.tsx').then((m) => ({
    default: m.LogInspectionPage,
  })),
);
const EditInspectionPage = lazy(() =>
  import('../features/inspections/edit-inspection-page.tsx').then((m) => ({
    default: m.EditInspectionPage,
  })),
);
const EditVisitPage = lazy(() =>
  import('../features/visits/edit-visit-page.tsx').then((m) => ({ default: m.EditVisitPage })),
);
const EditActivityPage = lazy(() =>
  import('../features/activities/edit-activity-page.tsx').then((m) => ({
    default: m.EditActivityPage,
  })),
);
const LogVisitPage = lazy(() =>
  import('../features/visits/log-visit-page.tsx').then((m) => ({ default: m.LogVisitPage })),
);
const LogActivityPage = lazy(() =>
  import('../features/activities/log-activity-page.tsx').then((m) => ({
    default: m.LogActivityPage,
  })),
);
const StockPage = lazy(() =>
  import('../features/stock/stock-page.tsx').then((m) => ({ default: m.StockPage })),
);
const RecordsPage = lazy(() =>
  import('../features/records/records-page.tsx').then((m) => ({ default: m.RecordsPage })),
);
const InitiativesPage = lazy(() =>
  import('../features/initiatives/initiatives-page.tsx').then((m) => ({
    default: m.InitiativesPage,
  })),
);
const InitiativePage = lazy(() =>
  import('../features/initiatives/initiatives-page.tsx').then((m) => ({
    default: m.InitiativePage,
  })),
);
const CoordinationPage = lazy(() =>
  import('../features/coordination/coordination-pages.tsx').then((m) => ({
    default: m.CoordinationPage,
  })),
);
const CoordinatorInitiativePage = lazy(() =>
  import('../features/coordination/coordination-pages.tsx').then((m) => ({
    default: m.CoordinatorInitiativePage,
  })),
);
const ReportPage = lazy(() =>
  import('../features/reports/report-page.tsx').then((m) => ({ default: m.ReportPage })),
);
const UsersPage = lazy(() =>
  import('../features/admin/users-page.tsx').then((m) => ({ default: m.UsersPage })),
);
const AgencyPage = lazy(() =>
  import('../features/admin/agency-page.tsx').then((m) => ({ default: m.AgencyPage })),
);
const TipsPage = lazy(() =>
  import('../features/tips/tips-page.tsx').then((m) => ({ default: m.TipsPage })),
);
const TipPage = lazy(() =>
  import('../features/tips/tip-page.tsx').then((m) => ({ default: m.TipPage })),
);
const OutboxPage = lazy(() =>
  import('../features/sync/outbox-page.tsx').then((m) => ({ default: m.OutboxPage })),
);

/** The first screen: Today for those who log, the dashboard or the people for the others. */
function HomeFor() {
  const { state } = useSession();
  const role = state.status === 'signed-in' ? state.me.user.role : 'officer';
  if (roleHasPermission(role, 'records:write')) return <TodayPage />;
  if (roleHasPermission(role, 'summary:read')) return <Navigate to={paths.dashboard} replace />;
  if (roleHasPermission(role, 'users:write')) return <Navigate to={paths.people} replace />;
  if (roleHasPermission(role, 'coordination:manage'))
    return <Navigate to={paths.coordination} replace />;
  if (roleHasPermission(role, 'tips:read')) return <Navigate to={paths.tips} replace />;
  return (
    <>
      <h1>Milepost</h1>
      <p>Your role has no screens in this app yet; its work is done through the API.</p>
    </>
  );
}

function Screens() {
  const session = useSession();
  useEffect(() => startSync(), []);
  const userId = session.state.status === 'signed-in' ? session.state.me.user.id : null;
  useEffect(() => setOutboxUser(userId), [userId]);
  if (session.state.status === 'loading') return <p className="loading">Loading…</p>;
  if (session.state.status === 'signed-out') {
    return (
      <main id="main" className="grid-container">
        <SignInPage />
      </main>
    );
  }
  return (
    <Shell>
      <FocusOnNavigate />
      <Suspense fallback={<p>Loading…</p>}>
        <Routes>
          <Route path={paths.today} element={<HomeFor />} />
          <Route path={paths.dashboard} element={<DashboardPage />} />
          <Route path={paths.stock} element={<StockPage />} />
          <Route path={paths.records} element={<RecordsPage />} />
          <Route path={paths.initiatives} element={<InitiativesPage />} />
          <Route path={paths.people} element={<UsersPage />} />
          <Route path={paths.agency} element={<AgencyPage />} />
          <Route path={paths.initiative(':id')} element={<InitiativePage />} />
          <Route path={paths.report(':id')} element={<ReportPage />} />
          <Route path={paths.coordination} element={<CoordinationPage />} />
          <Route
            path={paths.coordinatorInitiative(':id')}
            element={<CoordinatorInitiativePage />}
          />
          <Route path={paths.tips} element={<TipsPage />} />
          <Route path={paths.tip(':id')} element={<TipPage />} />
          <Route path={paths.logInspection} element={<LogInspectionPage />} />
          <Route path={paths.editInspection(':id')} element={<EditInspectionPage />} />
          <Route path={paths.logVisit} element={<LogVisitPage />} />
          <Route path={paths.editVisit(':id')} element={<EditVisitPage />} />
          <Route path={paths.editActivity(':id')} element={<EditActivityPage />} />
          <Route path={paths.logActivity} element={<LogActivityPage />} />
          <Route path={paths.outbox} element={<OutboxPage />} />
          <Route path={paths.signIn} element={<Navigate to={paths.today} replace />} />
          <Route path="*" element={<Navigate to={paths.today} replace />} />
        </Routes>
      </Suspense>
    </Shell>
  );
}

export function App() {
  const queryClient = new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failures, error) =>
          !(error instanceof ApiError && error.status < 500) && failures < 2,
        staleTime: 10_000,
        networkMode: 'always',
      },
    },
  });
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <BrowserRouter basename={appBase}>
          <SessionExpiry client={queryClient} />
          <Screens />
        </BrowserRouter>
      </SessionProvider>
    </QueryClientProvider>
  );
}

/** A 401 from any query means the session ended on the server: back to sign-in, drafts kept. */
function SessionExpiry({ client }: { client: QueryClient }) {
  const { expired, state } = useSession();
  useEffect(
    () =>
      client.getQueryCache().subscribe((event) => {
        const error = event.query.state.error;
        if (state.status === 'signed-in' && error instanceof ApiError && error.status === 401) {
          expired();
          client.clear();
        }
      }),
    [client, expired, state.status],
  );
  return null;
}
