// Background jobs: the organization's and the system's queued, running and dead jobs, newest
// first, paged back ("Load more"); a dead job can be retried, a queued or dead one discarded.
import { Badge, Button, Code, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import { useState } from 'react';
import { jobsApi, type JobPage, type JobView, type ListedJobState } from '../../../contracts/jobs.js';
import type { Place } from '../../lib/format.js';
import { call } from '../../api/client.js';
import { useKeysetList } from '../../api/keyset.js';
import { useSession } from '../../api/queries.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { When } from '../../components/When.js';
import { confirm } from '../../components/confirm.js';

const STATES: Array<{ value: ListedJobState; label: string }> = [
  { value: 'dead', label: 'Dead' },
  { value: 'queued', label: 'Queued' },
  { value: 'running', label: 'Running' },
];

const WHEN_LABEL: Record<ListedJobState, string> = { queued: 'Runs', running: 'Lease until', dead: 'Gave up' };

const itemsOf = (p: JobPage) => p.items;
const nextOf = (p: JobPage) => p.nextCursor;

type JobMutation = UseMutationResult<unknown, Error, JobView>;

const columns = (state: ListedJobState, place: Place, retry: JobMutation, discard: JobMutation): Column<JobView>[] => [
  { key: 'job', header: 'Job', primary: true, cell: (j) => <JobName job={j} /> },
  { key: 'when', header: WHEN_LABEL[state], nowrap: true, cell: (j) => <JobWhen job={j} place={place} /> },
  { key: 'attempts', header: 'Attempts', cell: (j) => `${j.attempts} of ${j.maxAttempts}` },
  { key: 'error', header: 'Last error', cell: (j) => <LastError job={j} /> },
  { key: 'actions', header: 'Actions', cell: (j) => <JobActions job={j} retry={retry} discard={discard} /> },
];

export function JobsTab() {
  const { org } = useSession();
  const [state, setState] = useState<ListedJobState>('dead');
  const queryClient = useQueryClient();
  const jobs = useKeysetList({
    queryKey: ['admin', 'jobs', state],
    page: (after: string | undefined) => call(jobsApi.list, { query: { state, after, limit: 50 } }),
    items: itemsOf,
    next: nextOf,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['admin', 'jobs'] });
  const retry = useMutation({
    mutationFn: (j: JobView) => call(jobsApi.retry, { params: { id: j.id } }),
    onSuccess: (j) => {
      refresh();
      notifications.show({ color: 'green', message: `Job ${j.id} (${j.kind}) will run again now.` });
    },
  });
  const discard = useMutation({
    mutationFn: (j: JobView) => call(jobsApi.discard, { params: { id: j.id } }),
    onSuccess: (_r, j) => {
      refresh();
      notifications.show({ message: `Discarded job ${j.id} (${j.kind}).` });
    },
  });

  return (
    <Stack gap="sm">
      <Group justify="space-between" gap="sm">
        <SegmentedControl aria-label="Job state" value={state} onChange={(v) => setState(v as ListedJobState)} data={STATES} />
        <Button variant="default" onClick={refresh}>
          Refresh
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        Reminders, emails and housekeeping run as jobs. A job that keeps failing is retried with growing delays and then
        given up (dead): retry it once the cause is fixed, or discard it.
      </Text>
      <ErrorAlert error={retry.error} title="The job was not retried" />
      <ErrorAlert error={discard.error} title="The job was not discarded" />
      <DataTable
        label={`${STATES.find((s) => s.value === state)?.label ?? ''} jobs`}
        columns={columns(state, org, retry, discard)}
        list={jobs}
        rowKey={(j) => j.id}
        empty={`No ${state} jobs.`}
        loadingLabel="Loading jobs"
        errorTitle="Could not load the jobs"
        minWidth={860}
        striped
      />
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

function JobWhen({ job, place }: { job: JobView; place: Place }) {
  const when = job.state === 'running' ? job.leaseExpiresAt : job.state === 'dead' ? job.finishedAt : job.runAt;
  return when === null ? '—' : <When ms={when} place={place} relative={false} />;
}

function LastError({ job }: { job: JobView }) {
  if (!job.lastError) return '—';
  return (
    <Text size="xs" ff="monospace" lineClamp={3} className="pre-wrap" title={job.lastError}>
      {job.lastError}
    </Text>
  );
}

function JobActions({ job, retry, discard }: { job: JobView; retry: JobMutation; discard: JobMutation }) {
  const name = `job ${job.id} (${job.kind})`;
  const ask = async () => {
    const sure = await confirm({
      title: 'Discard this job?',
      message: `Discard ${name}? Its work will not be done.`,
      confirmLabel: 'Discard job',
      danger: true,
    });
    if (sure) discard.mutate(job);
  };
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
          onClick={() => void ask()}
        >
          Discard
        </Button>
      )}
    </Group>
  );
}
