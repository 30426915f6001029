// Who this is at a glance, beside a case: preferred name, pronouns, open needs, the last three
// contacts and the relationship summary (the latter not for volunteers).
import { Anchor, Badge, Group, Loader, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { CHANNEL_LABELS } from '../../../contracts/cases.js';
import { patronsApi } from '../../../contracts/patrons.js';
import { call } from '../../api/client.js';
import { keys, useSession } from '../../api/queries.js';
import { AnchorLink } from '../../components/links.js';
import { When } from '../../components/When.js';
import { NEED_LABELS, summaryLine } from './labels.js';

export function PatronGlance({ id }: { id: number }) {
  const { org } = useSession();
  const query = useQuery({ queryKey: keys.patron(id), queryFn: () => call(patronsApi.get, { params: { id } }) });
  if (query.isPending) return <Loader size="xs" aria-label="Loading the patron" />;
  if (query.isError) return null;
  const p = query.data;
  const open = p.needs.filter((n) => n.status === 'open' || n.status === 'in_progress');
  return (
    <Stack gap={6} mt="xs" aria-label="Patron at a glance">
      {(p.preferredName || p.pronouns) && (
        <Text size="sm">
          {p.preferredName && (
            <>
              Prefers <strong>{p.preferredName}</strong>
            </>
          )}
          {p.preferredName && p.pronouns && ' · '}
          {p.pronouns}
        </Text>
      )}
      {p.communication.doNotContact && (
        <Badge color="red" variant="light" tt="none">
          Do not contact
        </Badge>
      )}
      {p.accessibility && <Text size="sm">Access: {p.accessibility}</Text>}
      <div>
        <Text size="sm" fw={600}>
          Needs
        </Text>
        {open.length ? (
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {open.map((n) => (
              <li key={n.id}>
                <Text size="sm" span>
                  {n.title} <Text span c="dimmed" size="xs">({NEED_LABELS[n.status]})</Text>
                </Text>
              </li>
            ))}
          </ul>
        ) : (
          <Text size="sm" c="dimmed">
            None open
          </Text>
        )}
      </div>
      <div>
        <Text size="sm" fw={600}>
          Last contacts
        </Text>
        {p.recentContacts.length ? (
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {p.recentContacts.map((c) => (
              <li key={c.caseId}>
                <Group gap={4} wrap="nowrap">
                  <AnchorLink to="/cases/$ref" params={{ ref: c.ref }} size="sm" className="target-24">
                    {c.ref}
                  </AnchorLink>
                  <Text size="xs" c="dimmed" truncate>
                    {CHANNEL_LABELS[c.channel]} · <When ms={c.at} place={org} />
                  </Text>
                </Group>
              </li>
            ))}
          </ul>
        ) : (
          <Text size="sm" c="dimmed">
            None yet
          </Text>
        )}
      </div>
      {p.value && (
        <Text size="sm">
          <Text span fw={600} size="sm">
            Relationship:
          </Text>{' '}
          {summaryLine(p.value.summary, org.locale)}
        </Text>
      )}
      {p.cameBack && (
        <Text size="xs" c="dimmed">
          Came back after a resolved case
        </Text>
      )}
      {p.askedFor && <Text size="sm">Asks for {p.askedFor.name}</Text>}
      {p.email && (
        <Anchor href={`mailto:${p.email}`} size="sm">
          {p.email}
        </Anchor>
      )}
    </Stack>
  );
}
