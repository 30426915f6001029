// A patron: who they are, notes (personal ones marked, never for volunteers), their cases.
import { useRef, useState } from 'react';
import { Anchor, Button, Checkbox, Grid, Group, Loader, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
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
import { keys, useSession, useStaff } from '../../api/queries.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { Term } from '../../components/Term.js';
import { When } from '../../components/When.js';
import { CaseList } from '../cases/CaseList.js';
import { CONTACT_CHANNEL_LABELS } from './labels.js';
import { ContactPoints, Needs, RelationshipValue } from './PatronMemory.js';
import { PatronNotes } from './PatronNotes.js';
import { PatronPromises } from '../promises/PatronPromises.js';
import { LikelyDuplicates } from './PatronDuplicates.js';
import { PatronPrivacy } from './PatronPrivacy.js';
import { useFields } from '../../lib/fields.js';

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
                  <Term label="Pronouns">{patron.pronouns ?? '—'}</Term>
                  <Term label="Language">{patron.language ?? '—'}</Term>
                  <Term label="Accessibility">{patron.accessibility ?? '—'}</Term>
                  <Term label="Reach by">
                    {patron.communication.doNotContact
                      ? 'Do not contact'
                      : [patron.communication.channel && CONTACT_CHANNEL_LABELS[patron.communication.channel], patron.communication.bestTime]
                          .filter(Boolean)
                          .join(', ') || '—'}
                  </Term>
                  <Term label="Asks for">{patron.askedFor?.name ?? '—'}</Term>
                  <Term label="Came back">{patron.cameBack ? 'Yes, after a resolved case' : 'Not yet'}</Term>
                  <Term label="First contact">
                    {patron.firstContactAt ? <When ms={patron.firstContactAt} place={org} relative={false} /> : '—'}
                  </Term>
                  <Term label="Last contact">
                    {patron.lastContactAt ? <When ms={patron.lastContactAt} place={org} /> : '—'}
                  </Term>
                </dl>
              )}
            </Paper>
            <LikelyDuplicates patron={patron} />
            <ContactPoints patron={patron} />
            <Needs patron={patron} />
            <PatronNotes patron={patron} />
            <PatronPromises patronId={patron.id} />
            <RelationshipValue patron={patron} />
            <PatronPrivacy patron={patron} />
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
  pronouns: 'Pronouns',
  email: 'Preferred email',
  phone: 'Preferred phone',
  language: 'Language',
  accessibility: 'Accessibility needs',
  bestTime: 'Best time to reach',
  contactChannel: 'Preferred channel',
  askedForUserId: 'Asks for',
  doNotContact: 'Do not contact',
} as const;
type TextField = 'name' | 'preferredName' | 'pronouns' | 'email' | 'phone' | 'language' | 'accessibility' | 'bestTime';
const TEXT_FIELDS: TextField[] = ['name', 'preferredName', 'pronouns', 'email', 'phone', 'language', 'accessibility', 'bestTime'];
const TYPES: Partial<Record<TextField, string>> = { email: 'email', phone: 'tel' };
const MAX: Record<TextField, number> = { name: 120, preferredName: 120, pronouns: 40, email: 254, phone: 40, language: 35, accessibility: 1000, bestTime: 120 };

function ProfileForm({ patron, onDone }: { patron: PatronDetail; onDone: () => void }) {
  const queryClient = useQueryClient();
  const staff = useStaff();
  const { values, onChange } = useFields<Record<TextField, string>>({
    name: patron.name,
    preferredName: patron.preferredName ?? '',
    pronouns: patron.pronouns ?? '',
    email: patron.email ?? '',
    // The preferred phone as stored (E.164), so an unchanged form sends what is there.
    phone: patron.contacts.find((c) => c.kind === 'phone' && c.preferred)?.value ?? '',
    language: patron.language ?? '',
    accessibility: patron.accessibility ?? '',
    bestTime: patron.communication.bestTime ?? '',
  });
  const [channel, setChannel] = useState<string>(patron.communication.channel ?? '');
  const [askedFor, setAskedFor] = useState<string>(patron.askedFor ? String(patron.askedFor.id) : '');
  const [doNotContact, setDoNotContact] = useState(patron.communication.doNotContact);
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
          pronouns: values.pronouns.trim() || null,
          email: values.email.trim() || null,
          phone: values.phone.trim() || null,
          language: values.language.trim() || null,
          accessibility: values.accessibility.trim() || null,
          bestTime: values.bestTime.trim() || null,
          contactChannel: (channel || null) as PatronUpdateBodyInput['contactChannel'],
          askedForUserId: askedFor ? Number(askedFor) : null,
          doNotContact,
        });
        if (body) save.mutate(body);
      }}
    >
      <Stack gap="sm">
        <FormErrors form={form} title="The profile was not saved" />
        <SimpleGrid cols={1}>
          {TEXT_FIELDS.map((f) => (
            <TextInput
              key={f}
              {...form.field(f)}
              label={LABELS[f]}
              type={TYPES[f] ?? 'text'}
              maxLength={MAX[f]}
              required={f === 'name'}
              value={values[f]}
              onChange={onChange(f)}
            />
          ))}
          <NativeSelect
            {...form.field('contactChannel')}
            label={LABELS.contactChannel}
            value={channel}
            onChange={(e) => setChannel(e.currentTarget.value)}
            data={[{ value: '', label: 'No preference' }, ...Object.entries(CONTACT_CHANNEL_LABELS).map(([value, label]) => ({ value, label }))]}
          />
          <NativeSelect
            {...form.field('askedForUserId')}
            label={LABELS.askedForUserId}
            value={askedFor}
            onChange={(e) => setAskedFor(e.currentTarget.value)}
            data={[{ value: '', label: 'Nobody in particular' }, ...staff.map((u) => ({ value: String(u.id), label: u.name }))]}
          />
          <Checkbox
            {...form.field('doNotContact')}
            label="Do not contact (they asked us not to)"
            checked={doNotContact}
            onChange={(e) => setDoNotContact(e.currentTarget.checked)}
          />
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
