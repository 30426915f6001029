// Privacy requests on a patron (supervisors and admins): export everything held on them as one
// file, or erase them (asked first; it cannot be undone).
import { Button, Group, Paper, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { patronsApi, type PatronDetail } from '../../../contracts/patrons.js';
import { call } from '../../api/client.js';
import { keys, useSession } from '../../api/queries.js';
import { confirm } from '../../components/confirm.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';

export function PatronPrivacy({ patron }: { patron: PatronDetail }) {
  const { user } = useSession();
  const queryClient = useQueryClient();
  const exportAll = useMutation({
    mutationFn: () => call(patronsApi.exportOne, { params: { id: patron.id } }),
    onSuccess: (data) => {
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `patron-${patron.id}.json`;
      a.click();
      URL.revokeObjectURL(url);
    },
  });
  const erase = useMutation({
    mutationFn: () => call(patronsApi.erase, { params: { id: patron.id }, body: { confirm: true } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.patron(patron.id) }),
  });
  if (user.role !== 'admin' && user.role !== 'supervisor') return null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="privacy-heading">
      <Title order={2} size="h4" id="privacy-heading" mb="sm">
        Privacy requests
      </Title>
      <Text size="sm" mb="xs">
        When {patron.name} asks what we hold on them, or to be forgotten.
      </Text>
      <Group gap="xs">
        <Button variant="default" loading={exportAll.isPending} onClick={() => exportAll.mutate()}>
          Export everything
        </Button>
        <Button
          color="red"
          variant="light"
          loading={erase.isPending}
          onClick={() =>
            void confirm({
              title: 'Erase this patron',
              message: `Erase ${patron.name}? Their name, contact points, notes, needs and what they wrote are removed for good; case counts and value totals stay.`,
              confirmLabel: 'Erase for good',
              danger: true,
            }).then((ok) => ok && erase.mutate())
          }
        >
          Erase…
        </Button>
      </Group>
      <ErrorAlert error={exportAll.error ?? erase.error} title="The request did not go through" />
    </Paper>
  );
}
