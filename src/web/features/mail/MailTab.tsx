// The admin's email settings: the addresses each team receives mail at (and any fetched by
// IMAP), how each team writes (From, signature, acknowledgement of new cases), the relay
// outbound mail goes through, and a test message that goes the real way (outbox, relay) and
// reports how it went.
import { useState } from 'react';
import { Alert, Button, Checkbox, Group, Loader, NativeSelect, NumberInput, PasswordInput, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  AddressBody,
  RelayBody,
  TestMailBody,
  mailApi,
  type AddressBodyInput,
  type MailSettingsView,
  type OutboundMail,
  type RelayBodyInput,
  type TeamWriting,
} from '../../../contracts/mail.js';
import { call } from '../../api/client.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { confirm } from '../../components/confirm.js';
import { ImapSection } from './ImapSection.js';

const KEY = ['admin', 'mail'] as const;

export function MailTab() {
  const queryClient = useQueryClient();
  const q = useQuery({
    queryKey: KEY,
    queryFn: () => call(mailApi.settings),
    // While mailboxes are fetched by IMAP, their status stays current on screen.
    refetchInterval: (query) => (query.state.data?.imap.length ? 15_000 : false),
  });
  if (q.isPending) return <Loader aria-label="Loading mail settings" />;
  if (q.isError) return <ErrorAlert error={q.error} />;
  return (
    <Stack gap="xl">
      <Addresses view={q.data} />
      <ImapSection view={q.data} onChanged={() => void queryClient.invalidateQueries({ queryKey: KEY })} />
      <Writing view={q.data} />
      <Relay view={q.data} />
      <TestMessage />
    </Stack>
  );
}

const ADDRESS_LABELS = { teamId: 'Team of the new address', address: 'New address' } as const;

