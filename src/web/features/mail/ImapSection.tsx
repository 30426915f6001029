// Fetching a team address's mail from an IMAP mailbox, for organizations that cannot point mail
// at this server: how each polled mailbox is doing (last good poll, last error), and per
// address the server, the account, what is done with stored messages, and a connection test.
import { useState } from 'react';
import { Alert, Button, Checkbox, Group, NativeSelect, NumberInput, PasswordInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import {
  DEFAULT_IMAP_FOLDER,
  ImapBody,
  mailApi,
  type ImapBodyInput,
  type ImapTestResult,
  type ImapView,
  type MailSettingsView,
} from '../../../contracts/mail.js';
import { call } from '../../api/client.js';
import { useSession } from '../../api/queries.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { When } from '../../components/When.js';
import { confirm } from '../../components/confirm.js';
import type { Place } from '../../lib/format.js';

const LABELS = {
  host: 'IMAP server',
  port: 'IMAP port',
  security: 'IMAP security',
  username: 'IMAP user name',
  password: 'IMAP password',
  mailbox: 'Mailbox to fetch from',
  afterStore: 'Once a message is stored',
  moveTo: 'Move to folder',
} as const;

const PORTS = { tls: 993, starttls: 143, none: 143 } as const;

export function ImapSection({ view, onChanged }: { view: MailSettingsView; onChanged: () => void }) {
  const { org } = useSession();
  const [addressId, setAddressId] = useState(String(view.imap[0]?.addressId ?? view.addresses[0]?.id ?? ''));
  const current = view.imap.find((m) => String(m.addressId) === addressId);
  return (
    <section aria-labelledby="mail-imap">
      <Title order={2} size="h4" id="mail-imap" mb="xs">
        Fetch mail by IMAP
      </Title>
      <Text size="sm" c="dimmed" mb="sm" maw={640}>
        For an address whose mail cannot be pointed at this server: every minute Servewell signs in to its mailbox, stores each new
        message as if it had been sent to the address, and only then marks it as read or moves it away. A message is never stored twice.
      </Text>
      {view.imap.length > 0 && <Status mailboxes={view.imap} place={org} />}
      {view.addresses.length === 0 ? (
        <Text size="sm">Add a team address first.</Text>
      ) : (
        <Stack gap="xs" maw={480}>
          <NativeSelect
            label="Address to fetch mail for"
            value={addressId}
            onChange={(e) => setAddressId(e.currentTarget.value)}
            data={view.addresses.map((a) => ({ value: String(a.id), label: view.imap.some((m) => m.addressId === a.id) ? `${a.address} (fetched by IMAP)` : a.address }))}
          />
          <ImapForm key={addressId} addressId={Number(addressId)} current={current} onChanged={onChanged} />
        </Stack>
      )}
    </section>
  );
}

function Status({ mailboxes, place }: { mailboxes: ImapView[]; place: Place }) {
  return (
    <Table withTableBorder maw={900} mb="md">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Address</Table.Th>
          <Table.Th>Mailbox</Table.Th>
          <Table.Th>Last good poll</Table.Th>
          <Table.Th>Stored</Table.Th>
          <Table.Th>Status</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {mailboxes.map((m) => (
          <Table.Tr key={m.addressId}>
            <Table.Td>{m.address}</Table.Td>
            <Table.Td>
              {m.mailbox} on {m.host}:{m.port}
            </Table.Td>
            <Table.Td>{m.lastPolledAt === null ? 'Not yet' : <When ms={m.lastPolledAt} place={place} />}</Table.Td>
            <Table.Td>{m.storedCount}</Table.Td>
            <Table.Td>
              {m.lastError ? (
                <Text size="sm" c="red.8">
                  Failing ({m.failures} {m.failures === 1 ? 'try' : 'tries'}): {m.lastError} Next try <When ms={m.nextPollAt} place={place} relative={false} />.
                </Text>
              ) : (
                <Text size="sm">{m.lastPolledAt === null ? 'Waiting for the first poll' : 'Working'}</Text>
              )}
              {m.notice && (
                <Text size="sm" c="orange.9">
                  {m.notice}
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function ImapForm({ addressId, current, onChanged }: { addressId: number; current: ImapView | undefined; onChanged: () => void }) {
  const [v, setV] = useState({
    host: current?.host ?? '',
    port: current?.port ?? 993,
    security: current?.security ?? 'tls',
    username: current?.username ?? '',
    password: '',
    allowSelfSigned: current?.allowSelfSigned ?? false,
    mailbox: current?.mailbox ?? 'INBOX',
    afterStore: current?.afterStore ?? 'flag',
    moveTo: current?.moveTo ?? DEFAULT_IMAP_FOLDER,
  });
  const [tested, setTested] = useState<ImapTestResult | null>(null);
  const form = useFormErrors(ImapBody, LABELS);
  const body = (): ImapBodyInput => ({
    host: v.host,
    port: Number(v.port),
    security: v.security,
    username: v.username,
    ...(v.password ? { password: v.password } : {}),
    allowSelfSigned: v.allowSelfSigned,
    mailbox: v.mailbox,
    afterStore: v.afterStore,
    moveTo: v.moveTo,
  });
  const save = useMutation({
    mutationFn: (b: ImapBodyInput) => call(mailApi.setImap, { params: { id: addressId }, body: b }),
    onError: (e) => form.fail(e),
    onSuccess: () => {
      setV((s) => ({ ...s, password: '' }));
      onChanged();
      notifications.show({ color: 'green', message: 'IMAP settings saved; the first poll starts now.' });
    },
  });
  const test = useMutation({
    mutationFn: (b: ImapBodyInput) => call(mailApi.testImap, { params: { id: addressId }, body: b }),
    onMutate: () => setTested(null),
    onError: (e) => form.fail(e),
    onSuccess: setTested,
  });
  const clear = useMutation({
    mutationFn: () => call(mailApi.clearImap, { params: { id: addressId } }),
    onSuccess: onChanged,
  });
  const checked = () => form.check(body());
  return (
    <form
      noValidate
      aria-label="IMAP mailbox"
      onSubmit={(e) => {
        e.preventDefault();
        const b = checked();
        if (b) save.mutate(b);
      }}
    >
      <Stack gap="xs">
        <FormErrors form={form} title="The IMAP settings were not saved" />
        <TextInput {...form.field('host')} label={LABELS.host} placeholder="imap.example.org" value={v.host} onChange={(e) => setV({ ...v, host: e.currentTarget.value })} />
        <NativeSelect
          {...form.field('security')}
          label={LABELS.security}
          value={v.security}
          onChange={(e) => {
            const security = e.currentTarget.value as typeof v.security;
            // The usual port of the new choice, unless a port of one's own was set.
            const port = Object.values(PORTS).includes(v.port as 993 | 143) ? PORTS[security] : v.port;
            setV({ ...v, security, port });
          }}
          data={[
            { value: 'tls', label: 'TLS from the start (port 993)' },
            { value: 'starttls', label: 'STARTTLS (port 143)' },
            { value: 'none', label: 'None (a server on this machine only)' },
          ]}
        />
        <NumberInput {...form.field('port')} label={LABELS.port} value={v.port} onChange={(n) => setV({ ...v, port: Number(n) || 0 })} min={1} max={65535} />
        <TextInput {...form.field('username')} label={LABELS.username} value={v.username} onChange={(e) => setV({ ...v, username: e.currentTarget.value })} />
        <PasswordInput
          {...form.field('password')}
          label={LABELS.password}
          description={current?.hasPassword ? 'Leave empty to keep the stored password' : undefined}
          value={v.password}
          onChange={(e) => setV({ ...v, password: e.currentTarget.value })}
        />
        {v.security !== 'none' && (
          <Checkbox label="Trust a self-signed certificate" checked={v.allowSelfSigned} onChange={(e) => setV({ ...v, allowSelfSigned: e.currentTarget.checked })} />
        )}
        <TextInput {...form.field('mailbox')} label={LABELS.mailbox} description="A folder inside another: Parent/Child" value={v.mailbox} onChange={(e) => setV({ ...v, mailbox: e.currentTarget.value })} />
        <NativeSelect
          {...form.field('afterStore')}
          label={LABELS.afterStore}
          value={v.afterStore}
          onChange={(e) => setV({ ...v, afterStore: e.currentTarget.value as typeof v.afterStore })}
          data={[
            { value: 'flag', label: 'Mark it as read and leave it there' },
            { value: 'move', label: 'Move it to a folder' },
          ]}
        />
        {v.afterStore === 'move' && (
          <TextInput {...form.field('moveTo')} label={LABELS.moveTo} description="Created if it does not exist" value={v.moveTo} onChange={(e) => setV({ ...v, moveTo: e.currentTarget.value })} />
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save IMAP settings
          </Button>
          <Button
            variant="default"
            loading={test.isPending}
            onClick={() => {
              const b = checked();
              if (b) test.mutate(b);
            }}
          >
            Test connection
          </Button>
          {current && (
            <Button
              variant="subtle"
              color="red"
              loading={clear.isPending}
              onClick={async () => {
                if (await confirm({ title: 'Stop fetching by IMAP?', message: 'Messages already stored stay. New mail in the mailbox is no longer fetched.', confirmLabel: 'Stop fetching', danger: true })) clear.mutate();
              }}
            >
              Stop fetching
            </Button>
          )}
        </Group>
        <div role="status">
          {tested && (
            <Alert color={tested.ok ? 'green' : 'red'} title={tested.ok ? 'Connection works' : 'Connection failed'}>
              {tested.message}
            </Alert>
          )}
        </div>
        <ErrorAlert error={clear.error} title="Could not stop fetching" />
      </Stack>
    </form>
  );
}
