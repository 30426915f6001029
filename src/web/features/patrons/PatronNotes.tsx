// Notes on a patron. Personal notes (work, family) are marked "Personal"; volunteers neither
// see nor add them.
import { useState } from 'react';
import { Badge, Button, Group, NativeSelect, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PatronDetail } from '../../../contracts/patrons.js';
import { del, post } from '../../api/client.js';
import { keys, useSession } from '../../api/queries.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { When } from '../../components/When.js';

type Kind = 'general' | 'personal';

export function PatronNotes({ patron }: { patron: PatronDetail }) {
  const { user, org } = useSession();
  const queryClient = useQueryClient();
  const mayPersonal = user.role !== 'volunteer';
  const [kind, setKind] = useState<Kind>('general');
  const [body, setBody] = useState('');
  const done = (next: PatronDetail) => queryClient.setQueryData(keys.patron(patron.id), next);
  const add = useMutation({
    mutationFn: () => post<PatronDetail>(`/api/patrons/${patron.id}/notes`, { kind: mayPersonal ? kind : 'general', body }),
    onSuccess: (next) => {
      done(next);
      setBody('');
    },
  });
  const remove = useMutation({
    mutationFn: (noteId: number) => del<PatronDetail>(`/api/patrons/${patron.id}/notes/${noteId}`),
    onSuccess: done,
  });

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="notes-heading">
      <Title order={2} size="h4" id="notes-heading" mb="sm">
        Notes
      </Title>
      <Stack gap="sm">
        {patron.notes.length === 0 && <Text size="sm">No notes yet.</Text>}
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {patron.notes.map((n) => (
            <Paper
              key={n.id}
              component="li"
              p="xs"
              withBorder
              style={n.kind === 'personal' ? { background: '#fff4e6', borderColor: '#ffc078' } : undefined}
            >
              <Group justify="space-between" gap="xs" mb={4}>
                <Group gap="xs">
                  <Badge size="sm" variant={n.kind === 'personal' ? 'filled' : 'light'} color={n.kind === 'personal' ? 'orange' : 'gray'} c="dark" tt="none">
                    {n.kind === 'personal' ? 'Personal' : 'General'}
                  </Badge>
                  <Text size="xs" c="dimmed">
                    {n.author?.name ?? 'Someone'} · <When ms={n.createdAt} place={org} />
                  </Text>
                </Group>
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  aria-label={`Delete ${n.kind} note from ${n.author?.name ?? 'someone'}`}
                  loading={remove.isPending && remove.variables === n.id}
                  onClick={() => {
                    if (window.confirm('Delete this note? This cannot be undone.')) remove.mutate(n.id);
                  }}
                >
                  Delete
                </Button>
              </Group>
              <Text size="sm" className="pre-wrap">
                {n.body}
              </Text>
            </Paper>
          ))}
        </Stack>
        <ErrorAlert error={remove.error} title="The note was not deleted" />
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (body.trim()) add.mutate();
          }}
        >
          <Stack gap="xs">
            <Textarea label="New note" autosize minRows={2} value={body} onChange={(e) => setBody(e.currentTarget.value)} />
            <Group align="flex-end" gap="sm">
              {mayPersonal && (
                <NativeSelect
                  label="Kind"
                  value={kind}
                  onChange={(e) => setKind(e.currentTarget.value as Kind)}
                  data={[
                    { value: 'general', label: 'General' },
                    { value: 'personal', label: 'Personal (hidden from volunteers)' },
                  ]}
                />
              )}
              <Button type="submit" loading={add.isPending} disabled={!body.trim()}>
                Add note
              </Button>
            </Group>
            <ErrorAlert error={add.error} title="The note was not added" />
          </Stack>
        </form>
      </Stack>
    </Paper>
  );
}
