// A patron: who they are, notes (personal ones marked, never for volunteers), their cases.
import { useRef, useState } from 'react';
import { Anchor, Button, Grid, Group, Loader, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { focusHeading, useArrivalFocus } from '../../lib/focus.js';
import { useParams } from '@tanstack/react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { casesApi, type QueuePage } from '../../../contracts/cases.js';
import {
  PatronUpdateBody,
  patronsApi,
  type PatronDetail,
  type PatronUpdateBodyInput,
} from '../../../contracts/patrons.js';
import { ApiError, call } from '../../api/client.js';
import { useKeysetList } from '../../api/keyset.js';
import { keys, useSession } from '../../api/queries.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { Term } from '../../components/Term.js';
import { When } from '../../components/When.js';
import { CaseList } from '../cases/CaseList.js';
import { PatronNotes } from './PatronNotes.js';

const HISTORY_PAGE = 20;
const itemsOf = (p: QueuePage) => p.items;
const nextOf = (p: QueuePage) => p.nextCursor;

export function PatronPage() {
  const { id: raw } = useParams({ from: '/app/patrons/$id' });
  const id = Number(raw);
  const query = useQuery({
    queryKey: keys.patron(id),
    queryFn: () => call(patronsApi.get, { params: { id } }),
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
  const headingRef = useArrivalFocus<HTMLHeadingElement>();
  const profileHeading = useRef<HTMLHeadingElement>(null);
  // Saved or cancelled: the form is gone, so focus goes to the profile it became.
  const doneEditing = () => {
    setEditing(false);
    setTimeout(() => focusHeading(profileHeading.current));
  };
  // The patron's history across channels: the queue of all their cases, newest activity first.
  const history = useKeysetList({
    queryKey: [...keys.cases, 'patron', patron.id],
    page: (after: string | undefined) =>
      call(casesApi.queue, { query: { queue: 'all', patronId: patron.id, after, limit: HISTORY_PAGE } }),
    items: itemsOf,
    next: nextOf,
  });
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} ref={headingRef} tabIndex={-1}>
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
              <Title order={2} size="h4" id="profile-heading" mb="sm" ref={profileHeading} tabIndex={-1}>
                Profile
              </Title>
              {editing ? (
                <ProfileForm patron={patron} onDone={doneEditing} />
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
              Cases{history.isPending ? '' : ` (${history.items.length}${history.hasMore ? '+' : ''})`}
            </Title>
            <CaseList
              list={history}
              show={['ref', 'subject', 'status', 'lastActivity']}
              label={`Cases of ${patron.name}`}
              empty="No cases yet."
              minWidth={480}
            />
          </Paper>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

const LABELS = {
  name: 'Name',
  preferredName: 'Preferred name',
  email: 'Email',
  phone: 'Phone',
  language: 'Language',
} as const;
type Field = keyof typeof LABELS;
const FIELDS = Object.keys(LABELS) as Field[];
const TYPES: Partial<Record<Field, string>> = { email: 'email', phone: 'tel' };
const MAX: Record<Field, number> = { name: 120, preferredName: 120, email: 254, phone: 40, language: 35 };

function ProfileForm({ patron, onDone }: { patron: PatronDetail; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Record<Field, string>>({
    name: patron.name,
    preferredName: patron.preferredName ?? '',
    email: patron.email ?? '',
    phone: patron.phone ?? '',
    language: patron.language ?? '',
  });
  const form = useFormErrors(PatronUpdateBody, LABELS);
  const save = useMutation({
    mutationFn: (body: PatronUpdateBodyInput) => call(patronsApi.update, { params: { id: patron.id }, body }),
    onSuccess: (next) => {
      queryClient.setQueryData(keys.patron(patron.id), next);
      onDone();
    },
    onError: (e) => form.fail(e),
  });
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const body = form.check({
          name: values.name,
          // An emptied optional field means "remove it".
          preferredName: values.preferredName.trim() || null,
          email: values.email.trim() || null,
          phone: values.phone.trim() || null,
          language: values.language.trim() || null,
        });
        if (body) save.mutate(body);
      }}
    >
      <Stack gap="sm">
        <FormErrors form={form} title="The profile was not saved" />
        <SimpleGrid cols={1}>
          {FIELDS.map((f) => (
            <TextInput
              key={f}
              {...form.field(f)}
              label={LABELS[f]}
              type={TYPES[f] ?? 'text'}
              maxLength={MAX[f]}
              required={f === 'name'}
              value={values[f]}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setValues((s) => ({ ...s, [f]: v }));
              }}
            />
          ))}
        </SimpleGrid>
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
