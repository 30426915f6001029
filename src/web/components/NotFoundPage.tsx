// Shown for any address the router does not know.
import { Container, Stack, Text, Title } from '@mantine/core';
import { AnchorLink } from './links.js';

export function NotFoundPage() {
  return (
    <Container size="sm" py="xl">
      <main>
        <Stack>
          <Title order={1}>Page not found</Title>
          <Text>There is nothing at this address. It may have moved, or the link may be mistyped.</Text>
          <AnchorLink to="/">
            Go to the start page
          </AnchorLink>
        </Stack>
      </main>
    </Container>
  );
}
