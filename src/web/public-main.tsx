// Entry of the public pages (help.html): the help center, its forms and a patron's status page,
// with Mantine and React Query, and neither the desk, nor a router library, nor zod, so that a
// patron's first load stays small (bench/web.ts measures it; public-bundle.test.ts keeps it so).
import '@mantine/core/styles.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from './api/client.js';
import { PublicPages } from './features/public/PublicPages.js';
import { cssVariablesResolver, theme } from './theme.js';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      refetchOnWindowFocus: false,
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>
        <PublicPages />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
