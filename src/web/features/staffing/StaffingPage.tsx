// The staffing planner: pick a team and a channel, then the week plan (forecast, required staff
// against the roster, the trade-off chart for one hour), the mode and hours, the roster and the
// slot calendar. Supervisors and admins.
import { useState } from 'react';
import { Alert, Group, Select, Stack, Tabs, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { CHANNEL_LABELS, type Channel } from '../../../contracts/cases.js';
import { useSession, useTeams } from '../../api/queries.js';
import { ModesTab } from './ModesTab.js';
import { PlanTab } from './PlanTab.js';
import { RosterTab } from './RosterTab.js';
import { SlotsTab } from './SlotsTab.js';

export const PLANNED_CHANNELS: Channel[] = ['phone', 'email', 'web', 'walk_in'];

export function StaffingPage() {
  useDocumentTitle('Staffing planner · Servewell');
  const { user } = useSession();
  const teams = useTeams();
  const [teamId, setTeamId] = useState<string | null>(user.teamId ? String(user.teamId) : null);
  const [channel, setChannel] = useState<Channel>('phone');
  const [week, setWeek] = useState('');
  const team = teamId ?? (teams[0] ? String(teams[0].id) : null);
  if (user.role !== 'admin' && user.role !== 'supervisor') {
    return (
      <Stack>
        <Title order={1}>Staffing planner</Title>
        <Alert color="red" title="You cannot open this page (403)">
          The planner is for supervisors and admins.
        </Alert>
      </Stack>
    );
  }
  return (
    <Stack gap="md">
      <Title order={1}>Staffing planner</Title>
      <Group align="flex-end" wrap="wrap">
        <Select
          label="Team"
          data={teams.map((t) => ({ value: String(t.id), label: t.name }))}
          value={team}
          onChange={setTeamId}
          allowDeselect={false}
          w={200}
        />
        <Select
          label="Channel"
          data={PLANNED_CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABELS[c] }))}
          value={channel}
          onChange={(v) => v && setChannel(v as Channel)}
          allowDeselect={false}
          w={160}
        />
        <TextInput label="Week of" description={week === '' ? 'Empty: this week' : undefined} type="date" value={week} onChange={(e) => setWeek(e.currentTarget.value)} w={170} />
      </Group>
      {team && (
        <Tabs defaultValue="plan" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="plan">Week plan</Tabs.Tab>
            <Tabs.Tab value="modes">Mode and hours</Tabs.Tab>
            <Tabs.Tab value="roster">Roster</Tabs.Tab>
            <Tabs.Tab value="slots">Slots</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="plan" pt="md">
            <PlanTab teamId={Number(team)} channel={channel} week={week} />
          </Tabs.Panel>
          <Tabs.Panel value="modes" pt="md">
            <ModesTab teamId={Number(team)} channel={channel} />
          </Tabs.Panel>
          <Tabs.Panel value="roster" pt="md">
            <RosterTab teamId={Number(team)} />
          </Tabs.Panel>
          <Tabs.Panel value="slots" pt="md">
            <SlotsTab teamId={Number(team)} />
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}
