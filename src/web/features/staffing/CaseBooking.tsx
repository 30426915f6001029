// Booking a callback or an appointment from the case screen: the case's team's free slots of
// the next two weeks, the case's bookings, cancelling one.
import { useState } from 'react';
import { Button, Group, NativeSelect, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { staffingApi } from '../../../contracts/staffing.js';
import { call } from '../../api/client.js';
import { keys, useSession } from '../../api/queries.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { formatters, useNow } from '../../lib/format.js';
import { staffingKeys } from './keys.js';

export function CaseBooking({ caseRef, teamId }: { caseRef: string; teamId: number | null }) {
  const { org } = useSession();
  const f = formatters(org);
  const now = useNow();
  const queryClient = useQueryClient();
  const bookings = useQuery({ queryKey: staffingKeys.bookings(caseRef), queryFn: () => call(staffingApi.caseBookings, { params: { ref: caseRef } }) });
  const slots = useQuery({
    queryKey: ['staffing', 'slots', teamId ?? 0, ''],
    queryFn: () => call(staffingApi.slots, { params: { teamId: teamId! }, query: { days: 14 } }),
    enabled: teamId !== null,
  });
  const [slotId, setSlotId] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: staffingKeys.bookings(caseRef) });
    void queryClient.invalidateQueries({ queryKey: ['staffing', 'slots'] });
    void queryClient.invalidateQueries({ queryKey: keys.case(caseRef) });
  };
  const book = useMutation({
    mutationFn: () => call(staffingApi.book, { params: { id: Number(slotId) }, body: { caseRef, note } }),
    onSuccess: (b) => {
      notifications.show({ color: 'green', message: `Booked ${f.dateTime(b.startsAt)}.` });
      setSlotId(null);
      setNote('');
      refresh();
    },
    onError: refresh,
  });
  const cancel = useMutation({ mutationFn: (id: number) => call(staffingApi.cancelBooking, { params: { id } }), onSuccess: refresh });
  const free = (slots.data?.items ?? []).filter((s) => s.booked < s.capacity && s.startsAt > now);
  const active = (bookings.data?.items ?? []).filter((b) => b.cancelledAt === null);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="booking-heading">
      <Title order={2} size="h4" id="booking-heading" mb="xs">
        Callback or appointment
      </Title>
      <Stack gap="xs">
        {active.map((b) => (
          <Group key={b.id} gap="xs" justify="space-between">
            <Text size="sm">
              {f.dateTime(b.startsAt)} ({b.lengthMinutes} min){b.note ? ` — ${b.note}` : ''}
            </Text>
            <Button size="compact-xs" variant="subtle" color="red" onClick={() => cancel.mutate(b.id)} aria-label={`Cancel the booking of ${f.dateTime(b.startsAt)}`}>
              Cancel
            </Button>
          </Group>
        ))}
        {book.isError && <ErrorAlert error={book.error} title="Not booked" />}
        {teamId === null ? (
          <Text size="sm" c="dimmed">
            Give the case a team to book one of its slots.
          </Text>
        ) : free.length === 0 ? (
          <Text size="sm" c="dimmed">
            The team has no free slots in the next two weeks.
          </Text>
        ) : (
          <>
            {/* A native select: arrows and Enter work the same in every browser and screen
                reader, and a phone shows its own picker (two weeks of slots is a short list). */}
            <NativeSelect
              label="Free slot"
              data={[
                { value: '', label: 'Choose a time' },
                ...free.map((s) => ({ value: String(s.id), label: `${f.dateTime(s.startsAt)} · ${s.capacity - s.booked} free` })),
              ]}
              value={slotId ?? ''}
              onChange={(e) => setSlotId(e.currentTarget.value || null)}
            />
            <TextInput label="Note (optional)" maxLength={500} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
            <Button size="sm" disabled={!slotId} loading={book.isPending} onClick={() => book.mutate()} w="fit-content">
              Book slot
            </Button>
          </>
        )}
      </Stack>
    </Paper>
  );
}
