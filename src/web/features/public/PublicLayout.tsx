// The frame of every public page: the organization's name, one main region, a footer.
import type { ReactNode } from 'react';
import { Anchor, Box, Container, Group, Text } from '@mantine/core';

interface Props {
  orgName?: string | undefined;
  slug?: string | undefined;
  children: ReactNode;
}

export function PublicLayout({ orgName, slug, children }: Props) {
  const name = orgName ?? 'Help center';
  return (
    <Box style={{ minHeight: '100vh', display: 'flex', flexDirection: 'column' }}>
      <a
        href="#main-content"
        className="skip-link"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main-content')?.focus();
        }}
      >
        Skip to main content
      </a>
      <Box component="header" py="md" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Container size="md">
          <Group justify="space-between">
            {slug ? (
              <Anchor href={`/help/${encodeURIComponent(slug)}`} fw={700} size="lg" c="dark">
                {name}
              </Anchor>
            ) : (
              <Text fw={700} size="lg">
                {name}
              </Text>
            )}
            <Text size="sm">Help center</Text>
          </Group>
        </Container>
      </Box>
      <Box component="main" id="main-content" tabIndex={-1} py="xl" style={{ flex: 1, outline: 'none' }}>
        <Container size="md">{children}</Container>
      </Box>
      <Box component="footer" py="md" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
        <Container size="md">
          <Text size="sm">
            {orgName ? `${orgName} · ` : ''}Customer service by Servewell
          </Text>
        </Container>
      </Box>
    </Box>
  );
}
