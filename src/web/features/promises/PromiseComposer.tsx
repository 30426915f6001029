// "Promise…" in the case composer: what was promised, by when (later today, tomorrow morning,
// in 2 working days, or a time of one's own, in the organization's zone), how, and that
// permission for more time was asked. Making it puts the case in status promised.
import { useMemo, useState } from 'react';
import { Button, Checkbox, Modal, NativeSelect, Radio, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CaseDetail } from '../../../contracts/cases.js';
import { suggestedTimes, zonedTime } from '../../../contracts/promise-times.js';
import { HOWS, HOW_LABELS, PromiseCreateBody, promisesApi, type How, type PromiseCreateBodyInput } from '../../../contracts/promises.js';
import { call } from '../../api/client.js';
import { keys, useSession } from '../../api/queries.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { formatters, useNow } from '../../lib/format.js';
import { promiseKeys } from './keys.js';
import { FormActions } from '../../components/FormActions.js';

type Choice = 'laterToday' | 'tomorrowMorning' | 'inTwoWorkingDays' | 'custom';
const LABELS = { what: 'What you promised', how: 'How', dueAt: 'By when', permissionAsked: 'Permission asked', patronAnswer: 'Patron’s answer' } as const;

/** "2026-11-24T10:00" read as a wall-clock time in the zone. */
function fromLocalInput(v: string, timeZone: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(v);
  if (!m) return undefined;
  return zonedTime(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), timeZone);
}

export function PromiseButton({ detail }: { detail: CaseDetail }) {
  const [open, setOpen] = useState(false);
  const closed = detail.status === 'resolved' || detail.status === 'closed';
  return (
    <>
      <Button variant="default" onClick={() => setOpen(true)} disabled={closed} title={closed ? 'Reopen the case to promise' : undefined}>
        Promise…
      </Button>
      {open && <PromiseModal detail={detail} onClose={() => setOpen(false)} />}
    </>
  );
}

function PromiseModal({ detail, onClose }: { detail: CaseDetail; onClose: () => void }) {
  const { org } = useSession();
  const queryClient = useQueryClient();
  const now = useNow();
  const times = useMemo(() => suggestedTimes(now, org.timeZone), [now, org.timeZone]);
  const fmt = formatters(org);
  const [choice, setChoice] = useState<Choice>(times.laterToday ? 'laterToday' : 'tomorrowMorning');
  const [custom, setCustom] = useState('');
  const [what, setWhat] = useState('');
  const [how, setHow] = useState<How>(detail.patron ? 'call' : 'email');
  const [asked, setAsked] = useState(true);
  const [answer, setAnswer] = useState('');
  const form = useFormErrors(PromiseCreateBody, LABELS);
  const make = useMutation({
    mutationFn: (body: PromiseCreateBodyInput) => call(promisesApi.make, { params: { ref: detail.ref }, body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.case(detail.ref) });
      void queryClient.invalidateQueries({ queryKey: promiseKeys.all });
      void queryClient.invalidateQueries({ queryKey: keys.cases });
      onClose();
    },
    onError: (e) => form.fail(e),
  });

  const dueAt =
    choice === 'custom' ? fromLocalInput(custom, org.timeZone) : choice === 'laterToday' ? (times.laterToday ?? undefined) : times[choice];
  const submit = () => {
    const body = form.check({
      what,
      how,
      ...(dueAt !== undefined ? { dueAt } : {}),
      permissionAsked: asked,
      ...(answer.trim() ? { patronAnswer: answer } : {}),
    });
    if (body) make.mutate(body);
  };
  const option = (value: Choice, label: string, at: number | null) => (
    <Radio value={value} label={at ? `${label} · ${fmt.dateTime(at)}` : label} disabled={value !== 'custom' && !at} />
  );

  return (
    <Modal opened onClose={onClose} title={`Promise on ${detail.ref}`} size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          <FormErrors form={form} title="The promise was not made" />
          <Textarea
            {...form.field('what')}
            label={LABELS.what}
            required
            autosize
            minRows={2}
            value={what}
            onChange={(e) => setWhat(e.currentTarget.value)}
            placeholder="Call back with the refund decision"
            data-autofocus
          />
          <Radio.Group {...form.field('dueAt')} label={LABELS.dueAt} required value={choice} onChange={(v) => setChoice(v as Choice)}>
            <Stack gap={6} mt={4}>
              {option('laterToday', 'Later today', times.laterToday)}
              {option('tomorrowMorning', 'Tomorrow morning', times.tomorrowMorning)}
              {option('inTwoWorkingDays', 'In 2 working days', times.inTwoWorkingDays)}
              {option('custom', 'Another time', null)}
            </Stack>
          </Radio.Group>
          {choice === 'custom' && (
            <TextInput
              type="datetime-local"
              label={`Date and time (${org.timeZone})`}
              value={custom}
              onChange={(e) => setCustom(e.currentTarget.value)}
              required
            />
          )}
          <NativeSelect
            {...form.field('how')}
            label={LABELS.how}
            value={how}
            onChange={(e) => setHow(e.currentTarget.value as How)}
            data={HOWS.map((h) => ({ value: h, label: HOW_LABELS[h] }))}
          />
          <Checkbox
            {...form.field('permissionAsked')}
            label="I asked the patron for more time"
            checked={asked}
            onChange={(e) => setAsked(e.currentTarget.checked)}
          />
          <TextInput
            {...form.field('patronAnswer')}
            label={LABELS.patronAnswer}
            description="What they said, in their words"
            value={answer}
            onChange={(e) => setAnswer(e.currentTarget.value)}
          />
          <Text size="sm" c="dimmed">
            The case moves to Promised; you are reminded before it is due.
          </Text>
          <FormActions onCancel={onClose} loading={make.isPending} submitLabel="Make the promise" />
        </Stack>
      </form>
    </Modal>
  );
}
