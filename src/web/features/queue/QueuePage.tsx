// A queue: filters in the URL, a capped count, keyset "Load more", and saving the view.
import { useCallback, useState } from 'react';
import { Button, Group, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  QUEUE_LABELS,
  SavedViewBody,
  casesApi,
  type CaseSummary,
  type Queue,
  type QueuePage as Page,
  type SavedViewBodyInput,
} from '../../../contracts/cases.js';
import { call } from '../../api/client.js';
import { useKeysetList } from '../../api/keyset.js';
import { keys, useSession } from '../../api/queries.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { NotFoundPage } from '../../components/NotFoundPage.js';
import { formatters } from '../../lib/format.js';
import { useArrivalFocus } from '../../lib/focus.js';
import { CaseList } from '../cases/CaseList.js';
import { StaffingWarning, useTimeToTarget } from '../staffing/QueueStaffing.js';
import { isQueue, queueListKey, toApiQuery, toSavedFilters, validateQueueSearch, type QueueSearch } from './filters.js';
import { QueueFiltersBar } from './QueueFiltersBar.js';
import { FormActions } from '../../components/FormActions.js';

const PAGE = 50;
const itemsOf = (p: Page) => p.items;
const nextOf = (p: Page) => p.nextCursor;

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
  const headingRef = useArrivalFocus<HTMLHeadingElement>(queue);

  const list = useKeysetList({
    queryKey: queueListKey(queue, search),
    page: (after: string | undefined) => call(casesApi.queue, { query: { ...query, after, limit: PAGE } }),
    items: itemsOf,
    next: nextOf,
  });
  const count = useQuery({
    queryKey: [...keys.cases, 'count', query],
    queryFn: () => call(casesApi.count, { query }),
  });
  const timeToTarget = useTimeToTarget(list.items);
  const open = useCallback((c: CaseSummary) => void navigate({ to: '/cases/$ref', params: { ref: c.ref } }), [navigate]);

  const setFilters = (patch: Partial<Record<keyof QueueSearch, string | undefined>>) =>
    void navigate({
      to: '/queue/$queue',
      params: { queue },
      search: validateQueueSearch({ ...search, ...patch }),
      replace: true,
    });

  const n = count.data?.count ?? 0;
  const countText = count.data
    ? `${f.number(n)}${count.data.capped ? '+' : ''} ${n === 1 && !count.data.capped ? 'case' : 'cases'}`
    : '';

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Title order={1} ref={headingRef} tabIndex={-1}>
          {QUEUE_LABELS[queue]}
        </Title>
        <SaveViewButton queue={queue} search={search} />
      </Group>
      {queue === 'team' && <StaffingWarning />}
      <QueueFiltersBar search={search} onChange={setFilters} />
      <Text size="sm" aria-live="polite" fw={500}>
        {countText}
      </Text>
      <CaseList
        key={JSON.stringify(query)}
        list={list}
        empty="No cases match these filters."
        onOpen={open}
        minWidth={960}
        extra={[timeToTarget]}
        rememberAs={JSON.stringify(query)}
      />
    </Stack>
  );
}

const VIEW_LABELS = { name: 'View name' } as const;

function SaveViewButton({ queue, search }: { queue: Queue; search: QueueSearch }) {
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button variant="default" onClick={() => setOpened(true)}>
        Save view
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title="Save view">
        {opened && <SaveViewForm queue={queue} search={search} onDone={() => setOpened(false)} />}
      </Modal>
    </>
  );
}

function SaveViewForm({ queue, search, onDone }: { queue: Queue; search: QueueSearch; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const form = useFormErrors(SavedViewBody, VIEW_LABELS);
  const save = useMutation({
    mutationFn: (body: SavedViewBodyInput) => call(casesApi.saveView, { body }),
    onSuccess: (view) => {
      void queryClient.invalidateQueries({ queryKey: keys.views });
      notifications.show({ color: 'green', message: `Saved the view "${view.name}".` });
      onDone();
    },
    onError: (e) => form.fail(e),
  });
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const body = form.check({ name, filters: toSavedFilters(queue, search) });
        if (body) save.mutate(body);
      }}
    >
      <Stack>
        <Text size="sm">Saves this queue with its current filters in your side navigation.</Text>
        <FormErrors form={form} title="The view was not saved" />
        <TextInput
          {...form.field('name')}
          label={VIEW_LABELS.name}
          required
          maxLength={60}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          data-autofocus
        />
        <FormActions onCancel={onDone} loading={save.isPending} submitLabel="Save" />
      </Stack>
    </form>
  );
}
