// A team's mode for the chosen channel (answer now with a target, or take the time with slots),
// its business hours and holidays, in the organization's time zone.
import { useState } from 'react';
import { Button, Group, Loader, NumberInput, SegmentedControl, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CHANNEL_LABELS, type Channel } from '../../../contracts/cases.js';
import { HolidayBody, ServiceModeBody, staffingApi, type HolidayBodyInput, type ServiceModeBodyInput, type TeamSettings } from '../../../contracts/staffing.js';
import { call } from '../../api/client.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { WEEKDAYS, staffingKeys } from './keys.js';

export function ModesTab({ teamId, channel }: { teamId: number; channel: Channel }) {
  const settings = useQuery({ queryKey: staffingKeys.settings(teamId), queryFn: () => call(staffingApi.settings, { params: { teamId } }) });
  if (settings.isPending) return <Loader aria-label="Loading the settings" />;
  if (settings.isError) return <ErrorAlert error={settings.error} title="Could not load the settings" />;
  return (
    <Stack gap="xl">
      <ModeForm key={`${teamId}-${channel}`} settings={settings.data} channel={channel} />
      <HoursForm key={`h-${teamId}`} settings={settings.data} />
      <Holidays settings={settings.data} />
    </Stack>
  );
}

const MODE_LABELS = {
  mode: 'Mode',
  targetSeconds: 'Target answer time',
  serviceLevelTarget: 'Share within target',
  handleSeconds: 'Average handling time',
  patienceSeconds: 'Average patience',
} as const;

function ModeForm({ settings, channel }: { settings: TeamSettings; channel: Channel }) {
  const queryClient = useQueryClient();
  const current = settings.modes.find((m) => m.channel === channel);
  const synchronous = channel === 'phone' || channel === 'walk_in';
  const [v, setV] = useState({
    mode: current?.mode ?? 'answer_now',
    targetSeconds: current?.targetSeconds ?? (synchronous ? 20 : 4 * 3600),
    percent: Math.round((current?.serviceLevelTarget ?? 0.8) * 100),
    workingHours: current?.workingHours ?? !synchronous,
    handleSeconds: current?.handleSeconds ?? (synchronous ? 240 : 600),
    patienceSeconds: (current?.patienceSeconds ?? '') as number | string,
  });
  const form = useFormErrors(ServiceModeBody, MODE_LABELS);
  const save = useMutation({
    mutationFn: (body: ServiceModeBodyInput) => call(staffingApi.setMode, { params: { teamId: settings.teamId, channel }, body }),
    onSuccess: (data) => {
      queryClient.setQueryData(staffingKeys.settings(settings.teamId), data);
      void queryClient.invalidateQueries({ queryKey: ['staffing', 'plan', settings.teamId] });
      notifications.show({ color: 'green', message: `Saved the ${CHANNEL_LABELS[channel].toLowerCase()} mode.` });
    },
    onError: (e) => form.fail(e),
  });
  return (
    <section aria-labelledby="mode-title">
      <Title order={2} size="h3" id="mode-title" mb="xs">
        {CHANNEL_LABELS[channel]}: answer now, or take the time?
      </Title>
      <FormErrors form={form} title="The mode was not saved" />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const body = form.check({
            mode: v.mode,
            targetSeconds: Number(v.targetSeconds),
            serviceLevelTarget: Number(v.percent) / 100,
            workingHours: v.workingHours,
            handleSeconds: Number(v.handleSeconds),
            patienceSeconds: v.patienceSeconds === '' ? null : Number(v.patienceSeconds),
          });
          if (body) save.mutate(body);
        }}
      >
        <Stack gap="sm" maw={520}>
          <SegmentedControl
            aria-label="Mode"
            data={[
              { value: 'answer_now', label: 'Answer now' },
              { value: 'take_time', label: 'Take the time (slots)' },
            ]}
            value={v.mode}
            onChange={(m) => setV((s) => ({ ...s, mode: m as typeof s.mode }))}
          />
          <Text size="sm" c="dimmed">
            {v.mode === 'answer_now'
              ? 'Contacts are answered as they come, against a target shown on the queue as time to target.'
              : 'Patrons and associates book callbacks or appointments in the slot calendar; the help form offers free slots.'}
          </Text>
          <Group grow align="flex-start">
            <NumberInput {...form.field('targetSeconds')} label="Target answer time (seconds)" min={1} value={v.targetSeconds} onChange={(n) => setV((s) => ({ ...s, targetSeconds: Number(n) }))} />
            <NumberInput {...form.field('serviceLevelTarget')} label="Share within target (%)" min={1} max={99} value={v.percent} onChange={(n) => setV((s) => ({ ...s, percent: Number(n) }))} />
          </Group>
          <Switch label="Count business hours only (e.g. emails within 4 working hours)" checked={v.workingHours} onChange={(e) => setV((s) => ({ ...s, workingHours: e.currentTarget.checked }))} />
          <Group grow align="flex-start">
            <NumberInput {...form.field('handleSeconds')} label="Team’s average handling time (s)" min={1} value={v.handleSeconds} onChange={(n) => setV((s) => ({ ...s, handleSeconds: Number(n) }))} />
            <NumberInput
              {...form.field('patienceSeconds')}
              label="Average patience (s, optional)"
              description="How long callers hold before hanging up; empty: nobody hangs up (Erlang C)."
              min={1}
              value={v.patienceSeconds}
              onChange={(n) => setV((s) => ({ ...s, patienceSeconds: n }))}
            />
          </Group>
          <Button type="submit" loading={save.isPending} w="fit-content">
            Save mode
          </Button>
        </Stack>
      </form>
    </section>
  );
}

