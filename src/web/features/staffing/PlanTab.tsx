// The week plan: for one hour, the trade-off chart (service level and occupancy against staff
// count, the smallest staff meeting the target); for the week, required staff against the
// roster; the history the forecast used, and hand edits for special days.
import { useMemo, useState } from 'react';
import { Alert, Badge, Button, Group, Loader, NumberInput, ScrollArea, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Channel } from '../../../contracts/cases.js';
import { ForecastEditBody, staffingApi, type ForecastEditBodyInput, type PlanView } from '../../../contracts/staffing.js';
import { call } from '../../api/client.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { WEEKDAYS, WEEKDAYS_SHORT, pct, staffingKeys } from './keys.js';

const hourLabel = (h: number) => `${String(h).padStart(2, '0')}:00`;
const round1 = (v: number) => Math.round(v * 10) / 10;

export function PlanTab({ teamId, channel, week }: { teamId: number; channel: Channel; week: string }) {
  const plan = useQuery({
    queryKey: staffingKeys.plan(teamId, channel, week),
    queryFn: () => call(staffingApi.plan, { params: { teamId }, query: { channel, ...(week ? { week } : {}) } }),
  });
  if (plan.isPending) return <Loader aria-label="Loading the plan" />;
  if (plan.isError) return <ErrorAlert error={plan.error} title="Could not load the plan" />;
  return <Plan plan={plan.data} />;
}

function busiest(plan: PlanView): { day: number; hour: number } {
  let best = { day: 0, hour: 12, v: -1 };
  plan.arrivals.forEach((row, day) => row.forEach((v, hour) => v > best.v && (best = { day, hour, v })));
  return { day: best.day, hour: best.hour };
}

