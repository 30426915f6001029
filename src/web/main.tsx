// Entry of the web app: providers (Mantine, React Query, router) and the reaction to a lost
// session anywhere in the desk.
import '@mantine/core/styles.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { ApiError } from './api/client.js';
import { keys } from './api/queries.js';
import { seedFromPage } from './api/boot.js';
import { makeRouter } from './router.js';
import { cssVariablesResolver, theme } from './theme.js';

function onError(error: unknown) {
  // A 401 inside the desk means the session ended: sign in again and come back here.
  if (!(error instanceof ApiError) || error.status !== 401) return;
  const { pathname, href } = router.state.location;
  if (pathname === '/login' || pathname === '/setup') return;
  queryClient.removeQueries({ queryKey: keys.session });
  void router.navigate({ to: '/login', search: { redirect: href } });
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      refetchOnWindowFocus: false,
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
    },
  },
});
const router = makeRouter(queryClient);

const render = () =>
  createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      {/* Notifications and confirmation dialogs belong to the desk (AppLayout): public pages load neither. */}
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
  );

// A queue's first view, sent with the page, stays on screen until the desk can draw that queue
// (its route's code loaded, its data seeded): never a blank page in between.
if (seedFromPage(queryClient)) void router.load().finally(render);
else render();
