// The signed-in desk: header (organization, search, quick log, user menu), the side navigation
// the features declare, the page, live updates, and the shortcuts that work from anywhere.
import { useMemo, useRef, useState } from 'react';
import { ActionIcon, AppShell, Burger, Button, Group, Kbd, Menu, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import '@mantine/notifications/styles.css';
import { Outlet, useNavigate } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import { authApi } from '../../contracts/auth.js';
import { call, resetCsrf } from '../api/client.js';
import { useSession } from '../api/queries.js';
import { useShortcuts } from '../lib/shortcuts.js';
import { useLiveUpdates } from '../features/live/useLiveUpdates.js';
import { QuickLogModal } from '../features/quicklog/QuickLogModal.js';
import { NotificationBell } from '../features/notifications/NotificationBell.js';
import { ShortcutsDialog } from './ShortcutsDialog.js';
import { SideNav } from './SideNav.js';

export function AppLayout() {
  const session = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [navOpen, nav] = useDisclosure(false);
  const [logOpen, log] = useDisclosure(false);
  const [helpOpen, help] = useDisclosure(false);
  const [q, setQ] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  useLiveUpdates(session.user);

  const bindings = useMemo(
    () => ({
      // Selected, so typing replaces the last search.
      '/': () => searchRef.current?.select(),
      n: () => log.open(),
      '?': () => help.open(),
    }),
    [log, help],
  );
  useShortcuts(bindings);

  const signOut = async () => {
    try {
      await call(authApi.logout);
    } finally {
      resetCsrf();
      // Leave the desk first, so nothing on screen refetches the ended session.
      await navigate({ to: '/login', search: {} });
      queryClient.clear();
    }
  };

  const skipToMain = (e: React.MouseEvent) => {
    e.preventDefault();
    const main = document.getElementById('main-content');
    main?.focus();
    main?.scrollIntoView();
  };

  return (
    <ModalsProvider>
      <Notifications position="bottom-right" />
      <a href="#main-content" className="skip-link" onClick={skipToMain}>
        Skip to main content
      </a>
      <AppShell
        header={{ height: 60 }}
        navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !navOpen } }}
        padding="md"
      >
        <AppShell.Header>
          <Group h="100%" px="md" gap="md" wrap="nowrap">
            <Burger opened={navOpen} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Text fw={700} size="lg" truncate visibleFrom="xs" maw={260}>
              {session.org.name}
            </Text>
            <form
              role="search"
              style={{ flex: 1, maxWidth: 480 }}
              onSubmit={(e) => {
                e.preventDefault();
                const term = q.trim();
                if (!term) return;
                searchRef.current?.blur();
                void navigate({ to: '/search', search: { q: term } });
              }}
            >
              <TextInput
                ref={searchRef}
                type="search"
                value={q}
                onChange={(e) => setQ(e.currentTarget.value)}
                placeholder="Search cases and patrons"
                aria-label="Search cases and patrons"
                rightSection={<Kbd size="xs">/</Kbd>}
                rightSectionPointerEvents="none"
              />
            </form>
            <Button onClick={log.open} aria-keyshortcuts="n" visibleFrom="sm">
              Log a call or visit
            </Button>
            <ActionIcon onClick={log.open} hiddenFrom="sm" size={36} aria-label="Log a call or visit">
              <span aria-hidden="true" style={{ fontSize: 22, lineHeight: 1 }}>
                +
              </span>
            </ActionIcon>
            <NotificationBell />
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton aria-label={`Account menu for ${session.user.name}`} px="xs" py={6}>
                  <Text size="sm" fw={500} truncate maw={{ base: 72, xs: 160 }}>
                    {session.user.name}
                  </Text>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{session.user.email}</Menu.Label>
                <Menu.Item onClick={() => void navigate({ to: '/account' })}>Change password</Menu.Item>
                <Menu.Item onClick={() => void signOut()}>Sign out</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="sm" aria-label="Desk">
          <SideNav onNavigate={nav.close} />
        </AppShell.Navbar>
        <AppShell.Main id="main-content" tabIndex={-1} style={{ outline: 'none' }}>
          <Outlet />
        </AppShell.Main>
      </AppShell>
      <QuickLogModal opened={logOpen} onClose={log.close} />
      <ShortcutsDialog opened={helpOpen} onClose={help.close} />
    </ModalsProvider>
  );
}
