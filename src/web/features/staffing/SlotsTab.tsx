// The team's slot calendar: the next two weeks of callback and appointment slots with their
// bookings, a run of slots added at once, free slots removed.
import { useState } from 'react';
import { Button, Group, Loader, NumberInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CHANNEL_LABELS, type Channel } from '../../../contracts/cases.js';
import { SlotsBody, staffingApi, type SlotsBodyInput } from '../../../contracts/staffing.js';
import { call } from '../../api/client.js';
import { useSession } from '../../api/queries.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { formatters } from '../../lib/format.js';

const LABELS = { day: 'Day', from: 'From', to: 'To', lengthMinutes: 'Slot length', capacity: 'Places per slot' } as const;

export function SlotsTab({ teamId }: { teamId: number }) {
  const { org } = useSession();
  const f = formatters(org);
  const queryClient = useQueryClient();
  const slots = useQuery({ queryKey: ['staffing', 'slots', teamId, ''], queryFn: () => call(staffingApi.slots, { params: { teamId }, query: { days: 14 } }) });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['staffing', 'slots', teamId] });
  const [v, setV] = useState({ channel: 'phone' as Channel, day: '', from: '10:00', to: '12:00', lengthMinutes: 15, capacity: 1 });
  const form = useFormErrors(SlotsBody, LABELS);
  const add = useMutation({
    mutationFn: (body: SlotsBodyInput) => call(staffingApi.addSlots, { params: { teamId }, body }),
    onSuccess: refresh,
    onError: (e) => form.fail(e),
  });
  const remove = useMutation({ mutationFn: (id: number) => call(staffingApi.deleteSlot, { params: { id } }), onSuccess: refresh });
  return (
    <Stack gap="lg">
      <section aria-labelledby="slots-title">
        <Title order={2} size="h3" id="slots-title" mb="xs">
          The next two weeks
        </Title>
        {remove.isError && <ErrorAlert error={remove.error} title="The slot was not removed" />}
        {slots.isPending ? (
          <Loader aria-label="Loading the slots" />
        ) : slots.isError ? (
          <ErrorAlert error={slots.error} title="Could not load the slots" />
        ) : slots.data.items.length === 0 ? (
          <Text c="dimmed">No slots yet. Add a run of slots below.</Text>
        ) : (
          <Table maw={720}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">When</Table.Th>
                <Table.Th scope="col">Kind</Table.Th>
                <Table.Th scope="col">Booked</Table.Th>
                <Table.Th scope="col">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {slots.data.items.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    {f.dateTime(s.startsAt)} ({s.lengthMinutes} min)
                  </Table.Td>
                  <Table.Td>{s.channel === 'phone' ? 'Callback' : `Appointment (${CHANNEL_LABELS[s.channel]})`}</Table.Td>
                  <Table.Td>
                    {s.booked} of {s.capacity}
                  </Table.Td>
                  <Table.Td>
                    {s.booked === 0 && (
                      <Button size="compact-xs" variant="subtle" color="red" aria-label={`Remove the slot of ${f.dateTime(s.startsAt)}`} onClick={() => remove.mutate(s.id)}>
                        Remove
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </section>
      <section aria-labelledby="add-slots-title">
        <Title order={2} size="h3" id="add-slots-title" mb="xs">
          Add slots
        </Title>
        <FormErrors form={form} title="The slots were not added" />
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const body = form.check(v);
            if (body) add.mutate(body);
          }}
        >
          <Group align="flex-end" wrap="wrap">
            <Select label="Kind" data={[{ value: 'phone', label: 'Callback' }, { value: 'walk_in', label: 'Appointment' }]} value={v.channel} onChange={(c) => c && setV((s) => ({ ...s, channel: c as Channel }))} allowDeselect={false} w={150} />
            <TextInput {...form.field('day')} label="Day" type="date" required value={v.day} onChange={(e) => { const d = e.currentTarget.value; setV((s) => ({ ...s, day: d })); }} w={160} />
            <TextInput {...form.field('from')} label="From" type="time" required value={v.from} onChange={(e) => { const d = e.currentTarget.value; setV((s) => ({ ...s, from: d })); }} w={120} />
            <TextInput {...form.field('to')} label="To" type="time" required value={v.to} onChange={(e) => { const d = e.currentTarget.value; setV((s) => ({ ...s, to: d })); }} w={120} />
            <NumberInput {...form.field('lengthMinutes')} label="Slot length (min)" min={5} max={480} value={v.lengthMinutes} onChange={(n) => setV((s) => ({ ...s, lengthMinutes: Number(n) }))} w={140} />
            <NumberInput {...form.field('capacity')} label="Places per slot" min={1} max={100} value={v.capacity} onChange={(n) => setV((s) => ({ ...s, capacity: Number(n) }))} w={130} />
            <Button type="submit" loading={add.isPending}>
              Add slots
            </Button>
          </Group>
        </form>
      </section>
    </Stack>
  );
}
