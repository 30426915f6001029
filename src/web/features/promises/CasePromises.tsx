// The promises on a case, with their kept/broken history: keep one with the latest reply or
// logged call, or agree a new time with the patron (their consent recorded).
import { useState } from 'react';
import { Button, Group, Modal, Paper, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CaseDetail } from '../../../contracts/cases.js';
import { zonedTime } from '../../../contracts/promise-times.js';
import {
  HOW_LABELS,
  RenegotiateBody,
  promisesApi,
  type PromiseDetail,
  type PromiseEventView,
  type RenegotiateBodyInput,
} from '../../../contracts/promises.js';
import { call } from '../../api/client.js';
import { keys, useSession } from '../../api/queries.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { formatters, useNow, type Formatters } from '../../lib/format.js';
import { promiseKeys } from './keys.js';
import { PromiseStateBadge } from './parts.js';
import { FormActions } from '../../components/FormActions.js';

const EVENT_WORDS: Record<PromiseEventView['kind'], string> = {
  made: 'Promised',
  renegotiated: 'New time agreed',
  reminded: 'Owner reminded',
  broken: 'Not kept by the due time',
  escalated: 'Supervisors told',
  kept: 'Kept',
  kept_late: 'Kept late',
  released: 'Released',
};

export function CasePromises({ detail }: { detail: CaseDetail }) {
  const { org } = useSession();
  const q = useQuery({ queryKey: promiseKeys.onCase(detail.ref), queryFn: () => call(promisesApi.onCase, { params: { ref: detail.ref } }) });
  if (!q.data?.items.length && !q.error) return null;
  const fmt = formatters(org);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="promises-heading">
      <Title order={2} size="h4" id="promises-heading" mb="sm">
        Promises
      </Title>
      <ErrorAlert error={q.error} title="The promises could not be loaded" />
      <Stack gap="md">
        {q.data?.items.map((p) => <PromiseCard key={p.id} p={p} detail={detail} fmt={fmt} />)}
      </Stack>
    </Paper>
  );
}

function PromiseCard({ p, detail, fmt }: { p: PromiseDetail; detail: CaseDetail; fmt: Formatters }) {
  const queryClient = useQueryClient();
  const now = useNow();
  const [renegotiating, setRenegotiating] = useState(false);
  // The latest message to the patron written since the promise was made keeps it.
  const contact = [...detail.entries].reverse().find((e) => e.kind === 'message_out' && e.createdAt >= p.createdAt);
  const done = () => {
    void queryClient.invalidateQueries({ queryKey: promiseKeys.all });
    void queryClient.invalidateQueries({ queryKey: keys.case(detail.ref) });
  };
  const keep = useMutation({ mutationFn: (entryId: number) => call(promisesApi.keep, { params: { id: p.id }, body: { entryId } }), onSuccess: done });
  const pending = p.state === 'open' || p.state === 'broken';
  return (
    <Stack gap={4} aria-label={`Promise: ${p.what}`} role="group">
      <Group justify="space-between" wrap="nowrap">
        <Text fw={500}>{p.what}</Text>
        <PromiseStateBadge state={p.state} overdue={p.dueAt <= now} />
      </Group>
      <Text size="sm">
        {HOW_LABELS[p.how]} · due {fmt.dateTime(p.dueAt)} · owner {p.owner.name}
        {p.permissionAsked ? ' · permission asked' : ''}
        {p.patronAnswer ? ` (“${p.patronAnswer}”)` : ''}
      </Text>
      <ol aria-label="History" style={{ margin: 0, paddingLeft: 18 }}>
        {p.history.map((e, i) => (
          <li key={i}>
            <Text size="xs" c="dimmed" span>
              {fmt.dateTime(e.at)}: {EVENT_WORDS[e.kind]}
              {e.kind === 'renegotiated' && e.oldDueAt && e.newDueAt ? ` (was ${fmt.dateTime(e.oldDueAt)}, now ${fmt.dateTime(e.newDueAt)}; ${e.note ?? ''})` : ''}
              {e.kind === 'released' && e.note ? `: ${e.note}` : ''}
              {e.by ? ` by ${e.by.name}` : ''}
            </Text>
          </li>
        ))}
      </ol>
      <ErrorAlert error={keep.error} title="The promise was not marked kept" />
      {pending && (
        <Group gap="xs">
          <Button
            size="xs"
            onClick={() => contact && keep.mutate(contact.id)}
            disabled={!contact}
            loading={keep.isPending}
            title={contact ? undefined : 'Reply to the patron or log the call first'}
          >
            Mark kept
          </Button>
          {p.state === 'open' && (
            <Button size="xs" variant="default" onClick={() => setRenegotiating(true)}>
              Agree a new time…
            </Button>
          )}
          {!contact && (
            <Text size="xs" c="dimmed">
              Reply or log the call first; it is linked as the contact that kept the promise.
            </Text>
          )}
        </Group>
      )}
      {renegotiating && <Renegotiate p={p} onClose={() => setRenegotiating(false)} onDone={done} />}
    </Stack>
  );
}

const LABELS = { dueAt: 'New time', consentNote: 'What the patron agreed to', patronConsent: 'Consent' } as const;

function Renegotiate({ p, onClose, onDone }: { p: PromiseDetail; onClose: () => void; onDone: () => void }) {
  const { org } = useSession();
  const [when, setWhen] = useState('');
  const [note, setNote] = useState('');
  const form = useFormErrors(RenegotiateBody, LABELS);
  const save = useMutation({
    mutationFn: (body: RenegotiateBodyInput) => call(promisesApi.renegotiate, { params: { id: p.id }, body }),
    onSuccess: () => {
      onDone();
      onClose();
    },
    onError: (e) => form.fail(e),
  });
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(when);
  const dueAt = m ? zonedTime(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), org.timeZone) : undefined;
  return (
    <Modal opened onClose={onClose} title="Agree a new time with the patron">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const body = form.check({ ...(dueAt !== undefined ? { dueAt } : {}), patronConsent: true, consentNote: note });
          if (body) save.mutate(body);
        }}
      >
        <Stack gap="sm">
          <FormErrors form={form} title="The new time was not saved" />
          <TextInput {...form.field('dueAt')} type="datetime-local" label={`${LABELS.dueAt} (${org.timeZone})`} required value={when} onChange={(e) => setWhen(e.currentTarget.value)} />
          <Textarea
            {...form.field('consentNote')}
            label={LABELS.consentNote}
            description="Only with the patron’s consent: the old time stays in the history."
            required
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
          <FormActions onCancel={onClose} loading={save.isPending} submitLabel="The patron agreed: save" />
        </Stack>
      </form>
    </Modal>
  );
}
