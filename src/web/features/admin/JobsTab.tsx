// Background jobs: the organization's and the system's queued, running and dead jobs, newest
// first, paged back ("Load more"); a dead job can be retried, a queued or dead one discarded.
import { Badge, Button, Code, Group, Loader, Paper, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import { useState } from 'react';
import type { JobPage, JobView, ListedJobState } from '../../../contracts/jobs.js';
import { del, get, post } from '../../api/client.js';
import { useSession } from '../../api/queries.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { When } from '../../components/When.js';

const STATES: Array<{ value: ListedJobState; label: string }> = [
  { value: 'dead', label: 'Dead' },
  { value: 'queued', label: 'Queued' },
  { value: 'running', label: 'Running' },
];

const WHEN_LABEL: Record<ListedJobState, string> = { queued: 'Runs', running: 'Lease until', dead: 'Gave up' };

export function JobsTab() {
  const [state, setState] = useState<ListedJobState>('dead');
  const queryClient = useQueryClient();
  const jobs = useInfiniteQuery({
    queryKey: ['admin', 'jobs', state],
    queryFn: ({ pageParam }) => get<JobPage>('/api/admin/jobs', { state, after: pageParam, limit: 50 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = jobs.data?.pages.flatMap((p) => p.items) ?? [];
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['admin', 'jobs'] });
  const retry = useMutation({
    mutationFn: (j: JobView) => post<JobView>(`/api/admin/jobs/${j.id}/retry`),
    onSuccess: (j) => {
      refresh();
      notifications.show({ color: 'green', message: `Job ${j.id} (${j.kind}) will run again now.` });
    },
  });
  const discard = useMutation({
    mutationFn: (j: JobView) => del(`/api/admin/jobs/${j.id}`),
    onSuccess: (_r, j) => {
      refresh();
      notifications.show({ message: `Discarded job ${j.id} (${j.kind}).` });
    },
  });

  return (
    <Stack gap="sm">
      <Group justify="space-between" gap="sm">
        <SegmentedControl
          aria-label="Job state"
          value={state}
          onChange={(v) => setState(v as ListedJobState)}
          data={STATES}
        />
        <Button variant="default" onClick={refresh} loading={jobs.isRefetching}>
          Refresh
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        Reminders, emails and housekeeping run as jobs. A job that keeps failing is retried with growing delays and then
        given up (dead): retry it once the cause is fixed, or discard it.
      </Text>
      <ErrorAlert error={jobs.error} />
      <ErrorAlert error={retry.error} title="The job was not retried" />
      <ErrorAlert error={discard.error} title="The job was not discarded" />
      {jobs.isPending ? (
        <Loader aria-label="Loading jobs" />
      ) : items.length === 0 ? (
        <Text size="sm">No {state} jobs.</Text>
      ) : (
        <>
          {/* Narrow screens: one card per job, so the actions never scroll out of reach. */}
          <Stack gap="xs" hiddenFrom="sm">
            {items.map((j) => (
              <Paper key={j.id} withBorder p="sm">
                <Stack gap={6}>
                  <JobName job={j} />
                  <Text size="sm">
                    {WHEN_LABEL[state]} <JobWhen job={j} /> · attempt {j.attempts} of {j.maxAttempts}
                  </Text>
                  <LastError job={j} />
                  <JobActions job={j} retry={retry} discard={discard} />
                </Stack>
              </Paper>
            ))}
          </Stack>
          <Table.ScrollContainer minWidth={860} visibleFrom="sm">
            <Table verticalSpacing="xs" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Job</Table.Th>
                  <Table.Th scope="col">{WHEN_LABEL[state]}</Table.Th>
                  <Table.Th scope="col">Attempts</Table.Th>
                  <Table.Th scope="col">Last error</Table.Th>
                  <Table.Th scope="col">Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((j) => (
                  <Table.Tr key={j.id}>
                    <Table.Td>
                      <JobName job={j} />
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <JobWhen job={j} />
                    </Table.Td>
                    <Table.Td>
                      {j.attempts} of {j.maxAttempts}
                    </Table.Td>
                    <Table.Td>
                      <LastError job={j} />
                    </Table.Td>
                    <Table.Td>
                      <JobActions job={j} retry={retry} discard={discard} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
      {jobs.hasNextPage && (
        <Button variant="default" w="fit-content" loading={jobs.isFetchingNextPage} onClick={() => void jobs.fetchNextPage()}>
          Load more
        </Button>
      )}
    </Stack>
  );
}

function JobName({ job }: { job: JobView }) {
  return (
    <>
      <Group gap={6} wrap="nowrap">
        <Code>{job.kind}</Code>
        {job.system && (
          <Badge size="sm" variant="light" color="gray">
            System
          </Badge>
        )}
      </Group>
      <Text size="xs" c="dimmed" ff="monospace" lineClamp={2} className="pre-wrap">
        #{job.id} {JSON.stringify(job.payload)}
      </Text>
    </>
  );
}

function JobWhen({ job }: { job: JobView }) {
  const { org } = useSession();
  const when = job.state === 'running' ? job.leaseExpiresAt : job.state === 'dead' ? job.finishedAt : job.runAt;
  return when === null ? '—' : <When ms={when} place={org} relative={false} />;
}

function LastError({ job }: { job: JobView }) {
  if (!job.lastError) return '—';
  return (
    <Text size="xs" ff="monospace" lineClamp={3} className="pre-wrap" title={job.lastError}>
      {job.lastError}
    </Text>
  );
}

type JobMutation = UseMutationResult<unknown, Error, JobView>;

function JobActions({ job, retry, discard }: { job: JobView; retry: JobMutation; discard: JobMutation }) {
  const name = `job ${job.id} (${job.kind})`;
  return (
    <Group gap="xs" wrap="nowrap">
      {job.state === 'dead' && (
        <Button
          size="xs"
          variant="default"
          aria-label={`Retry ${name}`}
          loading={retry.isPending && retry.variables?.id === job.id}
          onClick={() => retry.mutate(job)}
        >
          Retry
        </Button>
      )}
      {job.state !== 'running' && (
        <Button
          size="xs"
          variant="default"
          color="red"
          aria-label={`Discard ${name}`}
          loading={discard.isPending && discard.variables?.id === job.id}
          onClick={() => {
            if (window.confirm(`Discard ${name}? Its work will not be done.`)) discard.mutate(job);
          }}
        >
          Discard
        </Button>
      )}
    </Group>
  );
}
