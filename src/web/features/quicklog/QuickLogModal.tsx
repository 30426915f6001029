// "Log a call or visit": a phone call or walk-in becomes a case in a few keystrokes.
import { useRef, useState } from 'react';
import { Button, Modal, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  CHANNELS,
  CHANNEL_LABELS,
  CaseCreateBody,
  STATUS_LABELS,
  casesApi,
  type CaseCreateBodyInput,
  type Channel,
  type Road,
  type Status,
} from '../../../contracts/cases.js';
import { call } from '../../api/client.js';
import { keys, useSession, useStaff, useTeams } from '../../api/queries.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { PatronPicker, type PatronChoice } from './PatronPicker.js';
import { RoadSelect } from '../../components/RoadSelect.js';
import { FormActions } from '../../components/FormActions.js';

export function QuickLogModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  // Once logged, the new case's heading takes the focus: the dialog must not hand it back to
  // the button that opened it.
  const [logged, setLogged] = useState(false);
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title="Log a call or visit"
      size="lg"
      returnFocus={!logged}
      onExitTransitionEnd={() => setLogged(false)}
    >
      {opened && (
        <QuickLogForm
          onDone={onClose}
          onLogged={() => {
            setLogged(true);
            onClose();
          }}
        />
      )}
    </Modal>
  );
}

const START_STATUSES: Status[] = ['open', 'new', 'waiting', 'promised', 'resolved'];

const LABELS = {
  channel: 'Channel',
  patronId: 'Patron',
  patron: 'Patron',
  'patron.name': 'Name',
  'patron.email': 'Email',
  'patron.phone': 'Phone',
  subject: 'Subject',
  body: 'What happened',
  road: 'Road',
  status: 'Status',
  teamId: 'Team',
  assigneeId: 'Assignee',
} as const;

function seedFields(seed: string) {
  if (seed.includes('@')) return { name: '', email: seed, phone: '' };
  if (/^[+\d][\d\s().-]{5,}$/.test(seed)) return { name: '', email: '', phone: seed };
  return { name: seed, email: '', phone: '' };
}

function QuickLogForm({ onDone, onLogged }: { onDone: () => void; onLogged: () => void }) {
  const { user } = useSession();
  const teams = useTeams();
  const staff = useStaff().filter((u) => u.active);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [channel, setChannel] = useState<Channel>('phone');
  const [patron, setPatron] = useState<PatronChoice>(null);
  const [fresh, setFresh] = useState({ name: '', email: '', phone: '' });
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [road, setRoad] = useState<Road | ''>('');
  const [status, setStatus] = useState<Status>('open');
  const [teamId, setTeamId] = useState(user.teamId ? String(user.teamId) : '');
  const [assigneeId, setAssigneeId] = useState(String(user.id));
  const subjectRef = useRef<HTMLInputElement>(null);
  const form = useFormErrors(CaseCreateBody, LABELS);

  const create = useMutation({
    mutationFn: (body: CaseCreateBodyInput) => call(casesApi.create, { body }),
    onSuccess: async (c) => {
      queryClient.setQueryData(keys.case(c.ref), c);
      void queryClient.invalidateQueries({ queryKey: keys.cases });
      onLogged();
      await navigate({ to: '/cases/$ref', params: { ref: c.ref } });
    },
    onError: (e) => form.fail(e),
  });

  // Whether a case needs a patron (all but internal requests) is the server's rule: it answers
  // on the patron field, worded like every other field error.
  const needsPatron = channel !== 'internal';
  const submit = () => {
    // The server's rule (a patron for all but internal requests), checked here too so that it
    // shows with every other problem at once, in the server's words.
    const missingPatron = needsPatron && patron === null;
    const also = missingPatron ? [{ path: ['patronId'], message: 'is required: pick a patron or add a new one' }] : [];
    const body = form.check({
      channel,
      ...(patron?.kind === 'existing' ? { patronId: patron.patron.id } : {}),
      ...(patron?.kind === 'new' ? { patron: fresh } : {}),
      subject,
      body: text,
      direction: 'in',
      ...(road ? { road } : {}),
      status,
      priority: 'normal',
      teamId: teamId ? Number(teamId) : null,
      assigneeId: assigneeId ? Number(assigneeId) : null,
      tags: [],
    }, also);
    if (body) create.mutate(body);
  };

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Stack gap="sm">
        <FormErrors form={form} title="The case was not logged" />
        <NativeSelect
          {...form.field('channel')}
          label="Channel"
          value={channel}
          onChange={(e) => setChannel(e.currentTarget.value as Channel)}
          data={CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABELS[c] })).sort((a, b) =>
            a.value === 'phone' ? -1 : b.value === 'phone' ? 1 : 0,
          )}
          data-autofocus
        />
        {patron?.kind === 'new' ? (
          <Paper withBorder p="sm" component="fieldset" style={{ margin: 0 }}>
            <Text component="legend" size="sm" fw={600} px={4}>
              New patron
            </Text>
            <Stack gap="xs">
              <TextInput
                {...form.field('patron.name')}
                label="Name"
                required
                maxLength={120}
                value={fresh.name}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setFresh((f) => ({ ...f, name: v }));
                }}
                autoFocus
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput
                  {...form.field('patron.email')}
                  label="Email"
                  type="email"
                  value={fresh.email}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setFresh((f) => ({ ...f, email: v }));
                  }}
                />
                <TextInput
                  {...form.field('patron.phone')}
                  label="Phone"
                  type="tel"
                  maxLength={40}
                  value={fresh.phone}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setFresh((f) => ({ ...f, phone: v }));
                  }}
                />
              </SimpleGrid>
              <Button size="xs" variant="default" w="fit-content" onClick={() => setPatron(null)}>
                Search existing patrons instead
              </Button>
            </Stack>
          </Paper>
        ) : (
          <PatronPicker
            value={patron}
            onChange={(v) => {
              setPatron(v);
              if (v?.kind === 'new') setFresh(seedFields(v.seed));
              // The picked patron replaces the search box; carry on with the next field.
              if (v?.kind === 'existing') setTimeout(() => subjectRef.current?.focus());
            }}
            {...form.field('patronId')}
            required={needsPatron}
            error={form.field('patronId').error ?? form.field('patron').error}
          />
        )}
        <TextInput
          {...form.field('subject')}
          ref={subjectRef}
          label="Subject"
          required
          maxLength={200}
          value={subject}
          onChange={(e) => setSubject(e.currentTarget.value)}
        />
        <Textarea
          {...form.field('body')}
          label="What happened"
          required
          autosize
          minRows={3}
          maxRows={10}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <RoadSelect {...form.field('road')} value={road} onChange={setRoad} />
          <NativeSelect
            label="Status"
            description="Resolved for a call finished on the spot"
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value as Status)}
            data={START_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
            {...form.field('status')}
          />
          <NativeSelect
            label="Team"
            value={teamId}
            onChange={(e) => setTeamId(e.currentTarget.value)}
            data={[{ value: '', label: 'No team' }, ...teams.map((t) => ({ value: String(t.id), label: t.name }))]}
            {...form.field('teamId')}
          />
          <NativeSelect
            label="Assignee"
            value={assigneeId}
            onChange={(e) => setAssigneeId(e.currentTarget.value)}
            data={[{ value: '', label: 'Unassigned' }, ...staff.map((u) => ({ value: String(u.id), label: u.name }))]}
            {...form.field('assigneeId')}
          />
        </SimpleGrid>
        <FormActions onCancel={onDone} loading={create.isPending} submitLabel="Log it" />
      </Stack>
    </form>
  );
}
