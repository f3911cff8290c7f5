import { App as AntApp, ConfigProvider, Spin, theme } from 'antd';
import enUSModule from 'antd/es/locale/en_US.js';
import zhCNModule from 'antd/es/locale/zh_CN.js';
import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { SessionProvider, useSession } from './auth/SessionProvider.js';
import { OfflineModeBanner } from './auth/OfflineModeBanner.js';
import { I18nProvider, useI18n } from './i18n/I18nProvider.js';
import { canOpen, landingPath, type NavKey } from './layout/navigation.js';
import { ForbiddenPage, NotFoundPage } from './pages/NotFoundPage.js';
import { interopDefault } from './lib/interop.js';

const enUS = interopDefault(enUSModule);
const zhCN = interopDefault(zhCNModule);

// Every screen is its own chunk: the login page does not download the map, the map does not download tables.
const LoginPage = lazy(() => import('./pages/LoginPage.js'));
const ForceChangePasswordPage = lazy(() => import('./pages/ForceChangePasswordPage.js'));
const ConsoleLayout = lazy(() => import('./layout/ConsoleLayout.js'));
const MapPage = lazy(() => import('./pages/MapPage.js'));
const OrgPage = lazy(() => import('./pages/OrgPage.js'));
const PeoplePage = lazy(() => import('./pages/PeoplePage.js'));
const GridsPage = lazy(() => import('./pages/GridsPage.js'));
const PointsPage = lazy(() => import('./pages/PointsPage.js'));
const MapSettingsPage = lazy(() => import('./pages/MapSettingsPage.js'));
const AuditPage = lazy(() => import('./pages/AuditPage.js'));
const ApiKeysPage = lazy(() => import('./pages/ApiKeysPage.js'));
const CategoriesPage = lazy(() => import('./pages/categories/CategoriesPage.js'));
const RoutingPage = lazy(() => import('./pages/routing/RoutingPage.js'));
const LedgerPage = lazy(() => import('./pages/ledger/LedgerPage.js'));
const CaseImportPage = lazy(() => import('./pages/imports/CaseImportPage.js'));
const CalendarPage = lazy(() => import('./pages/calendar/CalendarPage.js'));
const StandardsPage = lazy(() => import('./pages/standards/StandardsPage.js'));
const PlansPage = lazy(() => import('./pages/inspections/PlansPage.js'));
const PlanDetailPage = lazy(() => import('./pages/inspections/PlanDetailPage.js'));
const InspectPage = lazy(() => import('./pages/inspections/InspectPage.js'));
const EvidencePage = lazy(() => import('./pages/evidence/EvidencePage.js'));
const ReportPage = lazy(() => import('./pages/cases/ReportPage.js'));
const DispatchPage = lazy(() => import('./pages/cases/DispatchPage.js'));
const TodoPage = lazy(() => import('./pages/cases/TodoPage.js'));
const GridWorkPage = lazy(() => import('./pages/cases/GridWorkPage.js'));
const MyReportsPage = lazy(() => import('./pages/cases/MyReportsPage.js'));
const CaseListPage = lazy(() => import('./pages/cases/CaseListPage.js'));
const CaseDetailPage = lazy(() => import('./pages/cases/CaseDetailPage.js'));

function FullScreenSpin() {
  return (
    <div className="wm-fullscreen-spin" data-testid="app-loading">
      <Spin size="large" />
    </div>
  );
}

function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.status === 'loading') return <FullScreenSpin />;
  if (session.status !== 'signed-in' || !session.user) {
    const from = `${location.pathname}${location.search}`;
    return <Navigate to={from && from !== '/' ? `/login?next=${encodeURIComponent(from)}` : '/login'} replace />;
  }
  if (session.user.mustChangePassword) return <ForceChangePasswordPage />;
  return (
    <>
      <OfflineModeBanner />
      {children}
    </>
  );
}

