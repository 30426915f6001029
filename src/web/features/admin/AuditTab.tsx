// The audit log, newest first, paged back by id ("Load more"), filtered by action.
import { Button, Code, Group, Loader, Stack, Table, Text, TextInput } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { AuditEntryView } from '../../../contracts/admin.js';
import { get } from '../../api/client.js';
import { useSession } from '../../api/queries.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { When } from '../../components/When.js';

interface Page {
  items: AuditEntryView[];
  nextBefore: number | null;
}

export function AuditTab() {
  const { org } = useSession();
  const [action, setAction] = useState('');
  const log = useInfiniteQuery({
    queryKey: ['admin', 'audit', action],
    queryFn: ({ pageParam }) => get<Page>('/api/admin/audit', { before: pageParam, action: action || undefined, limit: 50 }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="sm">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const v = new FormData(e.currentTarget).get('action');
          setAction(typeof v === 'string' ? v.trim() : '');
        }}
      >
        <Group align="flex-end" gap="sm">
          <TextInput name="action" label="Action" description="For example user.created or case.status_override" defaultValue={action} />
          <Button type="submit" variant="default">
            Filter
          </Button>
        </Group>
      </form>
      <ErrorAlert error={log.error} />
      {log.isPending ? (
        <Loader aria-label="Loading the audit log" />
      ) : items.length === 0 ? (
        <Text size="sm">No entries.</Text>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table verticalSpacing="xs" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">When</Table.Th>
                <Table.Th scope="col">Who</Table.Th>
                <Table.Th scope="col">Action</Table.Th>
                <Table.Th scope="col">Target</Table.Th>
                <Table.Th scope="col">Details</Table.Th>
                <Table.Th scope="col">IP</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <When ms={a.createdAt} place={org} relative={false} />
                  </Table.Td>
                  <Table.Td>{a.actor?.name ?? 'System'}</Table.Td>
                  <Table.Td>
                    <Code>{a.action}</Code>
                  </Table.Td>
                  <Table.Td>{[a.targetType, a.targetId].filter(Boolean).join(' ') || '—'}</Table.Td>
                  <Table.Td>
                    {a.detail ? (
                      <Text size="xs" ff="monospace" className="pre-wrap">
                        {JSON.stringify(a.detail)}
                      </Text>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>{a.ip ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {log.hasNextPage && (
        <Button variant="default" w="fit-content" loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          Load more
        </Button>
      )}
    </Stack>
  );
}
