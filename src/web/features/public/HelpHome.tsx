// The help center's front page: who we are and how to reach us.
import { Anchor, Loader, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { usePageParams } from './place.js';
import { PublicLayout } from './PublicLayout.js';
import { PublicNotFound } from './PublicNotFound.js';
import { usePublicOrg } from './usePublicOrg.js';
import { BookCallbackLink } from '../staffing/BookCallbackLink.js';

export function HelpHome() {
  const { org: slug } = usePageParams<'org'>();
  const org = usePublicOrg(slug);
  useDocumentTitle(org.data ? `${org.data.name} · Help center` : 'Help center');
  if (org.isError) return <PublicNotFound title="We could not find this help center" />;
  return (
    <PublicLayout orgName={org.data?.name} slug={slug}>
      {org.isPending ? (
        <Loader aria-label="Loading" />
      ) : (
        <Stack gap="md" maw={640}>
          <Title order={1}>{org.data.name}</Title>
          <Text size="lg">Welcome to our help center. We are here to help with tickets, visits, giving and anything else.</Text>
          <Text>
            Send us a message and we will answer by email, usually within one working day. You will get a private link
            to follow your case and reply.
          </Text>
          <Anchor href={`/help/${encodeURIComponent(slug)}/contact`} size="lg" fw={600} w="fit-content">
            Contact us
          </Anchor>
          <BookCallbackLink slug={slug} />
        </Stack>
      )}
    </PublicLayout>
  );
}
