// The parts of a patron's profile that are lists: contact points, ongoing needs and
// relationship value. Every action is a real button or select, so it all works by keyboard.
import { useRef, useState } from 'react';
import { Badge, Button, Group, NativeSelect, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  ContactPointBody,
  NeedBody,
  ValueRecordBody,
  patronsApi,
  type ContactKind,
  type ContactPointBodyInput,
  type NeedBodyInput,
  NeedStatus,
  type PatronDetail,
  type ValueKind,
  type ValueRecordBodyInput,
} from '../../../contracts/patrons.js';
import { call } from '../../api/client.js';
import { keys, useSession } from '../../api/queries.js';
import { confirm } from '../../components/confirm.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { When } from '../../components/When.js';
import { NEED_LABELS, VALUE_LABELS, money, summaryLine } from './labels.js';

function useSetPatron(id: number) {
  const queryClient = useQueryClient();
  return (next: PatronDetail) => queryClient.setQueryData(keys.patron(id), next);
}

const CONTACT_LABELS = { kind: 'Kind', value: 'Email or phone', label: 'Label', preferred: 'Preferred' } as const;

export function ContactPoints({ patron }: { patron: PatronDetail }) {
  const set = useSetPatron(patron.id);
  const heading = useRef<HTMLHeadingElement>(null);
  const [kind, setKind] = useState<ContactKind>('email');
  const [value, setValue] = useState('');
  const [label, setLabel] = useState('');
  const form = useFormErrors(ContactPointBody, CONTACT_LABELS);
  const add = useMutation({
    mutationFn: (body: ContactPointBodyInput) => call(patronsApi.addContact, { params: { id: patron.id }, body }),
    onSuccess: (next) => {
      set(next);
      setValue('');
      setLabel('');
    },
    onError: (e) => form.fail(e),
  });
  const change = useMutation({
    mutationFn: (v: { contactId: number; body: { preferred?: true; failing?: boolean } }) =>
      call(patronsApi.updateContact, { params: { id: patron.id, contactId: v.contactId }, body: v.body }),
    onSuccess: set,
  });
  const remove = useMutation({
    mutationFn: (contactId: number) => call(patronsApi.deleteContact, { params: { id: patron.id, contactId } }),
    onSuccess: (next) => {
      set(next);
      heading.current?.focus();
    },
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="contacts-heading">
      <Title order={2} size="h4" id="contacts-heading" mb="sm" ref={heading} tabIndex={-1}>
        Contact points
      </Title>
      <Stack gap="sm">
        {patron.contacts.length === 0 && <Text size="sm">No email or phone yet.</Text>}
        <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {patron.contacts.map((c) => (
            <li key={c.id}>
              <Group justify="space-between" gap="xs" wrap="wrap">
                <Group gap={6}>
                  <Text size="sm" fw={c.preferred ? 600 : 400}>
                    {c.value}
                  </Text>
                  {c.label && (
                    <Text size="xs" c="dimmed">
                      {c.label}
                    </Text>
                  )}
                  {c.preferred && (
                    <Badge size="xs" variant="light" tt="none">
                      Preferred {c.kind}
                    </Badge>
                  )}
                  {c.failing && (
                    <Badge size="xs" color="red" variant="light" tt="none" title={c.failingReason ?? undefined}>
                      Failing
                    </Badge>
                  )}
                </Group>
                <Group gap={4}>
                  {!c.preferred && (
                    <Button size="compact-xs" variant="subtle" aria-label={`Make ${c.value} preferred`} onClick={() => change.mutate({ contactId: c.id, body: { preferred: true } })}>
                      Make preferred
                    </Button>
                  )}
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    aria-label={c.failing ? `Mark ${c.value} working` : `Mark ${c.value} failing`}
                    onClick={() => change.mutate({ contactId: c.id, body: { failing: !c.failing } })}
                  >
                    {c.failing ? 'Works again' : 'Mark failing'}
                  </Button>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    aria-label={`Remove ${c.value}`}
                    onClick={() =>
                      void confirm({ title: 'Remove contact point', message: `Remove ${c.value}?`, confirmLabel: 'Remove', danger: true }).then(
                        (ok) => ok && remove.mutate(c.id),
                      )
                    }
                  >
                    Remove
                  </Button>
                </Group>
              </Group>
            </li>
          ))}
        </Stack>
        <ErrorAlert error={change.error ?? remove.error} title="The contact point was not changed" />
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const body = form.check({ kind, value, label: label || undefined, preferred: false });
            if (body) add.mutate(body);
          }}
        >
          <Stack gap="xs">
            <FormErrors form={form} title="The contact point was not added" />
            <Group align="flex-end" gap="xs" wrap="wrap">
              <NativeSelect
                {...form.field('kind')}
                label={CONTACT_LABELS.kind}
                value={kind}
                onChange={(e) => setKind(e.currentTarget.value as ContactKind)}
                data={[
                  { value: 'email', label: 'Email' },
                  { value: 'phone', label: 'Phone' },
                ]}
              />
              <TextInput
                {...form.field('value')}
                label={kind === 'email' ? 'Email' : 'Phone'}
                type={kind === 'email' ? 'email' : 'tel'}
                required
                value={value}
                onChange={(e) => setValue(e.currentTarget.value)}
              />
              <TextInput {...form.field('label')} label="Label" placeholder="home, work…" maxLength={40} value={label} onChange={(e) => setLabel(e.currentTarget.value)} />
              <Button type="submit" loading={add.isPending}>
                Add
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Paper>
  );
}

