// A patron: who they are, notes (personal ones marked, never for volunteers), their cases.
import { Term } from '../../components/Term.js';
import { useState } from 'react';
import { Alert, Anchor, Button, Grid, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useParams } from '@tanstack/react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueuePage } from '../../../contracts/cases.js';
import type { PatronDetail } from '../../../contracts/patrons.js';
import { ApiError, errorFor, get, patch } from '../../api/client.js';
import { keys, useSession } from '../../api/queries.js';
import { ErrorAlert, errorText } from '../../components/ErrorAlert.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { When } from '../../components/When.js';
import { PatronNotes } from './PatronNotes.js';
import { AnchorLink } from '../../components/links.js';

export function PatronPage() {
  const { id: raw } = useParams({ from: '/app/patrons/$id' });
  const id = Number(raw);
  const query = useQuery({
    queryKey: keys.patron(id),
    queryFn: () => get<PatronDetail>(`/api/patrons/${id}`),
    enabled: Number.isSafeInteger(id) && id > 0,
  });
  useDocumentTitle(query.data ? `${query.data.name} · Servewell` : 'Patron · Servewell');
  if (!Number.isSafeInteger(id) || id <= 0 || (query.error instanceof ApiError && query.error.status === 404)) {
    return <Title order={1}>Patron not found</Title>;
  }
  if (query.isPending) return <Loader aria-label="Loading the patron" />;
  if (query.isError) return <ErrorAlert error={query.error} title="Could not load the patron" />;
  return <PatronView patron={query.data} />;
}

function PatronView({ patron }: { patron: PatronDetail }) {
  const { org } = useSession();
  const [editing, setEditing] = useState(false);
  // The patron's history across channels: their cases, newest activity first.
  const history = useQuery({
    queryKey: [...keys.cases, 'patron', patron.id],
    queryFn: () => get<QueuePage>('/api/cases', { queue: 'all', patronId: patron.id, limit: 50 }),
  });
  const cases = history.data?.items ?? [];
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1}>
          {patron.name}
          {patron.preferredName && patron.preferredName !== patron.name && (
            <Text span inherit c="dimmed" fw={400}>
              {' '}
              (prefers {patron.preferredName})
            </Text>
          )}
        </Title>
        {!editing && (
          <Button variant="default" onClick={() => setEditing(true)}>
            Edit profile
          </Button>
        )}
      </Group>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <Paper withBorder p="md" component="section" aria-labelledby="profile-heading">
              <Title order={2} size="h4" id="profile-heading" mb="sm">
                Profile
              </Title>
              {editing ? (
                <ProfileForm patron={patron} onDone={() => setEditing(false)} />
              ) : (
                <dl style={{ margin: 0, display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '6px 12px' }}>
                  <Term label="Name">{patron.name}</Term>
                  <Term label="Preferred name">{patron.preferredName ?? '—'}</Term>
                  <Term label="Email">{patron.email ? <Anchor href={`mailto:${patron.email}`}>{patron.email}</Anchor> : '—'}</Term>
                  <Term label="Phone">{patron.phone ?? '—'}</Term>
                  <Term label="Language">{patron.language ?? '—'}</Term>
                  <Term label="First contact">
                    {patron.firstContactAt ? <When ms={patron.firstContactAt} place={org} relative={false} /> : '—'}
                  </Term>
                  <Term label="Last contact">
                    {patron.lastContactAt ? <When ms={patron.lastContactAt} place={org} /> : '—'}
                  </Term>
                </dl>
              )}
            </Paper>
            <PatronNotes patron={patron} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder p="md" component="section" aria-labelledby="cases-heading">
            <Title order={2} size="h4" id="cases-heading" mb="sm">
              Cases ({history.data?.nextCursor ? `${cases.length}+` : cases.length})
            </Title>
            {history.isError ? (
              <ErrorAlert error={history.error} title="Could not load the cases" />
            ) : cases.length === 0 ? (
              <Text size="sm">No cases yet.</Text>
            ) : (
              <Table.ScrollContainer minWidth={480}>
                <Table verticalSpacing="xs">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Reference</Table.Th>
                      <Table.Th scope="col">Subject</Table.Th>
                      <Table.Th scope="col">Status</Table.Th>
                      <Table.Th scope="col">Last activity</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {cases.map((c) => (
                      <Table.Tr key={c.id}>
                        <Table.Td ff="monospace">{c.ref}</Table.Td>
                        <Table.Td>
                          <AnchorLink to="/cases/$ref" params={{ ref: c.ref }} size="sm">
                            {c.subject}
                          </AnchorLink>
                        </Table.Td>
                        <Table.Td>
                          <StatusBadge status={c.status} />
                        </Table.Td>
                        <Table.Td>
                          <When ms={c.lastActivityAt} place={org} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Paper>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

const FIELDS = [
  ['name', 'Name'],
  ['preferredName', 'Preferred name'],
  ['email', 'Email'],
  ['phone', 'Phone'],
  ['language', 'Language'],
] as const;
type Field = (typeof FIELDS)[number][0];

function ProfileForm({ patron, onDone }: { patron: PatronDetail; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Record<Field, string>>({
    name: patron.name,
    preferredName: patron.preferredName ?? '',
    email: patron.email ?? '',
    phone: patron.phone ?? '',
    language: patron.language ?? '',
  });
  const save = useMutation({
    mutationFn: () =>
      patch<PatronDetail>(`/api/patrons/${patron.id}`, {
        name: values.name,
        // An emptied optional field means "remove it".
        preferredName: values.preferredName.trim() || null,
        email: values.email.trim() || null,
        phone: values.phone.trim() || null,
        language: values.language.trim() || null,
      }),
    onSuccess: (next) => {
      queryClient.setQueryData(keys.patron(patron.id), next);
      onDone();
    },
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const known = err?.field && FIELDS.some(([f]) => f === err.field);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="sm">
        <SimpleGrid cols={1}>
          {FIELDS.map(([f, label]) => (
            <TextInput
              key={f}
              label={label}
              type={f === 'email' ? 'email' : f === 'phone' ? 'tel' : 'text'}
              required={f === 'name'}
              value={values[f]}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setValues((s) => ({ ...s, [f]: v }));
              }}
              error={errorFor(save.error, f, label)}
            />
          ))}
        </SimpleGrid>
        {save.isError && !known && <Alert color="red">{errorText(save.error)}</Alert>}
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save profile
          </Button>
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
