// "Book a callback" on the help center, shown only where the team takes the time and has slots.
import { Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { staffingApi } from '../../../contracts/staffing.js';
import { call } from '../../api/client.js';
import { AnchorLink } from '../../components/links.js';

export function BookCallbackLink({ slug }: { slug: string }) {
  const slots = useQuery({ queryKey: ['public', 'slots', slug], queryFn: () => call(staffingApi.publicSlots, { params: { org: slug } }) });
  if (!slots.data?.offered || slots.data.items.length === 0) return null;
  return (
    <>
      <Text>Rather talk it through? Book a time and we will call you, with the time your question needs.</Text>
      <AnchorLink to="/help/$org/book" params={{ org: slug }} size="lg" fw={600} w="fit-content">
        Book a callback
      </AnchorLink>
    </>
  );
}
