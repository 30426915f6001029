// Staff accounts: add, change role or team, deactivate or reactivate, reset a password.
import { useState } from 'react';
import { Badge, Button, Group, Modal, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  UserCreateBody,
  UserUpdateBody,
  adminApi,
  type UserCreateBodyInput,
  type UserUpdateBodyInput,
  type UserView,
} from '../../../contracts/admin.js';
import { ROLES, type Role } from '../../../contracts/common.js';
import { call } from '../../api/client.js';
import { keys, useAdminUsers, useSession, useTeams } from '../../api/queries.js';
import { confirm } from '../../components/confirm.js';
import { KeyboardSelect } from '../../components/KeyboardSelect.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { useFields } from '../../lib/fields.js';
import { ROLE_LABELS } from '../../lib/labels.js';
import { FormActions } from '../../components/FormActions.js';

export function UsersTab() {
  const { user: me } = useSession();
  const users = useAdminUsers();
  const teams = useTeams();
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [resetting, setResetting] = useState<UserView | null>(null);
  const change = useMutation({
    mutationFn: ({ id, body }: { id: number; body: UserUpdateBodyInput }) => call(adminApi.updateUser, { params: { id }, body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.users });
      void queryClient.invalidateQueries({ queryKey: keys.teams });
    },
  });
  const toggleActive = async (u: UserView) => {
    const sure =
      !u.active ||
      (await confirm({
        title: 'Deactivate user',
        message: `Deactivate ${u.name}? They are signed out at once and cannot sign in until reactivated. Their cases stay as they are.`,
        confirmLabel: 'Deactivate',
        danger: true,
      }));
    if (sure) change.mutate({ id: u.id, body: { active: !u.active } });
  };
  // A role decides what someone may see and do: asked first, never changed by a stray key.
  const changeRole = async (u: UserView, role: Role) => {
    const sure = await confirm({
      title: 'Change role',
      message: `Change ${u.name}’s role from ${ROLE_LABELS[u.role]} to ${ROLE_LABELS[role]}? What they may see and do changes at once.`,
      confirmLabel: `Make ${ROLE_LABELS[role].toLowerCase()}`,
      danger: u.role === 'admin',
    });
    if (sure) await change.mutateAsync({ id: u.id, body: { role } });
  };
  const teamOptions = [{ value: '', label: 'No team' }, ...teams.map((t) => ({ value: String(t.id), label: t.name }))];

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm">{users.length} staff accounts</Text>
        <Button onClick={() => setAdding(true)}>Add user</Button>
      </Group>
      <ErrorAlert error={change.error} title="The change was not saved" />
      <Table.ScrollContainer minWidth={860}>
        <Table verticalSpacing="xs" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Email</Table.Th>
              <Table.Th scope="col">Role</Table.Th>
              <Table.Th scope="col">Team</Table.Th>
              <Table.Th scope="col">State</Table.Th>
              <Table.Th scope="col">Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td fw={500}>{u.name}</Table.Td>
                <Table.Td>{u.email}</Table.Td>
                <Table.Td>
                  <KeyboardSelect
                    aria-label={`Role for ${u.name}`}
                    value={u.role}
                    onCommit={(v) => changeRole(u, v as Role)}
                    data={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
                  />
                </Table.Td>
                <Table.Td>
                  <KeyboardSelect
                    aria-label={`Team for ${u.name}`}
                    value={u.teamId ? String(u.teamId) : ''}
                    onCommit={(v) => change.mutateAsync({ id: u.id, body: { teamId: v ? Number(v) : null } })}
                    data={teamOptions}
                  />
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    <Badge color={u.active ? 'green' : 'gray'} variant="light" c="dark" tt="none">
                      {u.active ? 'Active' : 'Deactivated'}
                    </Badge>
                    {u.locked && (
                      <Badge color="red" variant="light" c="dark" tt="none">
                        Locked
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    {u.id !== me.id && (
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={`${u.active ? 'Deactivate' : 'Reactivate'} ${u.name}`}
                        onClick={() => void toggleActive(u)}
                      >
                        {u.active ? 'Deactivate' : 'Reactivate'}
                      </Button>
                    )}
                    <Button size="xs" variant="default" aria-label={`Reset password for ${u.name}`} onClick={() => setResetting(u)}>
                      Reset password
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Modal opened={adding} onClose={() => setAdding(false)} title="Add user">
        {adding && <AddUserForm teamOptions={teamOptions} onDone={() => setAdding(false)} />}
      </Modal>
      <Modal opened={resetting !== null} onClose={() => setResetting(null)} title="Reset password">
        {resetting && <ResetPasswordForm user={resetting} onDone={() => setResetting(null)} />}
      </Modal>
    </Stack>
  );
}

const ADD_LABELS = { name: 'Name', email: 'Email', role: 'Role', teamId: 'Team', password: 'Password' } as const;

function AddUserForm({ teamOptions, onDone }: { teamOptions: { value: string; label: string }[]; onDone: () => void }) {
  const queryClient = useQueryClient();
  const { values: v, onChange: set } = useFields({ email: '', name: '', password: '', role: 'associate' as Role, teamId: '' });
  const form = useFormErrors(UserCreateBody, ADD_LABELS);
  const add = useMutation({
    mutationFn: (body: UserCreateBodyInput) => call(adminApi.createUser, { body }),
    onSuccess: (u) => {
      void queryClient.invalidateQueries({ queryKey: keys.users });
      void queryClient.invalidateQueries({ queryKey: keys.teams });
      notifications.show({ color: 'green', message: `Added ${u.name}.` });
      onDone();
    },
    onError: (e) => form.fail(e),
  });
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const body = form.check({ ...v, teamId: v.teamId ? Number(v.teamId) : null });
        if (body) add.mutate(body);
      }}
    >
      <Stack gap="sm">
        <FormErrors form={form} title="The user was not added" />
        <TextInput {...form.field('name')} label={ADD_LABELS.name} required value={v.name} onChange={set('name')} data-autofocus />
        <TextInput {...form.field('email')} label={ADD_LABELS.email} type="email" required value={v.email} onChange={set('email')} />
        <NativeSelect
          {...form.field('role')}
          label={ADD_LABELS.role}
          value={v.role}
          onChange={set('role')}
          data={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
        />
        <NativeSelect {...form.field('teamId')} label={ADD_LABELS.teamId} value={v.teamId} onChange={set('teamId')} data={teamOptions} />
        <TextInput
          {...form.field('password')}
          label={ADD_LABELS.password}
          type="password"
          autoComplete="new-password"
          description="At least 10 characters; share it safely and ask them to change it."
          required
          value={v.password}
          onChange={set('password')}
        />
        <FormActions onCancel={onDone} loading={add.isPending} submitLabel="Add user" />
      </Stack>
    </form>
  );
}

const RESET_LABELS = { password: 'New password' } as const;

function ResetPasswordForm({ user, onDone }: { user: UserView; onDone: () => void }) {
  const [password, setPassword] = useState('');
  const form = useFormErrors(UserUpdateBody, RESET_LABELS);
  const reset = useMutation({
    mutationFn: (body: UserUpdateBodyInput) => call(adminApi.updateUser, { params: { id: user.id }, body }),
    onSuccess: () => {
      notifications.show({ color: 'green', message: `New password set for ${user.name}.` });
      onDone();
    },
    onError: (e) => form.fail(e),
  });
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const body = form.check({ password });
        if (body) reset.mutate(body);
      }}
    >
      <Stack gap="sm">
        <Text size="sm">Set a new password for {user.name}. Their current sessions end.</Text>
        <FormErrors form={form} title="The password was not set" />
        <TextInput
          {...form.field('password')}
          label={RESET_LABELS.password}
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          data-autofocus
        />
        <FormActions onCancel={onDone} loading={reset.isPending} submitLabel="Set password" />
      </Stack>
    </form>
  );
}
