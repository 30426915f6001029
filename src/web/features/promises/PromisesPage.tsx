// "My promises today": overdue, due soon, due today, later, kept today; and my own kept rate
// over a period of my choosing.
import { Alert, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { promisesApi, type PromiseView } from '../../../contracts/promises.js';
import { call } from '../../api/client.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { KeptRateCard, PromiseTable } from './parts.js';
import { PeriodPicker, usePeriod } from './PeriodPicker.js';
import { promiseKeys } from './keys.js';

const BUCKETS = [
  ['overdue', 'Overdue'],
  ['dueSoon', 'Due soon (next 2 hours)'],
  ['dueToday', 'Due later today'],
  ['later', 'Later'],
  ['keptToday', 'Kept today'],
] as const;

export function PromisesPage() {
  const q = useQuery({ queryKey: promiseKeys.mine, queryFn: () => call(promisesApi.mine, { query: {} }) });
  const periodState = usePeriod('30d');
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
            <Alert color="red" variant="light" title={`${q.data.overdue.length} overdue`}>
              Contact the patron now, or agree a new time with them.
            </Alert>
          )}
          {BUCKETS.map(([key, label]) => (
            <Bucket key={key} label={label} items={q.data[key]} />
          ))}
        </>
      )}
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
