// A friendly dead end on the public side: a bad link, an unknown help center or case.
import { Anchor, Stack, Text, Title } from '@mantine/core';
import { PublicLayout } from './PublicLayout.js';

export function PublicNotFound({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <PublicLayout>
      <Stack gap="md" maw={640}>
        <Title order={1}>{title}</Title>
        {children ?? <Text>The link may be mistyped or out of date.</Text>}
        <Anchor href="/help" w="fit-content">
          Go to the help center
        </Anchor>
      </Stack>
    </PublicLayout>
  );
}