function Addresses({ view }: { view: MailSettingsView }) {
  const queryClient = useQueryClient();
  const [v, setV] = useState({ teamId: String(view.teams[0]?.teamId ?? ''), address: '' });
  const form = useFormErrors(AddressBody, ADDRESS_LABELS);
  const add = useMutation({
    mutationFn: (body: AddressBodyInput) => call(mailApi.addAddress, { body }),
    onError: (e) => form.fail(e),
    onSuccess: () => {
      setV((s) => ({ ...s, address: '' }));
      void queryClient.invalidateQueries({ queryKey: KEY });
    },
  });
  const remove = useMutation({
    mutationFn: (id: number) => call(mailApi.removeAddress, { params: { id } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
  const teamName = (id: number) => view.teams.find((t) => t.teamId === id)?.teamName ?? '—';
  return (
    <section aria-labelledby="mail-addresses">
      <Title order={2} size="h4" id="mail-addresses" mb="xs">
        Team addresses
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Mail to these addresses becomes cases for the team. Point them at this server (MX record or forwarding): see the README.
      </Text>
      <Table withTableBorder maw={640} mb="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Address</Table.Th>
            <Table.Th>Team</Table.Th>
            <Table.Th>
              <span className="visually-hidden">Actions</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {view.addresses.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>{a.address}</Table.Td>
              <Table.Td>{teamName(a.teamId)}</Table.Td>
              <Table.Td>
                <Button
                  size="compact-sm"
                  variant="subtle"
                  color="red"
                  aria-label={`Remove ${a.address}`}
                  onClick={async () => {
                    if (await confirm({ title: 'Remove address?', message: `Mail to ${a.address} will be refused.`, confirmLabel: 'Remove address', danger: true })) remove.mutate(a.id);
                  }}
                >
                  Remove
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const body = form.check({ teamId: Number(v.teamId), address: v.address });
          if (body) add.mutate(body);
        }}
      >
        <Stack gap="xs" maw={480}>
          <FormErrors form={form} title="The address was not added" />
          <TextInput {...form.field('address')} label={ADDRESS_LABELS.address} value={v.address} onChange={(e) => setV({ ...v, address: e.currentTarget.value })} />
          <NativeSelect
            {...form.field('teamId')}
            label={ADDRESS_LABELS.teamId}
            value={v.teamId}
            onChange={(e) => setV({ ...v, teamId: e.currentTarget.value })}
            data={view.teams.map((t) => ({ value: String(t.teamId), label: t.teamName }))}
          />
          <Button type="submit" w="fit-content" loading={add.isPending}>
            Add address
          </Button>
        </Stack>
      </form>
      <ErrorAlert error={remove.error} title="Could not remove the address" />
    </section>
  );
}

function Writing({ view }: { view: MailSettingsView }) {
  return (
    <section aria-labelledby="mail-writing">
      <Title order={2} size="h4" id="mail-writing" mb="xs">
        How each team writes
      </Title>
      <Stack gap="md">
        {view.teams.map((t) => (
          <TeamWritingForm key={t.teamId} team={t} />
        ))}
      </Stack>
    </section>
  );
}

function TeamWritingForm({ team }: { team: TeamWriting }) {
  const queryClient = useQueryClient();
  const [v, setV] = useState({ fromAddress: team.fromAddress ?? '', signature: team.signature ?? '', acknowledge: team.acknowledge });
  const save = useMutation({
    mutationFn: () =>
      call(mailApi.setTeamWriting, {
        params: { teamId: team.teamId },
        body: { fromAddress: v.fromAddress.trim() || null, signature: v.signature.trim() || null, acknowledge: v.acknowledge },
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: KEY });
      notifications.show({ color: 'green', message: `${team.teamName}: saved.` });
    },
  });
  return (
    <form
      noValidate
      aria-label={`How ${team.teamName} writes`}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="xs" maw={480}>
        <Text fw={600}>{team.teamName}</Text>
        <ErrorAlert error={save.error} title="Not saved" />
        <TextInput label="From address" description="Empty: the team’s first address" value={v.fromAddress} onChange={(e) => setV({ ...v, fromAddress: e.currentTarget.value })} />
        <Textarea label="Signature" autosize minRows={2} value={v.signature} onChange={(e) => setV({ ...v, signature: e.currentTarget.value })} />
        <Checkbox
          label="Acknowledge new cases by email (with the reference and the status link)"
          checked={v.acknowledge}
          onChange={(e) => setV({ ...v, acknowledge: e.currentTarget.checked })}
        />
        <Button type="submit" w="fit-content" variant="default" loading={save.isPending}>
          Save {team.teamName}
        </Button>
      </Stack>
    </form>
  );
}

const RELAY_LABELS = { mode: 'Relay', host: 'Host', port: 'Port', security: 'Security', username: 'User name', password: 'Password' } as const;

function Relay({ view }: { view: MailSettingsView }) {
  const queryClient = useQueryClient();
  const r = view.relay;
  const [v, setV] = useState({
    mode: r.mode,
    host: r.host ?? '',
    port: r.port ?? 587,
    security: r.security ?? 'starttls',
    username: r.username ?? '',
    password: '',
    allowSelfSigned: r.allowSelfSigned,
  });
  const form = useFormErrors(RelayBody, RELAY_LABELS);
  const save = useMutation({
    mutationFn: (body: RelayBodyInput) => call(mailApi.setRelay, { body }),
    onError: (e) => form.fail(e),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: KEY });
      notifications.show({ color: 'green', message: 'Relay saved.' });
    },
  });
  return (
    <section aria-labelledby="mail-relay">
      <Title order={2} size="h4" id="mail-relay" mb="xs">
        Outbound relay
      </Title>
      {r.effective ? (
        <Text size="sm" mb="sm">
          Mail goes out through <strong>{r.effective}</strong>.
        </Text>
      ) : (
        <Alert color="orange" mb="sm" maw={640} title="No relay configured">
          Replies and acknowledgements are kept in the outbox, marked “not sent: no relay configured”, until a relay is set.
        </Alert>
      )}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const input: RelayBodyInput =
            v.mode === 'smtp'
              ? {
                  mode: 'smtp',
                  host: v.host,
                  port: Number(v.port),
                  security: v.security,
                  username: v.username.trim() || null,
                  ...(v.password ? { password: v.password } : {}),
                  allowSelfSigned: v.allowSelfSigned,
                }
              : { mode: v.mode };
          const body = form.check(input);
          if (body) save.mutate(body);
        }}
      >
        <Stack gap="xs" maw={480}>
          <FormErrors form={form} title="The relay was not saved" />
          <NativeSelect
            {...form.field('mode')}
            label={RELAY_LABELS.mode}
            value={v.mode}
            onChange={(e) => setV({ ...v, mode: e.currentTarget.value as typeof v.mode })}
            data={[
              { value: 'default', label: r.installRelay ? `The server’s relay (${r.installRelay})` : 'The server’s relay (none set)' },
              { value: 'smtp', label: 'Our own SMTP relay' },
              { value: 'catch_all', label: 'Built-in catch-all (demo: nothing leaves the server)' },
            ]}
          />
          {v.mode === 'smtp' && (
            <>
              <TextInput {...form.field('host')} label={RELAY_LABELS.host} value={v.host} onChange={(e) => setV({ ...v, host: e.currentTarget.value })} />
              <NumberInput {...form.field('port')} label={RELAY_LABELS.port} value={v.port} onChange={(n) => setV({ ...v, port: Number(n) || 0 })} min={1} max={65535} />
              <NativeSelect
                {...form.field('security')}
                label={RELAY_LABELS.security}
                value={v.security}
                onChange={(e) => setV({ ...v, security: e.currentTarget.value as typeof v.security })}
                data={[
                  { value: 'starttls', label: 'STARTTLS (port 587)' },
                  { value: 'tls', label: 'TLS from the start (port 465)' },
                  { value: 'none', label: 'None (trusted network only)' },
                ]}
              />
              <TextInput {...form.field('username')} label={RELAY_LABELS.username} value={v.username} onChange={(e) => setV({ ...v, username: e.currentTarget.value })} />
              <PasswordInput
                {...form.field('password')}
                label={RELAY_LABELS.password}
                description={r.hasPassword ? 'Leave empty to keep the stored password' : undefined}
                value={v.password}
                onChange={(e) => setV({ ...v, password: e.currentTarget.value })}
              />
              <Checkbox label="Trust a self-signed certificate" checked={v.allowSelfSigned} onChange={(e) => setV({ ...v, allowSelfSigned: e.currentTarget.checked })} />
            </>
          )}
          <Button type="submit" w="fit-content" loading={save.isPending}>
            Save relay
          </Button>
        </Stack>
      </form>
    </section>
  );
}

