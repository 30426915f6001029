// A queue: filters in the URL, a capped count, keyset "Load more", and saving the view.
import { useState } from 'react';
import { Alert, Button, Group, Loader, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { QUEUE_LABELS, type Queue, type QueuePage as Page } from '../../../contracts/cases.js';
import { ApiError, get, post } from '../../api/client.js';
import { keys, useSession } from '../../api/queries.js';
import { ErrorAlert, errorText } from '../../components/ErrorAlert.js';
import { NotFoundPage } from '../../components/NotFoundPage.js';
import { formatters } from '../../lib/format.js';
import { isQueue, toApiQuery, toSavedFilters, validateQueueSearch, type QueueSearch } from './filters.js';
import { QueueFiltersBar } from './QueueFiltersBar.js';
import { QueueTable } from './QueueTable.js';

export function QueuePage() {
  const { queue } = useParams({ from: '/app/queue/$queue' });
  if (!isQueue(queue)) return <NotFoundPage />;
  return <QueueView queue={queue} />;
}

function QueueView({ queue }: { queue: Queue }) {
  useDocumentTitle(`${QUEUE_LABELS[queue]} · Servewell`);
  const search = useSearch({ from: '/app/queue/$queue' });
  const navigate = useNavigate();
  const { org } = useSession();
  const f = formatters(org);
  const query = toApiQuery(queue, search);

  const list = useInfiniteQuery({
    queryKey: [...keys.cases, 'list', query],
    queryFn: ({ pageParam }) => get<Page>('/api/cases', { ...query, after: pageParam, limit: 50 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const count = useQuery({
    queryKey: [...keys.cases, 'count', query],
    queryFn: () => get<{ count: number; capped: boolean }>('/api/cases/count', query),
  });

  const setFilters = (patch: Partial<Record<keyof QueueSearch, string | undefined>>) =>
    void navigate({
      to: '/queue/$queue',
      params: { queue },
      search: validateQueueSearch({ ...search, ...patch }),
      replace: true,
    });

  const cases = list.data?.pages.flatMap((p) => p.items) ?? [];
  const n = count.data?.count ?? 0;
  const countText = count.data
    ? `${f.number(n)}${count.data.capped ? '+' : ''} ${n === 1 && !count.data.capped ? 'case' : 'cases'}`
    : '';

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Title order={1}>{QUEUE_LABELS[queue]}</Title>
        <SaveViewButton queue={queue} search={search} />
      </Group>
      <QueueFiltersBar search={search} onChange={setFilters} />
      <Text size="sm" aria-live="polite" fw={500}>
        {countText}
      </Text>
      <ErrorAlert error={list.error} title="Could not load the queue" />
      {list.isPending ? (
        <Loader aria-label="Loading cases" />
      ) : cases.length === 0 ? (
        <Alert color="gray" variant="light">
          No cases match these filters.
        </Alert>
      ) : (
        <QueueTable key={JSON.stringify(query)} cases={cases} />
      )}
      {list.hasNextPage && (
        <Button
          variant="default"
          w="fit-content"
          onClick={() => void list.fetchNextPage()}
          loading={list.isFetchingNextPage}
        >
          Load more
        </Button>
      )}
    </Stack>
  );
}

function SaveViewButton({ queue, search }: { queue: Queue; search: QueueSearch }) {
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [name, setName] = useState('');
  const save = useMutation({
    mutationFn: () => post('/api/views', { name, filters: toSavedFilters(queue, search) }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.views });
      notifications.show({ color: 'green', message: `Saved the view "${name}".` });
      setOpened(false);
      setName('');
    },
  });
  const err = save.error instanceof ApiError && save.error.field === 'name' ? errorText(save.error) : undefined;
  return (
    <>
      <Button variant="default" onClick={() => setOpened(true)}>
        Save view
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title="Save view">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <Stack>
            <Text size="sm">Saves this queue with its current filters in your side navigation.</Text>
            <TextInput
              label="View name"
              required
              maxLength={60}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={err}
              data-autofocus
            />
            {save.isError && !err && <ErrorAlert error={save.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpened(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={save.isPending}>
                Save
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
