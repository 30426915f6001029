// The weekly roster: who is on shift, by weekday and hour. The planner compares it with the
// staff required; the queue warns when arrivals outrun it.
import { useState } from 'react';
import { Button, Group, Loader, NumberInput, Select, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { staffingApi, type ShiftView } from '../../../contracts/staffing.js';
import { call } from '../../api/client.js';
import { useStaff } from '../../api/queries.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { WEEKDAYS, staffingKeys } from './keys.js';

export function RosterTab({ teamId }: { teamId: number }) {
  const roster = useQuery({ queryKey: staffingKeys.roster(teamId), queryFn: () => call(staffingApi.roster, { params: { teamId } }) });
  if (roster.isPending) return <Loader aria-label="Loading the roster" />;
  if (roster.isError) return <ErrorAlert error={roster.error} title="Could not load the roster" />;
  return <RosterEditor key={teamId} teamId={teamId} saved={roster.data.shifts} />;
}

function RosterEditor({ teamId, saved }: { teamId: number; saved: ShiftView[] }) {
  const queryClient = useQueryClient();
  const staff = useStaff().filter((u) => u.active);
  const [shifts, setShifts] = useState(saved);
  const [draft, setDraft] = useState({ userId: '', weekday: '0', fromHour: 9, toHour: 17 });
  const save = useMutation({
    mutationFn: () => call(staffingApi.setRoster, { params: { teamId }, body: { shifts } }),
    onSuccess: (data) => {
      queryClient.setQueryData(staffingKeys.roster(teamId), data);
      void queryClient.invalidateQueries({ queryKey: ['staffing', 'plan', teamId] });
      notifications.show({ color: 'green', message: 'Saved the roster.' });
    },
  });
  const name = (id: number) => staff.find((u) => u.id === id)?.name ?? `#${id}`;
  return (
    <Stack gap="md">
      {save.isError && <ErrorAlert error={save.error} title="The roster was not saved" />}
      {shifts.length === 0 ? (
        <Text c="dimmed">Nobody is rostered yet.</Text>
      ) : (
        <Table maw={640}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Who</Table.Th>
              <Table.Th scope="col">Day</Table.Th>
              <Table.Th scope="col">Hours</Table.Th>
              <Table.Th scope="col">
                <VisuallyHidden>Remove</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shifts.map((s, i) => (
              <Table.Tr key={`${s.userId}-${s.weekday}-${s.fromHour}-${i}`}>
                <Table.Td>{name(s.userId)}</Table.Td>
                <Table.Td>{WEEKDAYS[s.weekday]}</Table.Td>
                <Table.Td>
                  {s.fromHour}:00–{s.toHour}:00
                </Table.Td>
                <Table.Td>
                  <Button size="compact-xs" variant="subtle" color="red" aria-label={`Remove ${name(s.userId)} on ${WEEKDAYS[s.weekday]}`} onClick={() => setShifts((all) => all.filter((_, j) => j !== i))}>
                    Remove
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group align="flex-end" wrap="wrap">
        <Select label="Who" data={staff.map((u) => ({ value: String(u.id), label: u.name }))} value={draft.userId || null} onChange={(v) => setDraft((d) => ({ ...d, userId: v ?? '' }))} searchable w={200} />
        <Select label="Day" data={WEEKDAYS.map((d, i) => ({ value: String(i), label: d }))} value={draft.weekday} onChange={(v) => v && setDraft((d) => ({ ...d, weekday: v }))} allowDeselect={false} w={140} />
        <NumberInput label="From hour" min={0} max={23} value={draft.fromHour} onChange={(n) => setDraft((d) => ({ ...d, fromHour: Number(n) }))} w={100} />
        <NumberInput label="To hour" min={1} max={24} value={draft.toHour} onChange={(n) => setDraft((d) => ({ ...d, toHour: Number(n) }))} w={100} />
        <Button
          variant="default"
          disabled={!draft.userId || draft.toHour <= draft.fromHour}
          onClick={() => setShifts((all) => [...all, { userId: Number(draft.userId), weekday: Number(draft.weekday), fromHour: draft.fromHour, toHour: draft.toHour }])}
        >
          Add shift
        </Button>
      </Group>
      <Button onClick={() => save.mutate()} loading={save.isPending} w="fit-content">
        Save roster
      </Button>
    </Stack>
  );
}
