// The desk's route tree: sign-in, and the signed-in desk behind one layout route that makes sure
// there is a session. The public pages (help center, web form, status page) are not here: they
// are the build's other entry (help.html, features/public/PublicPages.tsx), with no router.
import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import { ApiError } from './api/client.js';
import { sessionQuery } from './api/queries.js';
import type { SessionView } from '../contracts/auth.js';
import { defaultQueue } from '../contracts/cases.js';
import { NotFoundPage } from './components/NotFoundPage.js';
import { validateLoginSearch } from './features/auth/login-search.js';
import { validateQueueSearch } from './features/queue/filters.js';
import { validateSearchSearch } from './features/search/params.js';

// Each screen is its own chunk, loaded when its route is (bench/web.ts measures what each first
// load costs).
const lazy = lazyRouteComponent;
const LoginPage = lazy(() => import('./features/auth/LoginPage.js'), 'LoginPage');
const SetupPage = lazy(() => import('./features/auth/SetupPage.js'), 'SetupPage');
const AppLayout = lazy(() => import('./components/AppLayout.js'), 'AppLayout');
const QueuePage = lazy(() => import('./features/queue/QueuePage.js'), 'QueuePage');
const CasePage = lazy(() => import('./features/cases/CasePage.js'), 'CasePage');
const PatronPage = lazy(() => import('./features/patrons/PatronPage.js'), 'PatronPage');
const SearchPage = lazy(() => import('./features/search/SearchPage.js'), 'SearchPage');
const AdminPage = lazy(() => import('./features/admin/AdminPage.js'), 'AdminPage');
const AccountPage = lazy(() => import('./features/auth/AccountPage.js'), 'AccountPage');
const PatronListPage = lazy(() => import('./features/patrons/PatronList.js'), 'PatronListPage');
const DuplicateReviewPage = lazy(() => import('./features/patrons/PatronDuplicates.js'), 'DuplicateReviewPage');
const PromisesPage = lazy(() => import('./features/promises/PromisesPage.js'), 'PromisesPage');
const TeamPromisesPage = lazy(() => import('./features/promises/TeamPromisesPage.js'), 'TeamPromisesPage');
const DashboardPage = lazy(() => import('./features/dashboard/DashboardPage.js'), 'DashboardPage');
const StaffingPage = lazy(() => import('./features/staffing/StaffingPage.js'), 'StaffingPage');

export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFoundPage,
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: validateLoginSearch,
  component: LoginPage,
});

const setupRoute = createRoute({ getParentRoute: () => rootRoute, path: '/setup', component: SetupPage });

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    // The desk's frame loads while the session is checked, not after.
    void AppLayout.preload?.();
    try {
      await context.queryClient.ensureQueryData(sessionQuery);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        throw redirect({ to: '/login', search: { redirect: location.href } });
      }
      throw e;
    }
  },
  component: AppLayout,
});

const indexRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  beforeLoad: ({ context }) => {
    // Associates and volunteers work their own cases first; supervisors and admins the whole desk.
    const role = context.queryClient.getQueryData<SessionView>(sessionQuery.queryKey)?.user.role;
    throw redirect({ to: '/queue/$queue', params: { queue: role ? defaultQueue(role) : 'open' }, replace: true });
  },
});

const queueRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/queue/$queue',
  validateSearch: validateQueueSearch,
  component: QueuePage,
});

const caseRoute = createRoute({ getParentRoute: () => appRoute, path: '/cases/$ref', component: CasePage });
const patronRoute = createRoute({ getParentRoute: () => appRoute, path: '/patrons/$id', component: PatronPage });
const patronsRoute = createRoute({ getParentRoute: () => appRoute, path: '/patrons', component: PatronListPage });
const duplicatesRoute = createRoute({ getParentRoute: () => appRoute, path: '/patrons/duplicates', component: DuplicateReviewPage });
const searchRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/search',
  validateSearch: validateSearchSearch,
  component: SearchPage,
});
const adminRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin', component: AdminPage });
const staffingRoute = createRoute({ getParentRoute: () => appRoute, path: '/staffing', component: StaffingPage });
const dashboardRoute = createRoute({ getParentRoute: () => appRoute, path: '/dashboard', component: DashboardPage });
const accountRoute = createRoute({ getParentRoute: () => appRoute, path: '/account', component: AccountPage });
const promisesRoute = createRoute({ getParentRoute: () => appRoute, path: '/promises', component: PromisesPage });
const teamPromisesRoute = createRoute({ getParentRoute: () => appRoute, path: '/promises/team', component: TeamPromisesPage });

const routeTree = rootRoute.addChildren([
  loginRoute,
  setupRoute,
  appRoute.addChildren([
    indexRoute,
    queueRoute,
    caseRoute,
    patronsRoute,
    patronRoute,
    duplicatesRoute,
    searchRoute,
    adminRoute,
    staffingRoute,
    accountRoute,
    dashboardRoute,
    promisesRoute,
    teamPromisesRoute,
  ]),
]);

export function makeRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: false,
    defaultNotFoundComponent: NotFoundPage,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof makeRouter>;
  }
}
