// Notes on a patron. Personal notes (work, family) are marked "Personal"; volunteers neither
// see nor add them.
import { useRef, useState } from 'react';
import { Badge, Button, Group, NativeSelect, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  PatronNoteBody,
  patronsApi,
  type PatronDetail,
  type PatronNoteBodyInput,
  type PatronNoteKind,
  type PatronNoteView,
} from '../../../contracts/patrons.js';
import { call } from '../../api/client.js';
import { keys, useSession } from '../../api/queries.js';
import { confirm } from '../../components/confirm.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { When } from '../../components/When.js';

const LABELS = { body: 'Note', kind: 'Kind' } as const;

export function PatronNotes({ patron }: { patron: PatronDetail }) {
  const { user, org } = useSession();
  const queryClient = useQueryClient();
  const mayPersonal = user.role !== 'volunteer';
  const [kind, setKind] = useState<PatronNoteKind>('general');
  const [body, setBody] = useState('');
  const form = useFormErrors(PatronNoteBody, LABELS);
  const done = (next: PatronDetail) => queryClient.setQueryData(keys.patron(patron.id), next);
  const add = useMutation({
    mutationFn: (note: PatronNoteBodyInput) => call(patronsApi.addNote, { params: { id: patron.id }, body: note }),
    onSuccess: (next) => {
      done(next);
      setBody('');
    },
    onError: (e) => form.fail(e),
  });
  const heading = useRef<HTMLHeadingElement>(null);
  const remove = useMutation({
    mutationFn: (noteId: number) => call(patronsApi.deleteNote, { params: { id: patron.id, noteId } }),
    onSuccess: (next) => {
      done(next);
      // The button that had the focus is gone with its note: continue from the section.
      heading.current?.focus();
    },
  });
  const askToRemove = async (n: PatronNoteView) => {
    const sure = await confirm({
      title: 'Delete note',
      message: `Delete this ${n.kind} note from ${n.author?.name ?? 'someone'}? This cannot be undone.`,
      confirmLabel: 'Delete note',
      danger: true,
    });
    if (sure) remove.mutate(n.id);
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="notes-heading">
      <Title order={2} size="h4" id="notes-heading" mb="sm" ref={heading} tabIndex={-1}>
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
                {/* Volunteers delete only their own notes (the server's rule, patrons/policy.ts). */}
                {(user.role !== 'volunteer' || n.author?.id === user.id) && (
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  aria-label={`Delete ${n.kind} note from ${n.author?.name ?? 'someone'}`}
                  loading={remove.isPending && remove.variables === n.id}
                  onClick={() => void askToRemove(n)}
                >
                  Delete
                </Button>
                )}
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
            const note = form.check({ kind: mayPersonal ? kind : 'general', body });
            if (note) add.mutate(note);
          }}
          noValidate
        >
          <Stack gap="xs">
            <FormErrors form={form} title="The note was not added" />
            <Textarea
              {...form.field('body')}
              label="New note"
              required
              autosize
              minRows={2}
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
            />
            <Group align="flex-end" gap="sm">
              {mayPersonal && (
                <NativeSelect
                  {...form.field('kind')}
                  label={LABELS.kind}
                  value={kind}
                  onChange={(e) => setKind(e.currentTarget.value as PatronNoteKind)}
                  data={[
                    { value: 'general', label: 'General' },
                    { value: 'personal', label: 'Personal (hidden from volunteers)' },
                  ]}
                />
              )}
              <Button type="submit" loading={add.isPending}>
                Add note
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Paper>
  );
}
