// Entry of the public pages (help.html): the help center, its forms and a patron's status page,
// with Mantine, and neither the desk, nor a router library, nor zod, nor React Query, so that a
// patron's first load stays small (bench/web.ts measures it; public-bundle.test.ts keeps it so).
import '@mantine/core/styles.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { PublicPages } from './features/public/PublicPages.js';
import { cssVariablesResolver, theme } from './theme.js';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <PublicPages />
    </MantineProvider>
  </StrictMode>,
);