function TestMessage() {
  const [to, setTo] = useState('');
  const [queued, setQueued] = useState<OutboundMail | null>(null);
  const form = useFormErrors(TestMailBody, { to: 'Send to' });
  const send = useMutation({
    mutationFn: (address: string) => call(mailApi.sendTest, { body: { to: address } }),
    onError: (e) => form.fail(e),
    onSuccess: setQueued,
  });
  // Follow the message until the relay has answered.
  const follow = useQuery({
    queryKey: ['admin', 'mail', 'outbox', queued?.id],
    queryFn: () => call(mailApi.outboxItem, { params: { id: queued!.id } }),
    enabled: Boolean(queued),
    refetchInterval: (q) => (q.state.data && ['sent', 'failed', 'held'].includes(q.state.data.state) ? false : 1000),
  });
  const sent = queued && follow.data?.id === queued.id ? follow.data : queued;
  return (
    <section aria-labelledby="mail-test">
      <Title order={2} size="h4" id="mail-test" mb="xs">
        Send a test message
      </Title>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const body = form.check({ to });
          if (body) send.mutate(body.to);
        }}
      >
        <Stack gap="xs" maw={480}>
          <FormErrors form={form} title="The test message was not sent" />
          <Group align="flex-end">
            <TextInput {...form.field('to')} label="Send to" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
            <Button type="submit" loading={send.isPending}>
              Send test message
            </Button>
          </Group>
          <div role="status">
            {sent && (
              <Text size="sm" c={sent.state === 'sent' ? 'green.9' : sent.state === 'failed' || sent.state === 'held' ? 'red.8' : undefined}>
                Test message: {sent.stateText}
              </Text>
            )}
          </div>
        </Stack>
      </form>
    </section>
  );
}
