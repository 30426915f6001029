// Teams: add, rename, delete (refused with the server's reason while a team still has cases).
import { useState } from 'react';
import { Button, Group, Modal, Stack, Table, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { TeamBody, adminApi, type TeamBodyInput, type TeamView } from '../../../contracts/admin.js';
import { call } from '../../api/client.js';
import { keys, useTeams } from '../../api/queries.js';
import { confirm } from '../../components/confirm.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { FormActions } from '../../components/FormActions.js';

const NEW_LABELS = { name: 'Team name' } as const;
const RENAME_LABELS = { name: 'Team name' } as const;

export function TeamsTab() {
  const teams = useTeams();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<TeamView | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: keys.teams });
  const form = useFormErrors(TeamBody, NEW_LABELS);
  const add = useMutation({
    mutationFn: (body: TeamBodyInput) => call(adminApi.createTeam, { body }),
    onSuccess: (t) => {
      refresh();
      setName('');
      notifications.show({ color: 'green', message: `Added the team ${t.name}.` });
    },
    onError: (e) => form.fail(e),
  });
  const remove = useMutation({
    mutationFn: (t: TeamView) => call(adminApi.deleteTeam, { params: { id: t.id } }),
    onSuccess: (_r, t) => {
      refresh();
      notifications.show({ message: `Deleted the team ${t.name}.` });
    },
  });
  const askToRemove = async (t: TeamView) => {
    const sure = await confirm({
      title: 'Delete team',
      message: `Delete the team ${t.name}? A team that still has cases cannot be deleted.`,
      confirmLabel: 'Delete team',
      danger: true,
    });
    if (sure) remove.mutate(t);
  };

  return (
    <Stack gap="md" maw={720}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const body = form.check({ name });
          if (body) add.mutate(body);
        }}
      >
        <Stack gap="sm">
          <FormErrors form={form} title="The team was not added" />
          <Group align="flex-start" gap="sm">
            <TextInput
              {...form.field('name')}
              label="New team name"
              required
              maxLength={80}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            <Button type="submit" mt={25} loading={add.isPending}>
              Add team
            </Button>
          </Group>
        </Stack>
      </form>
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
                    onClick={() => void askToRemove(t)}
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
  const form = useFormErrors(TeamBody, RENAME_LABELS);
  const rename = useMutation({
    mutationFn: (body: TeamBodyInput) => call(adminApi.renameTeam, { params: { id: team.id }, body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.teams });
      onDone();
    },
    onError: (e) => form.fail(e),
  });
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const body = form.check({ name });
        if (body) rename.mutate(body);
      }}
    >
      <Stack gap="sm">
        <FormErrors form={form} title="The team was not renamed" />
        <TextInput
          {...form.field('name')}
          label={RENAME_LABELS.name}
          required
          maxLength={80}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          data-autofocus
        />
        <FormActions onCancel={onDone} loading={rename.isPending} submitLabel="Rename" />
      </Stack>
    </form>
  );
}
