// "Log a call or visit": a phone call or walk-in becomes a case in a few keystrokes.
import { useRef, useState } from 'react';
import { Alert, Button, Group, Modal, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  CHANNELS,
  CHANNEL_LABELS,
  ROADS,
  ROAD_LABELS,
  STATUS_LABELS,
  type CaseCreateBody,
  type CaseDetail,
  type Channel,
  type Road,
  type Status,
} from '../../../contracts/cases.js';
import { ApiError, fieldMessage, post } from '../../api/client.js';
import { keys, useSession, useStaff, useTeams } from '../../api/queries.js';
import { errorText } from '../../components/ErrorAlert.js';
import { PatronPicker, type PatronChoice } from './PatronPicker.js';

export function QuickLogModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Log a call or visit" size="lg">
      {opened && <QuickLogForm onDone={onClose} />}
    </Modal>
  );
}

const START_STATUSES: Status[] = ['open', 'new', 'waiting', 'promised', 'resolved'];

const LABELS: Record<string, string> = {
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
};

function seedFields(seed: string) {
  if (seed.includes('@')) return { name: '', email: seed, phone: '' };
  if (/^[+\d][\d\s().-]{5,}$/.test(seed)) return { name: '', email: '', phone: seed };
  return { name: seed, email: '', phone: '' };
}

function QuickLogForm({ onDone }: { onDone: () => void }) {
  const { user } = useSession();
  const teams = useTeams();
  const staff = useStaff().filter((u) => u.active);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [channel, setChannel] = useState<Channel>('phone');
  const [patron, setPatron] = useState<PatronChoice>(null);
  const [fresh, setFresh] = useState({ name: '', email: '', phone: '' });
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [road, setRoad] = useState<Road | ''>('');
  const [status, setStatus] = useState<Status>('open');
  const [teamId, setTeamId] = useState(user.teamId ? String(user.teamId) : '');
  const [assigneeId, setAssigneeId] = useState(String(user.id));
  const subjectRef = useRef<HTMLInputElement>(null);
  const [localError, setLocalError] = useState<{ field: string; message: string } | null>(null);

  const create = useMutation({
    mutationFn: (input: CaseCreateBody) => post<CaseDetail>('/api/cases', input),
    onSuccess: async (c) => {
      queryClient.setQueryData(keys.case(c.ref), c);
      void queryClient.invalidateQueries({ queryKey: keys.cases });
      onDone();
      await navigate({ to: '/cases/$ref', params: { ref: c.ref } });
    },
  });

  const serverErr = create.error instanceof ApiError ? create.error : null;
  const fieldError = (field: string): string | undefined => {
    if (localError?.field === field) return localError.message;
    if (serverErr?.field === field) return fieldMessage(serverErr, LABELS[field] ?? field);
    return undefined;
  };
  const generalError = create.isError && !(serverErr?.field && LABELS[serverErr.field]) ? errorText(create.error) : null;

  const submit = () => {
    setLocalError(null);
    if (patron === null && channel !== 'internal') {
      setLocalError({ field: 'patronId', message: 'Pick a patron, or choose "New patron"' });
      return;
    }
    if (patron?.kind === 'new' && !fresh.name.trim()) {
      setLocalError({ field: 'patron.name', message: 'Name is required for a new patron' });
      return;
    }
    // The server answers a bad inline email with a bare "Invalid input"; say it better first.
    if (patron?.kind === 'new' && fresh.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(fresh.email.trim())) {
      setLocalError({ field: 'patron.email', message: 'Enter a valid email address, like name@example.com' });
      return;
    }
    if (!subject.trim()) {
      setLocalError({ field: 'subject', message: 'Subject is required' });
      subjectRef.current?.focus();
      return;
    }
    if (!body.trim()) {
      setLocalError({ field: 'body', message: 'Say what happened' });
      return;
    }
    create.mutate({
      channel,
      ...(patron?.kind === 'existing' ? { patronId: patron.patron.id } : {}),
      ...(patron?.kind === 'new'
        ? { patron: { name: fresh.name.trim(), email: fresh.email.trim() || undefined, phone: fresh.phone.trim() || undefined } }
        : {}),
      subject,
      body,
      direction: 'in',
      ...(road ? { road } : {}),
      status,
      priority: 'normal',
      teamId: teamId ? Number(teamId) : null,
      assigneeId: assigneeId ? Number(assigneeId) : null,
      tags: [],
    });
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
        <NativeSelect
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
                label="Name"
                required
                value={fresh.name}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setFresh((f) => ({ ...f, name: v }));
                }}
                error={fieldError('patron.name')}
                autoFocus
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput
                  label="Email"
                  type="email"
                  value={fresh.email}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setFresh((f) => ({ ...f, email: v }));
                  }}
                  error={fieldError('patron.email')}
                />
                <TextInput
                  label="Phone"
                  type="tel"
                  value={fresh.phone}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setFresh((f) => ({ ...f, phone: v }));
                  }}
                  error={fieldError('patron.phone')}
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
            error={fieldError('patronId') ?? fieldError('patron')}
          />
        )}
        <TextInput ref={subjectRef} label="Subject" required maxLength={200} value={subject} onChange={(e) => setSubject(e.currentTarget.value)} error={fieldError('subject')} />
        <Textarea label="What happened" required autosize minRows={3} maxRows={10} value={body} onChange={(e) => setBody(e.currentTarget.value)} error={fieldError('body')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect
            label="Road"
            value={road}
            onChange={(e) => setRoad(e.currentTarget.value as Road | '')}
            data={[{ value: '', label: 'No road' }, ...ROADS.map((r) => ({ value: r, label: ROAD_LABELS[r] }))]}
          />
          <NativeSelect
            label="Status"
            description="Resolved for a call finished on the spot"
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value as Status)}
            data={START_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
            error={fieldError('status')}
          />
          <NativeSelect
            label="Team"
            value={teamId}
            onChange={(e) => setTeamId(e.currentTarget.value)}
            data={[{ value: '', label: 'No team' }, ...teams.map((t) => ({ value: String(t.id), label: t.name }))]}
            error={fieldError('teamId')}
          />
          <NativeSelect
            label="Assignee"
            value={assigneeId}
            onChange={(e) => setAssigneeId(e.currentTarget.value)}
            data={[{ value: '', label: 'Unassigned' }, ...staff.map((u) => ({ value: String(u.id), label: u.name }))]}
            error={fieldError('assigneeId')}
          />
        </SimpleGrid>
        {generalError && (
          <Alert color="red" title="The case was not logged">
            {generalError}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Log it
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
