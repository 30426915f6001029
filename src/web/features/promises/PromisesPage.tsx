// "My promises today": overdue, due soon, due later today, kept today; the promises due after
// today page by page; and my own kept rate over a period of my choosing.
import { Alert, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { HOW_LABELS, promisesApi, type PromiseView } from '../../../contracts/promises.js';
import { call } from '../../api/client.js';
import { useKeysetList } from '../../api/keyset.js';
import { useSession } from '../../api/queries.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { formatters } from '../../lib/format.js';
import { caseColumn, KeptRateCard, listItems, listNext, PromiseStateBadge, PromiseTable } from './parts.js';
import { PeriodPicker, usePeriod } from './PeriodPicker.js';
import { promiseKeys } from './keys.js';

const BUCKETS = [
  ['overdue', 'Overdue'],
  ['dueSoon', 'Due soon (next 2 hours)'],
  ['dueToday', 'Due later today'],
] as const;

export function PromisesPage() {
  const q = useQuery({ queryKey: promiseKeys.mine, queryFn: () => call(promisesApi.mine, { query: {} }) });
  const periodState = usePeriod('30d');
  // The buckets hold the soonest due; every overdue one comes first, so all shown are overdue
  // when the overdue count is cut short.
  const overdueCapped = !!q.data?.moreToday && q.data.dueSoon.length === 0 && q.data.dueToday.length === 0;
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        My promises
      </Title>
      <ErrorAlert error={q.error} title="Your promises could not be loaded" />
      {q.isPending && <Loader aria-label="Loading your promises" />}
      {q.data && (
        <>
          {q.data.overdue.length > 0 && (
            <Alert color="red" variant="light" title={`${q.data.overdue.length}${overdueCapped ? '+' : ''} overdue`}>
              Contact the patron now, or agree a new time with them.
            </Alert>
          )}
          {BUCKETS.map(([key, label]) => (
            <Bucket key={key} label={label} items={q.data[key]} />
          ))}
          {q.data.moreToday && <Text c="dimmed">These are the 100 due soonest; the rest of today’s follow below.</Text>}
          <Later from={q.data.laterAfter} moreToday={q.data.moreToday} />
        </>
      )}
      {q.data && <Bucket label="Kept today" items={q.data.keptToday} />}
      <Stack component="section" aria-labelledby="my-kept-heading" gap="sm">
        <Title order={2} size="h4" id="my-kept-heading">
          How I kept my word
        </Title>
        <PeriodPicker state={periodState} />
        {periodState.period && <KeptRateCard scope="person" title="My promises kept" period={periodState.period} />}
      </Stack>
    </Stack>
  );
}

function Bucket({ label, items }: { label: string; items: PromiseView[] }) {
  return (
    <section aria-label={label}>
      <Title order={2} size="h4" mb="xs">
        {label} ({items.length})
      </Title>
      {items.length ? <PromiseTable items={items} caption={label} /> : <Text c="dimmed">None.</Text>}
    </section>
  );
}

/** The promises after today's buckets (today's rest, then later days), soonest first, page by page. */
function Later({ from, moreToday }: { from: string; moreToday: boolean }) {
  const { org } = useSession();
  const fmt = formatters(org);
  const list = useKeysetList({
    queryKey: promiseKeys.mineLater(from),
    page: (after: string | undefined) => call(promisesApi.mineLater, { query: { after: after ?? from } }),
    items: listItems,
    next: listNext,
  });
  const columns: Column<PromiseView>[] = [
    caseColumn,
    {
      key: 'what',
      header: 'Promised',
      cell: (p) => (
        <>
          {p.what} <Text span size="xs" c="dimmed">({HOW_LABELS[p.how]})</Text>
        </>
      ),
    },
    { key: 'to', header: 'To', cell: (p) => p.patron?.name ?? p.toUser?.name ?? '—' },
    { key: 'due', header: 'Due', nowrap: true, cell: (p) => <time dateTime={new Date(p.dueAt).toISOString()}>{fmt.dateTime(p.dueAt)}</time> },
    { key: 'state', header: 'State', cell: (p) => <PromiseStateBadge state={p.state} /> },
  ];
  const title = moreToday ? 'More due today, then later' : 'Later';
  return (
    // No name of its own: the list inside is the region of that name (one region, not two).
    <section>
      <Title order={2} size="h4" mb="xs">
        {title}
      </Title>
      <DataTable
        label={title}
        columns={columns}
        list={list}
        rowKey={(p) => p.id}
        empty={<Text c="dimmed">None.</Text>}
        loadingLabel="Loading your later promises"
        errorTitle="Your later promises could not be loaded"
      />
    </section>
  );
}