function HoursForm({ settings }: { settings: TeamSettings }) {
  const queryClient = useQueryClient();
  const initial = WEEKDAYS.map((_, d) => {
    const h = settings.hours.find((x) => x.weekday === d);
    return { opens: h?.opens ?? '', closes: h?.closes ?? '' };
  });
  const [rows, setRows] = useState(initial);
  const save = useMutation({
    mutationFn: () =>
      call(staffingApi.setHours, {
        params: { teamId: settings.teamId },
        body: { hours: rows.flatMap((r, weekday) => (r.opens && r.closes ? [{ weekday, opens: r.opens, closes: r.closes }] : [])) },
      }),
    onSuccess: (data) => {
      queryClient.setQueryData(staffingKeys.settings(settings.teamId), data);
      notifications.show({ color: 'green', message: 'Saved the business hours.' });
    },
  });
  return (
    <section aria-labelledby="hours-title">
      <Title order={2} size="h3" id="hours-title" mb="xs">
        Business hours ({settings.timeZone})
      </Title>
      {save.isError && <ErrorAlert error={save.error} title="The hours were not saved" />}
      <Table maw={520}>
        <Table.Tbody>
          {WEEKDAYS.map((day, d) => (
            <Table.Tr key={day}>
              <Table.Th scope="row">{day}</Table.Th>
              <Table.Td>
                <TextInput aria-label={`${day} opens`} type="time" value={rows[d]!.opens} onChange={(e) => { const v = e.currentTarget.value; setRows((r) => r.map((x, i) => (i === d ? { ...x, opens: v } : x))); }} />
              </Table.Td>
              <Table.Td>
                <TextInput aria-label={`${day} closes`} type="time" value={rows[d]!.closes} onChange={(e) => { const v = e.currentTarget.value; setRows((r) => r.map((x, i) => (i === d ? { ...x, closes: v } : x))); }} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm" c="dimmed" my="xs">
        Leave a day empty when closed. With no hours at all, every hour counts.
      </Text>
      <Button onClick={() => save.mutate()} loading={save.isPending}>
        Save hours
      </Button>
    </section>
  );
}

const HOLIDAY_LABELS = { day: 'Day', note: 'Name' } as const;

function Holidays({ settings }: { settings: TeamSettings }) {
  const queryClient = useQueryClient();
  const [v, setV] = useState({ day: '', note: '' });
  const form = useFormErrors(HolidayBody, HOLIDAY_LABELS);
  const done = (data: TeamSettings) => queryClient.setQueryData(staffingKeys.settings(settings.teamId), data);
  const add = useMutation({
    mutationFn: (body: HolidayBodyInput) => call(staffingApi.addHoliday, { params: { teamId: settings.teamId }, body }),
    onSuccess: (data) => {
      done(data);
      setV({ day: '', note: '' });
    },
    onError: (e) => form.fail(e),
  });
  const remove = useMutation({ mutationFn: (id: number) => call(staffingApi.deleteHoliday, { params: { teamId: settings.teamId, id } }), onSuccess: done });
  return (
    <section aria-labelledby="holidays-title">
      <Title order={2} size="h3" id="holidays-title" mb="xs">
        Holidays
      </Title>
      {settings.holidays.map((h) => (
        <Group key={h.id} gap="xs">
          <Text size="sm">
            {h.day} — {h.note}
          </Text>
          <Button size="compact-xs" variant="subtle" color="red" aria-label={`Remove the holiday ${h.day}`} onClick={() => remove.mutate(h.id)}>
            Remove
          </Button>
        </Group>
      ))}
      <FormErrors form={form} title="The holiday was not added" />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const body = form.check(v);
          if (body) add.mutate(body);
        }}
      >
        <Group align="flex-end" mt="xs">
          <TextInput {...form.field('day')} label="Day" type="date" required value={v.day} onChange={(e) => { const d = e.currentTarget.value; setV((s) => ({ ...s, day: d })); }} />
          <TextInput {...form.field('note')} label="Name" required maxLength={200} value={v.note} onChange={(e) => { const n = e.currentTarget.value; setV((s) => ({ ...s, note: n })); }} />
          <Button type="submit" loading={add.isPending}>
            Add holiday
          </Button>
        </Group>
      </form>
    </section>
  );
}
