// Staff accounts: add, change role or team, deactivate or reactivate, reset a password.
import { useState } from 'react';
import { Badge, Button, Group, Modal, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { UserView } from '../../../contracts/admin.js';
import { ROLES, type Role } from '../../../contracts/common.js';
import { ApiError, errorFor, patch, post } from '../../api/client.js';
import { keys, useAdminUsers, useSession, useTeams } from '../../api/queries.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { ROLE_LABELS } from '../../lib/labels.js';

type UserPatch = { name?: string; role?: Role; teamId?: number | null; active?: boolean; password?: string };

export function UsersTab() {
  const { user: me } = useSession();
  const users = useAdminUsers();
  const teams = useTeams();
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [resetting, setResetting] = useState<UserView | null>(null);
  const change = useMutation({
    mutationFn: ({ id, body }: { id: number; body: UserPatch }) => patch<UserView>(`/api/admin/users/${id}`, body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.users });
      void queryClient.invalidateQueries({ queryKey: keys.teams });
    },
  });
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
                  <NativeSelect
                    aria-label={`Role for ${u.name}`}
                    value={u.role}
                    onChange={(e) => change.mutate({ id: u.id, body: { role: e.currentTarget.value as Role } })}
                    data={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
                  />
                </Table.Td>
                <Table.Td>
                  <NativeSelect
                    aria-label={`Team for ${u.name}`}
                    value={u.teamId ? String(u.teamId) : ''}
                    onChange={(e) =>
                      change.mutate({ id: u.id, body: { teamId: e.currentTarget.value ? Number(e.currentTarget.value) : null } })
                    }
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
                        onClick={() => change.mutate({ id: u.id, body: { active: !u.active } })}
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

const ADD_LABELS = { email: 'Email', name: 'Name', password: 'Password', role: 'Role', teamId: 'Team' } as const;

function AddUserForm({ teamOptions, onDone }: { teamOptions: { value: string; label: string }[]; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [v, setV] = useState({ email: '', name: '', password: '', role: 'associate' as Role, teamId: '' });
  const add = useMutation({
    mutationFn: () =>
      post<UserView>('/api/admin/users', { ...v, teamId: v.teamId ? Number(v.teamId) : null }),
    onSuccess: (u) => {
      void queryClient.invalidateQueries({ queryKey: keys.users });
      void queryClient.invalidateQueries({ queryKey: keys.teams });
      notifications.show({ color: 'green', message: `Added ${u.name}.` });
      onDone();
    },
  });
  const err = add.error instanceof ApiError ? add.error : null;
  const fe = (f: keyof typeof ADD_LABELS) => errorFor(add.error, f, ADD_LABELS[f]);
  const set = (k: keyof typeof v) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    const value = e.currentTarget.value;
    setV((s) => ({ ...s, [k]: value }));
  };
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
    >
      <Stack gap="sm">
        <TextInput label="Name" required value={v.name} onChange={set('name')} error={fe('name')} data-autofocus />
        <TextInput label="Email" type="email" required value={v.email} onChange={set('email')} error={fe('email')} />
        <NativeSelect label="Role" value={v.role} onChange={set('role')} data={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
        <NativeSelect label="Team" value={v.teamId} onChange={set('teamId')} data={teamOptions} error={fe('teamId')} />
        <TextInput
          label="Password"
          type="password"
          autoComplete="new-password"
          description="At least 10 characters; share it safely and ask them to change it."
          required
          value={v.password}
          onChange={set('password')}
          error={fe('password')}
        />
        {add.isError && !(err?.field && err.field in ADD_LABELS) && <ErrorAlert error={add.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={add.isPending}>
            Add user
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ResetPasswordForm({ user, onDone }: { user: UserView; onDone: () => void }) {
  const [password, setPassword] = useState('');
  const reset = useMutation({
    mutationFn: () => patch<UserView>(`/api/admin/users/${user.id}`, { password }),
    onSuccess: () => {
      notifications.show({ color: 'green', message: `New password set for ${user.name}.` });
      onDone();
    },
  });
  const err = reset.error instanceof ApiError ? reset.error : null;
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        reset.mutate();
      }}
    >
      <Stack gap="sm">
        <Text size="sm">Set a new password for {user.name}. Their current sessions end.</Text>
        <TextInput
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={errorFor(reset.error, 'password', 'New password')}
          data-autofocus
        />
        {reset.isError && err?.field !== 'password' && <ErrorAlert error={reset.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={reset.isPending}>
            Set password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