export function Needs({ patron }: { patron: PatronDetail }) {
  const { org } = useSession();
  const set = useSetPatron(patron.id);
  const [title, setTitle] = useState('');
  const form = useFormErrors(NeedBody, { title: 'Need', note: 'Note' });
  const add = useMutation({
    mutationFn: (body: NeedBodyInput) => call(patronsApi.addNeed, { params: { id: patron.id }, body }),
    onSuccess: (next) => {
      set(next);
      setTitle('');
    },
    onError: (e) => form.fail(e),
  });
  const move = useMutation({
    mutationFn: (v: { needId: number; status: NeedStatus }) =>
      call(patronsApi.updateNeed, { params: { id: patron.id, needId: v.needId }, body: { status: v.status } }),
    onSuccess: set,
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="needs-heading">
      <Title order={2} size="h4" id="needs-heading" mb="sm">
        Ongoing needs
      </Title>
      <Stack gap="sm">
        {patron.needs.length === 0 && <Text size="sm">No needs recorded.</Text>}
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {patron.needs.map((n) => (
            <li key={n.id}>
              <Group justify="space-between" gap="xs" align="flex-end">
                <div>
                  <Text size="sm" fw={500}>
                    {n.title}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {n.history.map((h, i) => (
                      <span key={i}>
                        {i > 0 && ' → '}
                        {NEED_LABELS[h.status]} <When ms={h.at} place={org} relative={false} />
                        {h.note ? ` (${h.note})` : ''}
                      </span>
                    ))}
                  </Text>
                </div>
                <NativeSelect
                  size="xs"
                  label={`Status of ${n.title}`}
                  styles={{ label: { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' } }}
                  value={n.status}
                  onChange={(e) => move.mutate({ needId: n.id, status: e.currentTarget.value as NeedStatus })}
                  data={NeedStatus.options.map((s) => ({ value: s, label: NEED_LABELS[s] }))}
                />
              </Group>
            </li>
          ))}
        </Stack>
        <ErrorAlert error={move.error} title="The need was not changed" />
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const body = form.check({ title });
            if (body) add.mutate(body);
          }}
        >
          <Stack gap="xs">
            <FormErrors form={form} title="The need was not added" />
            <Group align="flex-end" gap="xs">
              <TextInput {...form.field('title')} label="New need" required maxLength={200} value={title} onChange={(e) => setTitle(e.currentTarget.value)} style={{ flex: 1 }} />
              <Button type="submit" loading={add.isPending}>
                Add need
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Paper>
  );
}

const VALUE_FORM_LABELS = { occurredOn: 'Date', kind: 'Kind', amountMinor: 'Amount', currency: 'Currency', source: 'Source' } as const;

export function RelationshipValue({ patron }: { patron: PatronDetail }) {
  const { org } = useSession();
  const set = useSetPatron(patron.id);
  const [kind, setKind] = useState<ValueKind>('donation');
  const [date, setDate] = useState('');
  const [amount, setAmount] = useState('');
  const form = useFormErrors(ValueRecordBody, VALUE_FORM_LABELS);
  const add = useMutation({
    mutationFn: (body: ValueRecordBodyInput) => call(patronsApi.addValue, { params: { id: patron.id }, body }),
    onSuccess: (next) => {
      set(next);
      setAmount('');
    },
    onError: (e) => form.fail(e),
  });
  if (!patron.value) return null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="value-heading">
      <Title order={2} size="h4" id="value-heading" mb="sm">
        Relationship
      </Title>
      <Text size="sm" mb="xs">
        {summaryLine(patron.value.summary, org.locale)}
      </Text>
      {patron.value.records.length > 0 && (
        <Table striped withTableBorder fz="sm" mb="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Date</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Amount</Table.Th>
              <Table.Th>Source</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {patron.value.records.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{r.occurredOn}</Table.Td>
                <Table.Td>{VALUE_LABELS[r.kind]}</Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>{money(r.amountMinor, r.currency, org.locale)}</Table.Td>
                <Table.Td>{r.source}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          // Typed in major units ("75.50"), sent in minor units.
          const minor = amount.trim() === '' ? Number.NaN : Math.round(Number(amount.replace(',', '.')) * 100);
          const body = form.check({ occurredOn: date, kind, amountMinor: minor, source: 'desk' });
          if (body) add.mutate(body);
        }}
      >
        <Stack gap="xs">
          <FormErrors form={form} title="The record was not added" />
          <Group align="flex-end" gap="xs" wrap="wrap">
            <TextInput {...form.field('occurredOn')} label="Date" type="date" required value={date} onChange={(e) => setDate(e.currentTarget.value)} />
            <NativeSelect
              {...form.field('kind')}
              label="Kind"
              value={kind}
              onChange={(e) => setKind(e.currentTarget.value as ValueKind)}
              data={Object.entries(VALUE_LABELS).map(([value, label]) => ({ value, label }))}
            />
            <TextInput {...form.field('amountMinor')} label={`Amount (${org.currency})`} inputMode="decimal" required value={amount} onChange={(e) => setAmount(e.currentTarget.value)} />
            <Button type="submit" loading={add.isPending}>
              Add record
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
