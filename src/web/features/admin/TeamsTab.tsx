// Teams: add, rename, delete (refused with the server's reason while a team still has cases).
import { useState } from 'react';
import { Button, Group, Modal, Stack, Table, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TeamView } from '../../../contracts/admin.js';
import { ApiError, del, errorFor, patch, post } from '../../api/client.js';
import { keys, useTeams } from '../../api/queries.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';

export function TeamsTab() {
  const teams = useTeams();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<TeamView | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: keys.teams });
  const add = useMutation({
    mutationFn: () => post<TeamView>('/api/admin/teams', { name }),
    onSuccess: (t) => {
      refresh();
      setName('');
      notifications.show({ color: 'green', message: `Added the team ${t.name}.` });
    },
  });
  const remove = useMutation({
    mutationFn: (t: TeamView) => del(`/api/admin/teams/${t.id}`),
    onSuccess: (_r, t) => {
      refresh();
      notifications.show({ message: `Deleted the team ${t.name}.` });
    },
  });
  const addErr = add.error instanceof ApiError ? add.error : null;

  return (
    <Stack gap="md" maw={720}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <Group align="flex-start" gap="sm">
          <TextInput
            label="New team name"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errorFor(add.error, 'name', 'Team name')}
          />
          <Button type="submit" mt={25} loading={add.isPending}>
            Add team
          </Button>
        </Group>
      </form>
      {add.isError && addErr?.field !== 'name' && <ErrorAlert error={add.error} />}
      <ErrorAlert error={remove.error} title="The team was not deleted" />
      <Table verticalSpacing="xs" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Team</Table.Th>
            <Table.Th scope="col">Members</Table.Th>
            <Table.Th scope="col">Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {teams.map((t) => (
            <Table.Tr key={t.id}>
              <Table.Td fw={500}>{t.name}</Table.Td>
              <Table.Td>{t.members}</Table.Td>
              <Table.Td>
                <Group gap="xs">
                  <Button size="xs" variant="default" aria-label={`Rename ${t.name}`} onClick={() => setRenaming(t)}>
                    Rename
                  </Button>
                  <Button
                    size="xs"
                    variant="default"
                    color="red"
                    aria-label={`Delete ${t.name}`}
                    loading={remove.isPending && remove.variables?.id === t.id}
                    onClick={() => {
                      if (window.confirm(`Delete the team ${t.name}?`)) remove.mutate(t);
                    }}
                  >
                    Delete
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal opened={renaming !== null} onClose={() => setRenaming(null)} title="Rename team">
        {renaming && <RenameForm team={renaming} onDone={() => setRenaming(null)} />}
      </Modal>
    </Stack>
  );
}

function RenameForm({ team, onDone }: { team: TeamView; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(team.name);
  const rename = useMutation({
    mutationFn: () => patch<TeamView>(`/api/admin/teams/${team.id}`, { name }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.teams });
      onDone();
    },
  });
  const err = rename.error instanceof ApiError ? rename.error : null;
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        rename.mutate();
      }}
    >
      <Stack gap="sm">
        <TextInput
          label="Team name"
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={errorFor(rename.error, 'name', 'Team name')}
          data-autofocus
        />
        {rename.isError && err?.field !== 'name' && <ErrorAlert error={rename.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={rename.isPending}>
            Rename
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
