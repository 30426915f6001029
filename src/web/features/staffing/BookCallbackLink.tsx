// "Book a callback" on the help center, shown only where the team takes the time and has slots.
import { Anchor, Text } from '@mantine/core';
import { call } from '../../api/client.js';
import { publicApi } from '../public/api.js';
import { useLoad } from '../public/requests.js';

export function BookCallbackLink({ slug }: { slug: string }) {
  const slots = useLoad(slug, () => call(publicApi.slots, { params: { org: slug } }));
  if (!slots.data?.offered || slots.data.items.length === 0) return null;
  return (
    <>
      <Text>Rather talk it through? Book a time and we will call you, with the time your question needs.</Text>
      <Anchor href={`/help/${encodeURIComponent(slug)}/book`} size="lg" fw={600} w="fit-content">
        Book a callback
      </Anchor>
    </>
  );
}
