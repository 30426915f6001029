// The team's promises still to keep, soonest first (keyset-paged), with the team's and the
// organization's kept rate.
import { useState } from 'react';
import { Group, NativeSelect, Stack, Title } from '@mantine/core';
import { promisesApi, type PromiseView } from '../../../contracts/promises.js';
import { call } from '../../api/client.js';
import { useKeysetList } from '../../api/keyset.js';
import { useSession, useTeams } from '../../api/queries.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { formatters, useNow } from '../../lib/format.js';
import { promiseKeys } from './keys.js';
import { caseColumn, KeptRateCard, listItems, listNext, PromiseStateBadge } from './parts.js';
import { TeamReminderSettings } from './TeamReminderSettings.js';

export function TeamPromisesPage() {
  const { user, org } = useSession();
  const teams = useTeams();
  const [teamId, setTeamId] = useState<number | null>(user.teamId ?? teams[0]?.id ?? null);
  const fmt = formatters(org);
  const list = useKeysetList({
    queryKey: promiseKeys.team(teamId),
    page: (after: string | undefined) => call(promisesApi.team, { query: { ...(teamId ? { teamId } : {}), ...(after ? { after } : {}) } }),
    items: listItems,
    next: listNext,
    enabled: teamId !== null,
  });
  const now = useNow();
  const columns: Column<PromiseView>[] = [
    caseColumn,
    { key: 'what', header: 'Promised', cell: (p) => p.what },
    { key: 'to', header: 'To', cell: (p) => p.patron?.name ?? p.toUser?.name ?? '—' },
    { key: 'owner', header: 'Owner', cell: (p) => p.owner.name },
    { key: 'due', header: 'Due', nowrap: true, cell: (p) => fmt.dateTime(p.dueAt) },
    { key: 'state', header: 'State', cell: (p) => <PromiseStateBadge state={p.state} overdue={p.dueAt <= now} /> },
  ];
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          Team promises
        </Title>
        <NativeSelect
          label="Team"
          value={teamId === null ? '' : String(teamId)}
          onChange={(e) => setTeamId(e.currentTarget.value ? Number(e.currentTarget.value) : null)}
          data={teams.map((t) => ({ value: String(t.id), label: t.name }))}
        />
      </Group>
      <DataTable
        label="Promises still to keep"
        columns={columns}
        list={list}
        rowKey={(p) => p.id}
        empty="No promises to keep."
        loadingLabel="Loading the team’s promises"
      />
      <Group grow align="stretch">
        {teamId !== null && <KeptRateCard scope="team" id={teamId} title="The team’s promises kept" />}
        <KeptRateCard scope="org" title="The organization’s promises kept" />
      </Group>
      {teamId !== null && (
        <TeamReminderSettings
          teamId={teamId}
          teamName={teams.find((t) => t.id === teamId)?.name ?? 'this team'}
          canEdit={user.role === 'admin' || user.role === 'supervisor'}
        />
      )}
    </Stack>
  );
}
