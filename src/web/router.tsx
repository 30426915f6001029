// The route tree: public pages (help center, web form, status page), sign-in, and the
// signed-in desk behind one layout route that makes sure there is a session.
import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import { ApiError, call } from './api/client.js';
import { sessionQuery } from './api/queries.js';
import { helpcenterApi } from '../contracts/helpcenter.js';
import { NotFoundPage } from './components/NotFoundPage.js';
import { AppLayout } from './components/AppLayout.js';
import { LoginPage, validateLoginSearch } from './features/auth/LoginPage.js';
import { SetupPage } from './features/auth/SetupPage.js';
import { AccountPage } from './features/auth/AccountPage.js';
import { QueuePage } from './features/queue/QueuePage.js';
import { validateQueueSearch } from './features/queue/filters.js';
import { CasePage } from './features/cases/CasePage.js';
import { PatronPage } from './features/patrons/PatronPage.js';
import { DuplicateReviewPage } from './features/patrons/PatronDuplicates.js';
import { SearchPage, validateSearchSearch } from './features/search/SearchPage.js';
import { AdminPage } from './features/admin/AdminPage.js';
import { HelpHome } from './features/public/HelpHome.js';
import { ContactPage } from './features/public/ContactPage.js';
import { StatusPage } from './features/public/StatusPage.js';
import { PromisesPage } from './features/promises/PromisesPage.js';
import { TeamPromisesPage } from './features/promises/TeamPromisesPage.js';
import { PublicBookPage } from './features/staffing/PublicBookPage.js';
import { StaffingPage } from './features/staffing/StaffingPage.js';

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

const helpRedirectRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/help',
  beforeLoad: async () => {
    const org = await call(helpcenterApi.org);
    throw redirect({ to: '/help/$org', params: { org: org.slug }, replace: true });
  },
});
const helpHomeRoute = createRoute({ getParentRoute: () => rootRoute, path: '/help/$org', component: HelpHome });
const contactRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/help/$org/contact',
  component: ContactPage,
});
const bookRoute = createRoute({ getParentRoute: () => rootRoute, path: '/help/$org/book', component: PublicBookPage });
const statusRoute = createRoute({ getParentRoute: () => rootRoute, path: '/status/$token', component: StatusPage });

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
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
  beforeLoad: () => {
    throw redirect({ to: '/queue/$queue', params: { queue: 'open' }, replace: true });
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
const duplicatesRoute = createRoute({ getParentRoute: () => appRoute, path: '/patrons/duplicates', component: DuplicateReviewPage });
const searchRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/search',
  validateSearch: validateSearchSearch,
  component: SearchPage,
});
const adminRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin', component: AdminPage });
const staffingRoute = createRoute({ getParentRoute: () => appRoute, path: '/staffing', component: StaffingPage });
const accountRoute = createRoute({ getParentRoute: () => appRoute, path: '/account', component: AccountPage });
const promisesRoute = createRoute({ getParentRoute: () => appRoute, path: '/promises', component: PromisesPage });
const teamPromisesRoute = createRoute({ getParentRoute: () => appRoute, path: '/promises/team', component: TeamPromisesPage });

const routeTree = rootRoute.addChildren([
  loginRoute,
  setupRoute,
  helpRedirectRoute,
  helpHomeRoute,
  contactRoute,
  bookRoute,
  statusRoute,
  appRoute.addChildren([
    indexRoute,
    queueRoute,
    caseRoute,
    patronRoute,
    duplicatesRoute,
    searchRoute,
    adminRoute,
    staffingRoute,
    accountRoute,
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