function Plan({ plan }: { plan: PlanView }) {
  const [pick, setPick] = useState(() => busiest(plan));
  const mode = plan.mode ?? { targetSeconds: 20, serviceLevelTarget: 0.8, handleSeconds: 300, patienceSeconds: null };
  const hours = useMemo(
    () => Array.from({ length: 24 }, (_, h) => h).filter((h) => plan.arrivals.some((d) => d[h]! > 0) || plan.onShift.some((d) => d[h]! > 0)),
    [plan],
  );
  return (
    <Stack gap="lg">
      {!plan.mode && (
        <Alert color="yellow" title="No mode set for this channel">
          The plan assumes 80% answered within 20 seconds and 5 minutes a contact. Set the team’s mode to plan with its own figures.
        </Alert>
      )}
      <Text size="sm">
        Week of {plan.week} ({plan.timeZone}). Target: {Math.round(mode.serviceLevelTarget * 100)}% within {mode.targetSeconds} s, {mode.handleSeconds} s per
        contact{mode.patienceSeconds ? `, callers hang up after ${mode.patienceSeconds} s on average` : ''}.
      </Text>
      <section aria-labelledby="curve-title">
        <Group align="flex-end" mb="sm">
          <Title order={2} id="curve-title" size="h3">
            One hour: people against waiting
          </Title>
          <Select
            label="Day"
            data={WEEKDAYS.map((d, i) => ({ value: String(i), label: d }))}
            value={String(pick.day)}
            onChange={(v) => v && setPick((p) => ({ ...p, day: Number(v) }))}
            allowDeselect={false}
            w={150}
          />
          <Select
            label="Hour"
            data={Array.from({ length: 24 }, (_, h) => ({ value: String(h), label: hourLabel(h) }))}
            value={String(pick.hour)}
            onChange={(v) => v && setPick((p) => ({ ...p, hour: Number(v) }))}
            allowDeselect={false}
            w={110}
          />
        </Group>
        <Curve arrivals={plan.arrivals[pick.day]![pick.hour]!} mode={mode} onShift={plan.onShift[pick.day]![pick.hour]!} />
      </section>
      <section aria-labelledby="week-title">
        <Title order={2} id="week-title" size="h3" mb="sm">
          The week: people needed against people rostered
        </Title>
        {hours.length === 0 ? (
          <Text c="dimmed">No arrivals forecast and nobody rostered this week.</Text>
        ) : (
          <ScrollArea type="auto" viewportProps={{ tabIndex: 0, role: 'region', 'aria-label': 'People needed and rostered, by hour' }}>
            <Table striped withTableBorder miw={720} aria-describedby="week-help">
              <caption id="week-help" style={{ captionSide: 'bottom', textAlign: 'left' }}>
                Each cell: expected arrivals in the hour, then people needed (Erlang {plan.requiredA ? 'A' : 'C'}) / people on the roster. Red: fewer rostered than needed.
              </caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Hour</Table.Th>
                  {WEEKDAYS_SHORT.map((d) => (
                    <Table.Th scope="col" key={d}>
                      {d}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {hours.map((h) => (
                  <Table.Tr key={h}>
                    <Table.Th scope="row">{hourLabel(h)}</Table.Th>
                    {WEEKDAYS_SHORT.map((_, d) => {
                      const need = (plan.requiredA ?? plan.requiredC)[d]![h];
                      const have = plan.onShift[d]![h]!;
                      const short = need === null || (need !== undefined && need > have);
                      return (
                        <Table.Td key={d} bg={short ? 'red.0' : undefined}>
                          <Text size="xs" c="dimmed">
                            {round1(plan.arrivals[d]![h]!)}/h{plan.basis[d]![h] === 'override' ? ' ✎' : ''}
                          </Text>
                          <Text size="sm" fw={short ? 700 : 400} c={short ? 'red.9' : undefined}>
                            {need ?? '>200'} / {have}
                          </Text>
                        </Table.Td>
                      );
                    })}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        )}
      </section>
      <History plan={plan} />
      <Edits plan={plan} />
    </Stack>
  );
}

type Mode = { targetSeconds: number; serviceLevelTarget: number; handleSeconds: number; patienceSeconds: number | null };

function Curve({ arrivals, mode, onShift }: { arrivals: number; mode: Mode; onShift: number }) {
  const load = (arrivals * mode.handleSeconds) / 3600;
  const toAgents = Math.min(5000, Math.max(10, Math.ceil(load * 1.6) + 5));
  const fromAgents = Math.max(1, Math.min(toAgents, Math.floor(load * 0.7)));
  const curve = useQuery({
    queryKey: ['staffing', 'curve', arrivals, mode, fromAgents, toAgents],
    queryFn: () =>
      call(staffingApi.curve, {
        body: {
          arrivalsPerHour: arrivals,
          handleSeconds: mode.handleSeconds,
          ...(mode.patienceSeconds ? { patienceSeconds: mode.patienceSeconds } : {}),
          targetSeconds: Math.min(mode.targetSeconds, 86_400),
          serviceLevelTarget: mode.serviceLevelTarget,
          fromAgents,
          toAgents,
        },
      }),
  });
  if (arrivals <= 0) return <Text c="dimmed">No arrivals are expected in this hour.</Text>;
  if (curve.isPending) return <Loader aria-label="Loading the curve" />;
  if (curve.isError) return <ErrorAlert error={curve.error} title="Could not compute the curve" />;
  const c = curve.data;
  const data = c.points.map((p) => ({
    agents: p.agents,
    serviceLevel: p.serviceLevel === null ? null : Math.round(p.serviceLevel * 1000) / 10,
    occupancy: Math.round(p.occupancy * 1000) / 10,
    abandon: p.abandonmentShare === null ? null : Math.round(p.abandonmentShare * 1000) / 10,
  }));
  const near = c.points.filter((p) => c.requiredAgents === null || Math.abs(p.agents - c.requiredAgents) <= 2);
  return (
    <Stack gap="sm">
      <Text>
        {round1(arrivals)} arrivals expected: {round1(c.offeredLoad)} people’s worth of work.{' '}
        <strong>
          {c.requiredAgents === null ? 'No staff up to 5,000 meets the target.' : `Smallest staff meeting the target: ${c.requiredAgents}.`}
        </strong>{' '}
        On the roster: {onShift}.
      </Text>
      <div style={{ width: '100%', height: 280 }} role="img" aria-label={`Service level and occupancy for ${fromAgents} to ${toAgents} people; the table below gives the figures.`}>
        <ResponsiveContainer>
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 4 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="agents" label={{ value: 'People on the phones', position: 'insideBottom', offset: -4 }} height={40} />
            <YAxis domain={[0, 100]} unit="%" width={56} />
            <Tooltip formatter={(v) => `${String(v)}%`} labelFormatter={(l) => `${String(l)} people`} />
            <Legend verticalAlign="top" />
            <ReferenceLine y={mode.serviceLevelTarget * 100} stroke="#868e96" strokeDasharray="4 4" />
            {c.requiredAgents !== null && <ReferenceLine x={c.requiredAgents} stroke="#2f9e44" />}
            <Line type="monotone" dataKey="serviceLevel" name="Service level" stroke="#1c7ed6" dot={false} isAnimationActive={false} connectNulls={false} />
            <Line type="monotone" dataKey="occupancy" name="Occupancy" stroke="#e8590c" dot={false} isAnimationActive={false} />
            {c.model === 'erlang-a' && <Line type="monotone" dataKey="abandon" name="Hang-ups" stroke="#c2255c" dot={false} isAnimationActive={false} />}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <ScrollArea type="auto" viewportProps={{ tabIndex: 0, role: 'region', 'aria-label': 'Figures for each staff count' }}>
        <Table withTableBorder miw={560}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">People</Table.Th>
              <Table.Th scope="col">Service level</Table.Th>
              <Table.Th scope="col">Chance of waiting</Table.Th>
              <Table.Th scope="col">Average wait</Table.Th>
              <Table.Th scope="col">Occupancy</Table.Th>
              {c.model === 'erlang-a' && <Table.Th scope="col">Hang-ups</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {near.map((p) => (
              <Table.Tr key={p.agents} fw={p.agents === c.requiredAgents ? 700 : undefined}>
                <Table.Td>
                  {p.agents}
                  {p.agents === c.requiredAgents && (
                    <Badge ml="xs" size="xs" color="teal.9">
                      meets target
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{p.stable ? pct(p.serviceLevel) : 'cannot keep up'}</Table.Td>
                <Table.Td>{pct(p.probabilityOfWaiting)}</Table.Td>
                <Table.Td>{p.averageWaitSeconds === null ? '—' : `${Math.round(p.averageWaitSeconds)} s`}</Table.Td>
                <Table.Td>{pct(p.occupancy)}</Table.Td>
                {c.model === 'erlang-a' && <Table.Td>{pct(p.abandonmentShare)}</Table.Td>}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </Stack>
  );
}

function History({ plan }: { plan: PlanView }) {
  return (
    <section aria-labelledby="history-title">
      <Title order={2} id="history-title" size="h3" mb="xs">
        The history behind the forecast
      </Title>
      {plan.history.weeks.length === 0 ? (
        <Text c="dimmed">No history yet: the forecast is empty until cases arrive, or until you set hours by hand below.</Text>
      ) : (
        <Text size="sm">
          {plan.history.weeks.map((w) => `${w.weekStart}: ${w.arrivals} arrivals, weight ${Math.round(w.weight * 100)}%`).join(' · ')}
          {plan.history.excludedDays.length > 0 && ` · Left out: ${plan.history.excludedDays.map((d) => `${d.weekStart} +${d.weekday} (${d.note ?? ''})`).join(', ')}`}
        </Text>
      )}
    </section>
  );
}

const EDIT_LABELS = { kind: 'Kind', day: 'Day', fromHour: 'From hour', toHour: 'To hour', value: 'Value', note: 'Why' } as const;

function Edits({ plan }: { plan: PlanView }) {
  const queryClient = useQueryClient();
  const [v, setV] = useState({ kind: 'set' as 'set' | 'scale' | 'exclude', day: '', fromHour: 10, toHour: 14, value: 60 as number | string, note: '' });
  const form = useFormErrors(ForecastEditBody, EDIT_LABELS);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['staffing', 'plan', plan.teamId] });
  const add = useMutation({
    mutationFn: (body: ForecastEditBodyInput) => call(staffingApi.addForecastEdit, { params: { teamId: plan.teamId }, body }),
    onSuccess: () => {
      setV((s) => ({ ...s, note: '' }));
      refresh();
    },
    onError: (e) => form.fail(e),
  });
  const remove = useMutation({
    mutationFn: (id: number) => call(staffingApi.deleteForecastEdit, { params: { teamId: plan.teamId, id } }),
    onSuccess: refresh,
  });
  return (
    <section aria-labelledby="edits-title">
      <Title order={2} id="edits-title" size="h3" mb="xs">
        Special days
      </Title>
      {plan.edits.length > 0 && (
        <Stack gap={4} mb="sm">
          {plan.edits.map((e) => (
            <Group key={e.id} gap="xs">
              <Text size="sm">
                {e.day}{' '}
                {e.kind === 'exclude'
                  ? 'left out of the history'
                  : `${hourLabel(e.fromHour)}–${hourLabel(e.toHour % 24)}: ${e.kind === 'set' ? `${e.value} an hour` : `× ${e.value}`}`}{' '}
                — {e.note}
              </Text>
              <Button size="compact-xs" variant="subtle" color="red" onClick={() => remove.mutate(e.id)} aria-label={`Remove the edit of ${e.day}: ${e.note}`}>
                Remove
              </Button>
            </Group>
          ))}
        </Stack>
      )}
      <FormErrors form={form} title="The edit was not saved" />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const body = form.check({ ...v, channel: plan.channel, value: v.kind === 'exclude' ? undefined : Number(v.value) });
          if (body) add.mutate(body);
        }}
      >
        <Group align="flex-end" wrap="wrap">
          <Select
            {...form.field('kind')}
            label="Kind"
            data={[
              { value: 'set', label: 'Set arrivals per hour' },
              { value: 'scale', label: 'Scale the forecast by' },
              { value: 'exclude', label: 'Leave a past day out' },
            ]}
            value={v.kind}
            onChange={(k) => k && setV((s) => ({ ...s, kind: k as typeof s.kind }))}
            allowDeselect={false}
            w={210}
          />
          <TextInput {...form.field('day')} label="Day" type="date" required value={v.day} onChange={(e) => setV((s) => ({ ...s, day: e.currentTarget.value }))} w={160} />
          {v.kind !== 'exclude' && (
            <>
              <NumberInput {...form.field('fromHour')} label="From hour" min={0} max={23} value={v.fromHour} onChange={(n) => setV((s) => ({ ...s, fromHour: Number(n) }))} w={100} />
              <NumberInput {...form.field('toHour')} label="To hour" min={1} max={24} value={v.toHour} onChange={(n) => setV((s) => ({ ...s, toHour: Number(n) }))} w={100} />
              <NumberInput {...form.field('value')} label={v.kind === 'set' ? 'Arrivals per hour' : 'Factor'} min={0} decimalScale={2} value={v.value} onChange={(n) => setV((s) => ({ ...s, value: n }))} w={150} />
            </>
          )}
          <TextInput {...form.field('note')} label="Why" required maxLength={200} value={v.note} onChange={(e) => setV((s) => ({ ...s, note: e.currentTarget.value }))} w={220} />
          <Button type="submit" loading={add.isPending}>
            Add
          </Button>
        </Group>
      </form>
    </section>
  );
}