function Allowed({ nav, children }: { nav: NavKey; children: ReactNode }) {
  const { user } = useSession();
  if (!user || !canOpen(user.role, nav)) return <ForbiddenPage />;
  return <>{children}</>;
}

/** Each role starts on its workbench: the dispatcher's queue, a unit's to-do list, a grid worker's lists… */
function LandingRedirect() {
  const { user } = useSession();
  return <Navigate to={user ? landingPath(user.role) : '/map'} replace />;
}

function Routed() {
  return (
    <Suspense fallback={<FullScreenSpin />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          element={
            <RequireSession>
              <ConsoleLayout />
            </RequireSession>
          }
        >
          <Route index element={<LandingRedirect />} />
          <Route path="dispatch" element={<Allowed nav="dispatch"><DispatchPage /></Allowed>} />
          <Route path="todo" element={<Allowed nav="todo"><TodoPage /></Allowed>} />
          <Route path="grid-work" element={<Allowed nav="grid-work"><GridWorkPage /></Allowed>} />
          <Route path="report" element={<Allowed nav="report"><ReportPage /></Allowed>} />
          <Route path="my-reports" element={<Allowed nav="my-reports"><MyReportsPage /></Allowed>} />
          <Route path="cases" element={<Allowed nav="cases"><CaseListPage /></Allowed>} />
          {/* Anyone may open a case they can see (a reporter follows their report); the server decides. */}
          <Route path="cases/:id" element={<CaseDetailPage />} />
          <Route path="ledger" element={<Allowed nav="ledger"><LedgerPage /></Allowed>} />
          <Route path="imports" element={<Allowed nav="imports"><CaseImportPage /></Allowed>} />
          <Route path="calendar" element={<Allowed nav="calendar"><CalendarPage /></Allowed>} />
          <Route path="standards" element={<Allowed nav="standards"><StandardsPage /></Allowed>} />
          <Route path="inspections" element={<Allowed nav="inspections"><PlansPage /></Allowed>} />
          <Route path="inspections/:id" element={<Allowed nav="inspections"><PlanDetailPage /></Allowed>} />
          {/* Inspectors and the citizen patrol; office staff assigned to a plan too (the server checks the plan). */}
          <Route path="inspect/*" element={<InspectPage />} />
          <Route path="evidence" element={<Allowed nav="evidence"><EvidencePage /></Allowed>} />
          <Route path="categories" element={<Allowed nav="categories"><CategoriesPage /></Allowed>} />
          <Route path="routing" element={<Allowed nav="routing"><RoutingPage /></Allowed>} />
          <Route path="map" element={<Allowed nav="map"><MapPage /></Allowed>} />
          <Route path="points" element={<Allowed nav="points"><PointsPage /></Allowed>} />
          <Route path="grids" element={<Allowed nav="grids"><GridsPage /></Allowed>} />
          <Route path="orgs" element={<Allowed nav="orgs"><OrgPage /></Allowed>} />
          <Route path="people" element={<Allowed nav="people"><PeoplePage /></Allowed>} />
          <Route path="settings" element={<Navigate to="/settings/map" replace />} />
          <Route path="settings/map" element={<Allowed nav="settings-map"><MapSettingsPage /></Allowed>} />
          <Route path="settings/audit" element={<Allowed nav="audit"><AuditPage /></Allowed>} />
          <Route path="settings/api-keys" element={<Allowed nav="api-keys"><ApiKeysPage /></Allowed>} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </Suspense>
  );
}

function Themed({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  return (
    <ConfigProvider
      locale={lang === 'en-US' ? enUS : zhCN}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: {
          colorPrimary: '#b71c1c',
          colorLink: '#b71c1c',
          borderRadius: 6,
          fontFamily:
            "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif",
        },
      }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Themed>
        <BrowserRouter>
          <SessionProvider>
            <Routed />
          </SessionProvider>
        </BrowserRouter>
      </Themed>
    </I18nProvider>
  );
}
